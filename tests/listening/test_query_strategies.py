"""Hypothesis strategies for listening queries and posts, and a slow reference evaluator to check the matcher."""
from __future__ import annotations

import fnmatch
import itertools
from urllib.parse import urlsplit

from hypothesis import strategies as st

from crawlers.query.folding import fold_piece, keys_of, strip_accents
from crawlers.query.nodes import And, Field, Near, Not, Or, Phrase, Term, Wildcard
from crawlers.query.parser import is_anchored

VOCABULARY = ["Netz", "netz", "Ausfall", "Kündigung", "kuendigung", "kundigung", "Straße", "strasse", "O2", "kein",
              "Empfang", "Bahn", "Zug", "café", "cafe", "due", "du", "teuer", "Mueller", "müller", "weg", "#kolibri",
              "e-mail", "2026"]
SITES = ["https://www.reddit.com/r/de/comments/1", "https://forum.example.org/t/7", "https://example.de/blog?p=1", ""]

words = st.sampled_from(VOCABULARY)
terms = words.map(Term)
phrases = st.builds(lambda ws, slop: Phrase(" ".join(ws), slop), st.lists(words, min_size=1, max_size=3),
                    st.none() | st.integers(0, 4))
quoted_phrases = st.text(st.sampled_from('ab "\\ü-'), min_size=1, max_size=8).filter(
    lambda t: any(c.isalpha() for c in t)).map(Phrase)


def _wildcard(word: str, cut: int, question: bool) -> Wildcard:
    letters = "".join(c for c in word if c.isalnum())
    if question:
        i = cut % len(letters)
        return Wildcard(letters[:i] + "?" + letters[i + 1:] + ("*" if cut % 2 else ""))
    return Wildcard(letters[: max(2, cut % (len(letters) + 1))] + "*")


wildcards = st.builds(_wildcard, words.filter(lambda w: sum(c.isalnum() for c in w) >= 3), st.integers(0, 20),
                      st.booleans())
word_nodes = terms | phrases | quoted_phrases | wildcards
fields = st.one_of(
    st.builds(Field, st.just("title"), terms | phrases | wildcards),
    st.builds(Field, st.just("site"), st.sampled_from([Term("reddit.com"), Term("example.org"), Wildcard("*.org")])),
    st.builds(Field, st.just("lang"), st.sampled_from([Term("de"), Term("en")])),
    st.builds(Field, st.just("url"), st.sampled_from([Term("blog"), Wildcard("*/t/*")])),
    st.builds(Field, st.just("author"), st.sampled_from([Term("jörg"), Phrase("Max Muster"), Wildcard("ma*")])),
)


def _flat(kind, children):
    out = []
    for child in children:
        out.extend(child.children if isinstance(child, kind) else (child,))
    return kind(tuple(out))


positional = st.recursive(word_nodes, lambda inner: st.one_of(
    st.lists(inner, min_size=2, max_size=3).map(lambda cs: _flat(Or, cs)),
    st.builds(Near, inner, inner, st.integers(0, 3), st.booleans())), max_leaves=4)


_trees = st.recursive(positional | fields, lambda inner: st.one_of(
    st.lists(inner, min_size=2, max_size=3).map(lambda cs: _flat(And, cs)),
    st.lists(inner, min_size=2, max_size=3).map(lambda cs: _flat(Or, cs)),
    inner.filter(lambda n: not isinstance(n, Not)).map(Not)), max_leaves=6)
# A query needs something to look for: trees that only exclude get a word to anchor them (as a user would).
queries = st.builds(lambda anchor, tree: tree if is_anchored(tree) else _flat(And, [anchor, tree]), word_nodes, _trees)

posts = st.fixed_dictionaries({
    "title": st.lists(words, max_size=4).map(" ".join),
    "text": st.lists(words | st.sampled_from([",", ".", "!", "?"]), max_size=14).map(" ".join),
    "url": st.sampled_from(SITES),
    "lang": st.sampled_from(["de", "en"]),
    "author": st.sampled_from(["Jörg", "Max Muster", "maxi", ""]),
})


# ---------------------------------------------------------------- reference evaluator (slow and plain)

def _tokens(post: dict) -> list[tuple[int, str]]:
    title = [(i, k) for i, k in enumerate(keys_of(post.get("title", "")))]
    return title + [(10_000 + i, k) for i, k in enumerate(keys_of(post.get("text", "")))]


def _fits(pattern: str, key: str) -> bool:
    """Match a ``?``/``*`` word pattern against a key, one character at a time."""
    body, star = (pattern[:-1], True) if pattern.endswith("*") else (pattern, False)
    pieces = body.split("?")
    expected = []
    for i, piece in enumerate(pieces):
        expected.extend(fold_piece(piece))
        if i < len(pieces) - 1:
            expected.append(None)
    if len(key) < len(expected) or (not star and len(key) != len(expected)):
        return False
    return all(e is None or e == k for e, k in zip(expected, key, strict=False))


def _spans(node, post, title_only=False) -> list[tuple[int, int]]:
    toks = [t for t in _tokens(post) if not title_only or t[0] < 10_000]
    at = dict(toks)
    if isinstance(node, Wildcard):
        return [(p, p) for p, k in toks if _fits(node.text, k)]
    if isinstance(node, Term | Phrase):
        keys = keys_of(node.text)
        if isinstance(node, Phrase) and node.slop is not None:
            choices = [[p for p, k in toks if k == key] for key in dict.fromkeys(keys)]
            return [(min(c), max(c)) for c in itertools.product(*choices) if max(c) - min(c) - 1 <= node.slop]
        return [(p, p + len(keys) - 1) for p, _ in toks
                if all(at.get(p + i) == key for i, key in enumerate(keys))]
    if isinstance(node, Or):
        return [s for c in node.children for s in _spans(c, post, title_only)]
    if isinstance(node, Near):
        found = []
        for a in _spans(node.left, post, title_only):
            for b in _spans(node.right, post, title_only):
                close = (a[1] < b[0] and b[0] - a[1] - 1 <= node.distance) if node.ordered else \
                    max(a[0], b[0]) - min(a[1], b[1]) - 1 <= node.distance
                if close:
                    found.append((min(a[0], b[0]), max(a[1], b[1])))
        return found
    raise AssertionError(node)


def _glob(pattern: str, value: str) -> bool:
    return fnmatch.fnmatchcase(value, pattern.replace("[", "[[]"))


def reference_match(node, post: dict) -> bool:
    """Decide by brute force whether ``post`` matches ``node``."""
    if isinstance(node, And):
        return all(reference_match(c, post) for c in node.children)
    if isinstance(node, Or):
        return any(reference_match(c, post) for c in node.children)
    if isinstance(node, Not):
        return not reference_match(node.child, post)
    if isinstance(node, Field):
        if node.name == "title":
            return bool(_spans(node.value, post, title_only=True))
        value, wild = node.value.text, isinstance(node.value, Wildcard)
        if node.name == "site":
            host = urlsplit(post.get("url", "")).hostname or ""
            return _glob(value, host) if wild else host == value or host.endswith("." + value)
        if node.name == "url":
            url = post.get("url", "").lower()
            return _glob(f"*{value.lower()}*", url) if wild else value.lower() in url
        if node.name == "lang":
            return post.get("lang", "") == value
        if node.name == "author":
            author = " ".join(strip_accents(post.get("author", "")).split())
            wanted = " ".join(strip_accents(value).split())
            return _glob(wanted, author) if wild else author == wanted
        raise AssertionError(node)
    return bool(_spans(node, post))
