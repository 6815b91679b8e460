"""Compile a parsed query into an SQLite FTS5 MATCH expression for searching the archive.

The FTS5 table must store each column as ``index_text(value)`` (the folded words, space-separated) with
the default ``unicode61`` tokenizer; queries are folded the same way, so "Kündigung" finds "kuendigung".
Exact for words, phrases, ``*`` prefixes, AND/OR, NOT next to a positive part, ``"a b"~n``, unordered
NEAR over words/phrases/OR-groups and ``title:`` (when ``title`` is a column). Everything else compiles
to a *superset* and ``exact`` is False; the caller then post-filters the hits with the in-memory matcher:
``?`` wildcards become a prefix query on the letters before the first ``?``, ordered NEAR becomes
unordered NEAR, nested NEAR becomes AND, and metadata filters (``site:``, ``lang:``, …) are left out.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from crawlers.query.folding import fold_piece, keys_of
from crawlers.query.nodes import And, Field, Near, Node, Not, Or, Phrase, Term, Wildcard

_MAX_NEAR_EXPANSION = 32


@dataclass(frozen=True, slots=True)
class Fts5Query:
    """An FTS5 MATCH string (None: no full-text condition at all) and whether it is exact."""

    match: str | None
    exact: bool


def compile_fts5(node: Node, columns: tuple[str, ...] = ("title", "text")) -> Fts5Query:
    """Compile ``node``; ``columns`` are the FTS5 columns, used for ``title:``."""
    match, exact = _compile(node, None, columns)
    return Fts5Query(match, exact)


def to_fts5(node: Node, columns: tuple[str, ...] = ("title", "text")) -> str | None:
    """Return the FTS5 MATCH expression (a superset where not exact, see the module notes), or None."""
    return compile_fts5(node, columns).match


def _quote(words: list[str]) -> str:
    return '"' + " ".join(words).replace('"', '""') + '"'


def _phrase(node: Node) -> str | None:
    """Return the FTS5 phrase for a word-level node that FTS5 can express as one phrase."""
    if isinstance(node, Term) or (isinstance(node, Phrase) and node.slop is None):
        return _quote(keys_of(node.text))
    if isinstance(node, Wildcard) and node.is_prefix:
        return _quote([fold_piece(node.text[:-1])]) + "*"
    return None


def _alternatives(node: Node) -> list[str] | None:
    if isinstance(node, Or):
        parts = [_alternatives(c) for c in node.children]
        return None if None in parts else [p for part in parts for p in part]
    phrase = _phrase(node)
    return [phrase] if phrase is not None else None


def _scoped(expression: str, column: str | None) -> str:
    return f"{column} : {expression}" if column else expression


def _compile(node: Node, column: str | None, columns: tuple[str, ...]) -> tuple[str | None, bool]:
    phrase = _phrase(node)
    if phrase is not None:
        return _scoped(phrase, column), True
    if isinstance(node, Phrase):
        keys = list(dict.fromkeys(keys_of(node.text)))
        if len(keys) == 1:
            return _scoped(_quote(keys), column), True
        return _scoped(f"NEAR({' '.join(_quote([k]) for k in keys)}, {node.slop})", column), True
    if isinstance(node, Wildcard):
        prefix = fold_piece(node.text.rstrip("*").split("?", 1)[0])
        return (_scoped(_quote([prefix]) + "*", column) if prefix else None), False
    if isinstance(node, Field):
        if node.name == "title" and "title" in columns:
            return _compile(node.value, "title", columns)
        return None, False
    if isinstance(node, Near):
        return _near(node, column, columns)
    if isinstance(node, Or):
        parts = [_compile(c, column, columns) for c in node.children]
        if any(expression is None for expression, _ in parts):
            return None, False
        return "(" + " OR ".join(e for e, _ in parts) + ")", all(exact for _, exact in parts)
    if isinstance(node, And):
        return _and(node.children, column, columns)
    return None, False  # a NOT on its own: FTS5 has only the binary "a NOT b"


def _and(children, column: str | None, columns: tuple[str, ...]) -> tuple[str | None, bool]:
    positives, negatives, exact = [], [], True
    for child in children:
        if isinstance(child, Not):
            expression, child_exact = _compile(child.child, column, columns)
            if expression is not None and child_exact:
                negatives.append(expression)
            else:
                exact = False  # leaving out a NOT we cannot express exactly keeps a superset
            continue
        expression, child_exact = _compile(child, column, columns)
        exact = exact and child_exact
        if expression is not None:
            positives.append(expression)
    if not positives:
        return None, False
    body = positives[0] if len(positives) == 1 else "(" + " AND ".join(positives) + ")"
    if negatives:  # parentheses keep FTS5's left-to-right NOT from regrouping nested exclusions
        body = "(" + body + "".join(f" NOT {_grouped(n)}" for n in negatives) + ")"
    return body, exact


def _grouped(expression: str) -> str:
    """Return ``expression`` safe as an operand: phrases, NEAR groups and groups as they are, else in parentheses."""
    return expression if expression.startswith(('"', "NEAR(", "(")) else f"({expression})"


def _near(node: Near, column: str | None, columns: tuple[str, ...]) -> tuple[str | None, bool]:
    left, right = _alternatives(node.left), _alternatives(node.right)
    if left is None or right is None or len(left) * len(right) > _MAX_NEAR_EXPANSION:
        return _and((node.left, node.right), column, columns)[0], False
    groups = [_scoped(f"NEAR({a} {b}, {node.distance})", column) for a, b in product(left, right)]
    expression = groups[0] if len(groups) == 1 else "(" + " OR ".join(groups) + ")"
    return expression, not node.ordered
