"""Compile a parsed query into a fast in-memory matcher that also says why a post matched."""
from __future__ import annotations

from crawlers.query.document import PreparedDoc, prepare
from crawlers.query.fields import FieldMatcher
from crawlers.query.nodes import And, Field, Near, Node, Not, Or, render
from crawlers.query.result import MatchResult
from crawlers.query.words import WordsMatcher, word_matcher


class AllOf:
    """Every part matches (NOT parts are wrapped in NoneOf)."""

    __slots__ = ("parts", "trigger")

    def __init__(self, parts: list) -> None:
        # Cheap parts first: a missing word rejects before any phrase, wildcard or NEAR work is done.
        self.parts = sorted(parts, key=_cost)
        triggers = [p.trigger for p in parts if p.trigger is not None]
        self.trigger = min(triggers, key=_trigger_cost) if triggers else None

    def test(self, doc: PreparedDoc) -> bool:
        """Tell whether every part matches."""
        for part in self.parts:
            if not part.test(doc):
                return False
        return True


class AnyOf:
    """At least one part matches."""

    __slots__ = ("parts", "trigger")

    def __init__(self, parts: list) -> None:
        self.parts = parts
        triggers = [p.trigger for p in parts]
        self.trigger = None if None in triggers else frozenset().union(*map(_as_set, triggers))

    def test(self, doc: PreparedDoc) -> bool:
        """Tell whether any part matches."""
        for part in self.parts:
            if part.test(doc):
                return True
        return False

    def spans(self, doc: PreparedDoc) -> list[tuple[int, int]]:
        """Return the spans of every part (inside NEAR)."""
        return sorted(s for part in self.parts for s in part.spans(doc))


class NoneOf:
    """The part does not match."""

    __slots__ = ("part", "trigger")

    def __init__(self, part) -> None:
        self.part, self.trigger = part, None

    def test(self, doc: PreparedDoc) -> bool:
        """Tell whether the part is absent."""
        return not self.part.test(doc)


class NearMatcher:
    """Both sides within ``distance`` words (FTS5 NEAR semantics; left strictly first when ordered)."""

    __slots__ = ("label", "left", "right", "distance", "ordered", "trigger")

    def __init__(self, label: str, left, right, distance: int, ordered: bool) -> None:
        self.label, self.left, self.right, self.distance, self.ordered = label, left, right, distance, ordered
        triggers = [t for t in (left.trigger, right.trigger) if t is not None]
        self.trigger = min(triggers, key=_trigger_cost) if triggers else None

    def test(self, doc: PreparedDoc) -> bool:
        """Tell whether both sides occur close enough."""
        return self.left.test(doc) and self.right.test(doc) and bool(self.spans(doc))

    def spans(self, doc: PreparedDoc) -> list[tuple[int, int]]:
        """Return the spans covering each close-enough pair."""
        return [(min(a[0], b[0]), max(a[1], b[1])) for a, b in self.pairs(doc)]

    def explain_spans(self, doc: PreparedDoc) -> list[tuple[int, int]]:
        """Return the spans of both sides where they are close enough (what a reader should see marked)."""
        return sorted({s for pair in self.pairs(doc) for s in pair})

    def pairs(self, doc: PreparedDoc) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """Return the (left span, right span) pairs that are close enough."""
        found, n = [], self.distance
        rights = self.right.spans(doc)
        for ls, le in self.left.spans(doc):
            for rs, re_ in rights:
                if self.ordered:
                    close = le < rs and rs - le - 1 <= n
                else:
                    close = max(ls, rs) - min(le, re_) - 1 <= n
                if close:
                    found.append(((ls, le), (rs, re_)))
        return found


def _cost(part) -> int:
    """Rank a part by how much work its test takes (a single word is one set lookup)."""
    if isinstance(part, WordsMatcher):
        return 0 if len(part.keys) == 1 else 2
    if isinstance(part, NoneOf):
        return _cost(part.part)
    if isinstance(part, AllOf | AnyOf):
        return 1 + max(map(_cost, part.parts))
    return 3 if isinstance(part, NearMatcher) else 1


def _as_set(trigger) -> frozenset:
    return trigger if isinstance(trigger, frozenset) else frozenset((trigger,))


def _trigger_cost(trigger) -> tuple:
    """Prefer few, exact and long keys: they are the rarest in posts."""
    items = _as_set(trigger)
    return (len(items), sum(kind == "p" for kind, _ in items), -min(len(key) for _, key in items))


def compile_node(node: Node, title_only: bool = False):
    """Return the matcher object for ``node`` (``test``, ``trigger`` and, for word parts, ``spans``)."""
    if isinstance(node, And):
        return AllOf([compile_node(c, title_only) for c in node.children])
    if isinstance(node, Or):
        return AnyOf([compile_node(c, title_only) for c in node.children])
    if isinstance(node, Not):
        return NoneOf(compile_node(node.child, title_only))
    if isinstance(node, Near):
        return NearMatcher(render(node), compile_node(node.left, title_only), compile_node(node.right, title_only),
                           node.distance, node.ordered)
    if isinstance(node, Field):
        return word_matcher(node.value, title_only=True, label=render(node)) if node.name == "title" else FieldMatcher(node)
    return word_matcher(node, title_only)


class Matcher:
    """A compiled query: call it with a post (or a PreparedDoc) to get a MatchResult or None."""

    __slots__ = ("node", "root", "text", "test")

    def __init__(self, node: Node) -> None:
        self.node, self.root, self.text = node, compile_node(node), render(node)
        self.test = fast_test(self.root)

    @property
    def trigger(self):
        """Keys of which every matching post holds at least one (None: evaluate on every post)."""
        return self.root.trigger

    def __call__(self, doc, lang: str | None = None) -> MatchResult | None:
        prepared = prepare(doc, lang)
        return MatchResult(self.root, prepared) if self.test(prepared) else None


def compile_matcher(node: Node) -> Matcher:
    """Compile a parsed query into a reusable matcher."""
    return Matcher(node)


def fast_test(root):
    """Turn a matcher tree into one generated function, so a query costs one call instead of one per node.

    Single words become ``'key' in keyset`` tests inlined in the boolean expression; keys are embedded
    with ``repr`` so query text never becomes code.
    """
    namespace: dict = {}
    body = _expression(root, namespace)
    source = f"def test(d):\n    ks = d.keyset\n    ts = d.title_keyset\n    return {body}\n"
    exec(source, namespace)  # noqa: S102 - generated from the matcher tree, not from query text
    return namespace["test"]


def _expression(matcher, namespace: dict) -> str:
    if isinstance(matcher, AllOf | AnyOf):
        joiner = " and " if isinstance(matcher, AllOf) else " or "
        return "(" + joiner.join(_expression(p, namespace) for p in matcher.parts) + ")"
    if isinstance(matcher, NoneOf):
        return f"(not {_expression(matcher.part, namespace)})"
    name = f"t{len(namespace)}"
    if isinstance(matcher, WordsMatcher):
        present = "ts" if matcher.title_only else "ks"
        if len(matcher.keys) == 1:
            return f"({matcher.keys[0]!r} in {present})"
        # a phrase's words are looked up inline first: most posts lack one, and then no call is made; with all
        # of them present only the positions remain to check (``test`` would look the words up again)
        namespace[name] = matcher.spans
        return "(" + " and ".join(f"{key!r} in {present}" for key in matcher.distinct) + f" and bool({name}(d)))"
    namespace[name] = matcher.test
    return f"{name}(d)"
