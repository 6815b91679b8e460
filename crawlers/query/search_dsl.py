"""Compile a parsed query into an OpenSearch / Elasticsearch query DSL clause (a plain dict, no client).

Index contract: ``title`` and ``text`` are text fields analysed with lowercase + asciifolding +
german_normalization (so umlaut spellings meet); ``lang``, ``source``, ``author``, ``url``, ``site`` (the
URL host) and ``subreddit`` are keyword fields. Term-level queries (prefix, wildcard, span_term) carry the
folded keys of ``crawlers.query.folding``. Proximity uses span_near (``slop`` = words in between,
``in_order`` for NEAR/nf and ONEAR); ``"a b"~n`` uses match_phrase slop, which Lucene counts as moves.
"""
from __future__ import annotations

from crawlers.query.fields import site_host
from crawlers.query.folding import fold_piece, keys_of
from crawlers.query.nodes import And, Field, Near, Node, Not, Or, Phrase, Term, Wildcard

BODY = ("title", "text")


def to_search_dsl(node: Node, fields: tuple[str, ...] = BODY) -> dict:
    """Return the query clause for ``node`` (put it under ``{"query": …}``); ``fields`` are the text fields."""
    if isinstance(node, And):
        must = [to_search_dsl(c, fields) for c in node.children if not isinstance(c, Not)]
        must_not = [to_search_dsl(c.child, fields) for c in node.children if isinstance(c, Not)]
        return {"bool": {k: v for k, v in (("must", must), ("must_not", must_not)) if v}}
    if isinstance(node, Or):
        return _any([to_search_dsl(c, fields) for c in node.children])
    if isinstance(node, Not):
        return {"bool": {"must_not": [to_search_dsl(node.child, fields)]}}
    if isinstance(node, Near):
        return _any([{"span_near": _span_near(node, f)} for f in fields])
    if isinstance(node, Field):
        return to_search_dsl(node.value, ("title",)) if node.name == "title" else _metadata(node)
    if isinstance(node, Wildcard):
        return _any([_wildcard(node.text, f) for f in fields])
    slop = node.slop if isinstance(node, Phrase) else None
    return _any([{"match_phrase": {f: {"query": node.text, **({"slop": slop} if slop else {})}}} for f in fields])


def _any(clauses: list[dict]) -> dict:
    return clauses[0] if len(clauses) == 1 else {"bool": {"should": clauses, "minimum_should_match": 1}}


def _folded_pattern(pattern: str) -> str:
    return "?".join(fold_piece(p) for p in pattern.rstrip("*").split("?")) + ("*" if pattern.endswith("*") else "")


def _wildcard(pattern: str, field: str) -> dict:
    folded = _folded_pattern(pattern)
    if "?" not in folded:
        return {"prefix": {field: {"value": folded[:-1]}}}
    return {"wildcard": {field: {"value": folded}}}


def _span(node: Node, field: str) -> dict:
    if isinstance(node, Near):
        return {"span_near": _span_near(node, field)}
    if isinstance(node, Or):
        return {"span_or": {"clauses": [_span(c, field) for c in node.children]}}
    if isinstance(node, Wildcard):
        return {"span_multi": {"match": _wildcard(node.text, field)}}
    assert isinstance(node, Term | Phrase)
    clauses = [{"span_term": {field: key}} for key in keys_of(node.text)]
    if len(clauses) == 1:
        return clauses[0]
    slop = node.slop if isinstance(node, Phrase) and node.slop is not None else 0
    return {"span_near": {"clauses": clauses, "slop": slop, "in_order": slop == 0}}


def _span_near(node: Near, field: str) -> dict:
    return {"clauses": [_span(node.left, field), _span(node.right, field)], "slop": node.distance,
            "in_order": node.ordered}


def _metadata(node: Field) -> dict:
    value, name = node.value.text, node.name
    if isinstance(node.value, Wildcard):
        pattern = value if name == "url" else value.lower()
        pattern = f"*{pattern}*" if name == "url" else pattern
        return {"wildcard": {name: {"value": pattern, "case_insensitive": True}}}
    if name == "url":
        return {"wildcard": {"url": {"value": f"*{_escape(value)}*", "case_insensitive": True}}}
    if name == "site":
        host = site_host(value)
        return _any([{"term": {"site": host}}, {"wildcard": {"site": {"value": f"*.{_escape(host)}"}}}])
    if name == "subreddit":
        value = value.strip().lower().removeprefix("r/")
    return {"term": {name: {"value": value.strip(), "case_insensitive": True}}}


def _escape(value: str) -> str:
    """Escape the wildcard syntax characters of a literal value."""
    return value.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?")
