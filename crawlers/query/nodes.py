"""The parsed form of a listening query: small immutable nodes, and their canonical query text."""
from __future__ import annotations

from dataclasses import dataclass

FIELDS = ("title", "site", "url", "author", "lang", "source", "subreddit")


@dataclass(frozen=True, slots=True)
class Term:
    """One word as written; several words when it holds punctuation ("e-mail" is the phrase "e mail")."""

    text: str


@dataclass(frozen=True, slots=True)
class Wildcard:
    """A word with a trailing ``*`` (any ending) and/or ``?`` (exactly one letter)."""

    text: str

    @property
    def is_prefix(self) -> bool:
        """Tell whether the pattern is a plain prefix (``kündig*``)."""
        return "?" not in self.text


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words in this order (``"kein Empfang"``), or all within ``slop`` words of each other (``"a b"~3``)."""

    text: str
    slop: int | None = None


@dataclass(frozen=True, slots=True)
class And:
    """Every child matches."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """At least one child matches."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    """The child does not match."""

    child: Node


@dataclass(frozen=True, slots=True)
class Near:
    """Both sides occur with at most ``distance`` words between them (left before right when ``ordered``)."""

    left: Node
    right: Node
    distance: int
    ordered: bool = False


@dataclass(frozen=True, slots=True)
class Field:
    """A filter on one field of the post: ``title:``, ``site:``, ``url:``, ``author:``, ``lang:``, …"""

    name: str
    value: Term | Wildcard | Phrase


Node = Term | Wildcard | Phrase | And | Or | Not | Near | Field
WORDS = (Term, Wildcard, Phrase)
OPERATORS = frozenset({"AND", "OR", "NOT"})


def render(node: Node) -> str:
    """Return the canonical query text of ``node``; parsing it gives ``node`` back."""
    if isinstance(node, Term | Wildcard):
        return node.text
    if isinstance(node, Phrase):
        quoted = '"' + node.text.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return quoted if node.slop is None else f"{quoted}~{node.slop}"
    if isinstance(node, Field):
        return f"{node.name}:{render(node.value)}"
    if isinstance(node, Not):
        return f"NOT {_wrap(node.child, Near)}"
    if isinstance(node, Near):
        operator = f"NEAR/{node.distance}f" if node.ordered else f"NEAR/{node.distance}"
        left = render(node.left) if isinstance(node.left, Near) else _wrap(node.left, ())
        return f"{left} {operator} {_wrap(node.right, ())}"
    if isinstance(node, And):
        return " AND ".join(_wrap(c, (Not, Near)) for c in node.children)
    if isinstance(node, Or):
        return " OR ".join(_wrap(c, (And, Not, Near)) for c in node.children)
    raise TypeError(f"not a query node: {node!r}")


def _wrap(node: Node, bare: type | tuple) -> str:
    """Render ``node``, in parentheses unless it is a word, a field or one of the ``bare`` types."""
    text = render(node)
    return text if isinstance(node, WORDS + (Field,)) or isinstance(node, bare) else f"({text})"


def walk(node: Node):
    """Yield ``node`` and every node below it."""
    yield node
    if isinstance(node, And | Or):
        for child in node.children:
            yield from walk(child)
    elif isinstance(node, Not):
        yield from walk(node.child)
    elif isinstance(node, Near):
        yield from walk(node.left)
        yield from walk(node.right)
    elif isinstance(node, Field):
        yield node.value
