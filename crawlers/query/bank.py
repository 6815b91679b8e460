"""Match each post against many listening queries at once, evaluating only the queries it can satisfy."""
from __future__ import annotations

from collections.abc import Hashable, Iterable

from crawlers.query.document import prepare
from crawlers.query.matcher import Matcher, _as_set, compile_matcher
from crawlers.query.nodes import Node
from crawlers.query.result import MatchResult


class QueryBank:
    """Active queries by id; ``match(post)`` folds the post once and returns ``[(id, MatchResult)]``.

    An inverted index from trigger keys (and two-letter key beginnings for wildcards) to queries skips
    every query whose required words are all missing from the post.
    """

    def __init__(self, queries: Iterable[tuple[Hashable, Node]] | dict = ()) -> None:
        self._ids: list[Hashable] = []
        self._matchers: list[Matcher] = []
        self._by_key: dict[str, list[int]] = {}
        self._by_prefix: dict[str, list[int]] = {}
        self._always: list[int] = []
        self._key_set: frozenset[str] = frozenset()
        self._prefix_set: frozenset[str] = frozenset()
        for query_id, node in (queries.items() if isinstance(queries, dict) else queries):
            self.add(query_id, node)

    def add(self, query_id: Hashable, node: Node) -> None:
        """Add one parsed query."""
        index = len(self._matchers)
        matcher = compile_matcher(node)
        self._ids.append(query_id)
        self._matchers.append(matcher)
        if matcher.trigger is None:
            self._always.append(index)
            return
        for kind, key in _as_set(matcher.trigger):
            (self._by_key if kind == "k" else self._by_prefix).setdefault(key, []).append(index)
        self._key_set = frozenset(self._by_key)
        self._prefix_set = frozenset(self._by_prefix)

    def __len__(self) -> int:
        return len(self._matchers)

    def candidates(self, doc) -> list[int]:
        """Return the indexes of the queries worth evaluating on a prepared post."""
        found = set(self._always)
        by_key = self._by_key
        for key in doc.keyset & self._key_set:
            found.update(by_key[key])
        if self._prefix_set:
            by_prefix = self._by_prefix
            for prefix in doc.prefixes() & self._prefix_set:
                found.update(by_prefix[prefix])
        return sorted(found) if len(found) > 1 else list(found)

    def match(self, post, lang: str | None = None) -> list[tuple[Hashable, MatchResult]]:
        """Return ``(query id, MatchResult)`` for every query the post matches, in the order added."""
        doc = prepare(post, lang)
        matchers, ids = self._matchers, self._ids
        return [(ids[i], MatchResult(matchers[i].root, doc)) for i in self.candidates(doc) if matchers[i].test(doc)]
