"""The FTS5 compilation, run for real against an in-memory SQLite FTS5 table."""
import sqlite3

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from crawlers.query import compile_fts5, compile_matcher, index_text, parse, render
from crawlers.query.folding import split_words
from crawlers.query.nodes import Phrase
from tests.listening.test_query_strategies import posts, queries

POSTS = [
    {"title": "O2 Netz weg", "text": "Seit heute kein Empfang, das Netz ist ausgefallen. #O2 Kündigung!"},
    {"title": "Sauerstoff", "text": "O2 ist Sauerstoff"},
    {"title": "", "text": "Kuendigung der BahnCard, Netz down"},
    {"title": "Frage zur Kündigung", "text": "kundigung: Netz heute ausgefallen, Straße gesperrt"},
    {"title": "Bahn", "text": "Die Bahn hat Verspätung, die Strasse auch"},
]


def fts_hits(docs: list[dict], match: str | None) -> set[int]:
    """Index ``docs`` in a fresh FTS5 table and return the row numbers ``match`` finds."""
    db = sqlite3.connect(":memory:")
    try:
        db.execute("CREATE VIRTUAL TABLE posts USING fts5(title, text)")
        db.executemany("INSERT INTO posts(rowid, title, text) VALUES (?, ?, ?)",
                       [(i, index_text(d["title"]), index_text(d["text"])) for i, d in enumerate(docs)])
        if match is None:
            return set(range(len(docs)))
        return {row[0] for row in db.execute("SELECT rowid FROM posts WHERE posts MATCH ?", (match,))}
    finally:
        db.close()


def matcher_hits(docs: list[dict], tree) -> set[int]:
    matcher = compile_matcher(tree)
    return {i for i, d in enumerate(docs) if matcher(d) is not None}


@pytest.mark.parametrize(("query", "expression", "exact"), [
    ('"O2" AND (Netz OR Ausfall OR "kein Empfang") NOT Sauerstoff',
     '(("o2" AND ("netz" OR "ausfall" OR "kein empfang")) NOT "sauerstoff")', True),
    ("Netz -(Netz -Straße)", '("netz" NOT ("netz" NOT "strasse"))', True),
    ("kündig*", '"kundig"*', True),
    ('"Netz ausgefallen"~3', 'NEAR("netz" "ausgefallen", 3)', True),
    ("Netz NEAR/3 ausgefallen", 'NEAR("netz" "ausgefallen", 3)', True),
    ("Netz NEAR/3 (ausgefallen OR down)", '(NEAR("netz" "ausgefallen", 3) OR NEAR("netz" "down", 3))', True),
    ("title:kündigung Netz", '(title : "kundigung" AND "netz")', True),
    ("Straße", '"strasse"', True),
    ("Netz ONEAR/3 ausgefallen", 'NEAR("netz" "ausgefallen", 3)', False),
    ("k?ndigung", '"k"*', False),
    ("Netz lang:de", '"netz"', False),
    ("a NEAR/1 b NEAR/2 c", '(NEAR("a" "b", 1) AND "c")', False),
])
def test_expressions_and_exactness(query, expression, exact):
    compiled = compile_fts5(parse(query))
    assert (compiled.match, compiled.exact) == (expression, exact)


@pytest.mark.parametrize("query", [
    '"O2" AND (Netz OR Ausfall OR "kein Empfang") NOT Sauerstoff', "kündig*", "kuendigung", "Straße",
    '"Netz ausgefallen"~3', "Netz NEAR/2 ausgefallen", "title:kündigung", "Netz -title:frage", "bahn OR o2",
    "Netz -(Netz -Straße)", 'Netz -(down OR "kein Empfang")',
])
def test_fts5_finds_the_same_posts_as_the_matcher(query):
    tree = parse(query)
    assert compile_fts5(tree).exact
    assert fts_hits(POSTS, compile_fts5(tree).match) == matcher_hits(POSTS, tree) != set()


def test_a_field_only_query_has_no_full_text_condition():
    assert compile_fts5(parse("lang:de site:reddit.com")).match is None


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(queries, st.lists(posts, min_size=1, max_size=6))
def test_fts5_is_exact_where_it_says_so_and_a_superset_elsewhere(tree, docs):
    compiled = compile_fts5(tree)
    found, expected = fts_hits(docs, compiled.match), matcher_hits(docs, tree)
    if compiled.exact:
        assert found == expected, (render(tree), compiled.match)
    else:
        assert found >= expected, (render(tree), compiled.match)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(st.characters(categories=["L", "N", "Zs", "P", "S"]), max_size=30), min_size=1, max_size=4),
       st.data())
def test_any_script_splits_the_same_in_fts5_and_in_the_matcher(texts, data):
    docs = [{"title": "", "text": t} for t in texts]
    words = [w for t in texts for w in split_words(t)]
    assume(words)
    word = data.draw(st.sampled_from(words))
    tree = Phrase(word)
    assert fts_hits(docs, compile_fts5(tree).match) == matcher_hits(docs, tree) != set()
