"""The listening query language: what parses into what, and how malformed queries are reported."""
import pytest

from community.domain.errors import ValidationError
from crawlers.query import QuerySyntaxError, parse, render
from crawlers.query.nodes import And, Field, Near, Not, Or, Phrase, Term, Wildcard


@pytest.mark.parametrize(("query", "tree"), [
    ('"O2" AND (Netz OR Ausfall OR "kein Empfang") NOT Sauerstoff',
     And((Phrase("O2"), Or((Term("Netz"), Term("Ausfall"), Phrase("kein Empfang"))), Not(Term("Sauerstoff"))))),
    ("kündig*", Wildcard("kündig*")),
    ("k?ndigung", Wildcard("k?ndigung")),
    ('"Netz ausgefallen"~3', Phrase("Netz ausgefallen", 3)),
    ("Netz NEAR/3 Ausfall", Near(Term("Netz"), Term("Ausfall"), 3)),
    ("Netz NEAR/3f Ausfall", Near(Term("Netz"), Term("Ausfall"), 3, ordered=True)),
    ("Netz ONEAR/3 Ausfall", Near(Term("Netz"), Term("Ausfall"), 3, ordered=True)),
    ("a b c", And((Term("a"), Term("b"), Term("c")))),
    ("a -b", And((Term("a"), Not(Term("b"))))),
    ("a AND NOT b", And((Term("a"), Not(Term("b"))))),
    ('a -(b OR c) -"d e"', And((Term("a"), Not(Or((Term("b"), Term("c")))), Not(Phrase("d e"))))),
    ("(a b) c OR d", Or((And((Term("a"), Term("b"), Term("c"))), Term("d")))),
    ("a OR b AND c", Or((Term("a"), And((Term("b"), Term("c")))))),
    ("a <<< only while the outage lasts >>> b", And((Term("a"), Term("b")))),
    ("(Netz OR Empfang) NEAR/2 weg", Near(Or((Term("Netz"), Term("Empfang"))), Term("weg"), 2)),
    ("a NEAR/1 b NEAR/2 c", Near(Near(Term("a"), Term("b"), 1), Term("c"), 2)),
    ("NOT a NEAR/2 b c", And((Not(Near(Term("a"), Term("b"), 2)), Term("c")))),
    ("lang:de site:reddit.com", And((Field("lang", Term("de")), Field("site", Term("reddit.com"))))),
    ('author:"Max Muster" title:kündig*', And((Field("author", Phrase("Max Muster")), Field("title", Wildcard("kündig*"))))),
    ("url:https://example.org/t?id=1", Field("url", Wildcard("https://example.org/t?id=1"))),
    ("subreddit:r/de source:reddit", And((Field("subreddit", Term("r/de")), Field("source", Term("reddit"))))),
    ("#kolibri @DB_Bahn", And((Term("#kolibri"), Term("@DB_Bahn")))),
    ("and or not near", And((Term("and"), Term("or"), Term("not"), Term("near")))),
    (r'"sagt \"hallo\""', Phrase('sagt "hallo"')),
])
def test_queries_parse_into_the_expected_tree(query, tree):
    assert parse(query) == tree


def test_canonical_form_parses_back_to_the_same_tree():
    tree = parse('"O2" (Netz OR "kein Empfang") -Sauerstoff a ONEAR/3 (b OR cd*) lang:de')
    assert render(tree) == '"O2" AND (Netz OR "kein Empfang") AND NOT Sauerstoff AND a NEAR/3f (b OR cd*) AND lang:de'
    assert parse(render(tree)) == tree


def test_trees_are_immutable_and_hashable():
    tree = parse("a OR b")
    with pytest.raises(AttributeError):
        tree.children = ()
    assert {tree: 1}[parse("a OR b")] == 1


@pytest.mark.parametrize(("query", "position", "fragment"), [
    ("", 0, "empty query"),
    ("   <<< nothing >>> ", 19, "empty query"),
    ("(Netz OR Ausfall", 0, "never closed"),
    ("Netz OR Ausfall)", 15, "no '('"),
    ("Netz AND", 5, "AND needs a word"),
    ("OR Netz", 0, "OR needs a word or phrase before"),
    ("Netz OR", 5, "OR needs"),
    ("Netz NOT", 5, "NOT needs"),
    ("Netz NEAR Ausfall", 5, "NEAR needs a distance"),
    ("Netz NEAR/ Ausfall", 5, "NEAR needs a distance"),
    ("Netz ONEAR/3f Ausfall", 5, "ONEAR/3 or NEAR/3f"),
    ("Netz NEAR/3", 5, "needs a word or phrase after"),
    ("foo:bar Netz", 0, "unknown field 'foo'"),
    ("Netz Achtung: Ausfall", 5, "unknown field 'Achtung'"),
    ("title: Netz", 6, "needs a value"),
    ('"kein Empfang', 0, "never closed"),
    ('"kein Empfang"~', 14, "'~' needs a distance"),
    ("<<< never closed", 0, "comment"),
    ("Netz - Ausfall", 5, "'-' must be followed"),
    ("NOT Sauerstoff", 0, "NOT only excludes"),
    ("Netz OR -Sauerstoff", 8, "NOT only excludes"),
    ("k*ndigung", 1, "only at the end"),
    ("k*", 0, "at least two letters"),
    ("e-mai*", 1, "single words"),
    ("()", 1, "empty parentheses"),
    ('"!!!"', 0, "no letters"),
    ("!!!", 0, "no letters"),
    ("Netz NEAR/3 lang:de", 12, "NEAR works on words"),
    ("(a b) NEAR/3 c", 0, "NEAR works on words"),
    ("(" * 51 + "a" + ")" * 51, 50, "nested too deeply"),
    ("x " + "-" * 60 + "a", 52, "nested too deeply"),
    ("a" + " NEAR/1 a" * 60, 452, "nested too deeply"),
])
def test_malformed_queries_are_rejected_with_the_position(query, position, fragment):
    with pytest.raises(QuerySyntaxError) as caught:
        parse(query)
    assert caught.value.position == position
    assert fragment in caught.value.message


def test_the_error_shows_the_query_with_a_caret_under_the_position():
    with pytest.raises(QuerySyntaxError) as caught:
        parse("Netz AND (Ausfall OR")
    assert isinstance(caught.value, ValidationError)
    lines = str(caught.value).splitlines()
    assert lines[0] == "OR needs a word or phrase after it (at position 18)"
    assert lines[1] == "Netz AND (Ausfall OR"
    assert lines[2] == " " * 18 + "^"


def test_deep_but_reasonable_nesting_parses():
    assert parse("(" * 50 + "a" + ")" * 50) == Term("a")
    assert render(parse("a" + " NEAR/1 b" * 50)).count("NEAR/1") == 50
