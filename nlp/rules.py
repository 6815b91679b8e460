"""Keyword-rule topics via ``community.domain.topics.rule_topic``, asked only about keywords that can match.

``rule_topic`` runs one regular expression per keyword (about half a millisecond for a hundred keywords).
A keyword can only match where its first word (or, for ``prefix*`` keywords, the start of a word) occurs,
which a set lookup over the mention's words tells in microseconds. ``rule_topic`` then sees the topics with a
candidate, in order, with just those keywords, so its answer is exactly the one it gives for all keywords.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from community.domain.topics import _fold, rule_topic

_WORD = re.compile(r"\w+")


class KeywordRules:
    """Apply the keyword rules of ``settings.topics`` (topic → keywords) to texts."""

    def __init__(self, topics: Mapping[str, Sequence[str]]) -> None:
        self.topics = {name: list(keywords) for name, keywords in topics.items()}
        self.exact: dict[str, set[str]] = {}
        self.prefixes: dict[int, dict[str, set[str]]] = {}
        self.always: set[str] = set()
        for keyword in (k for keywords in self.topics.values() for k in keywords if k.strip()):
            folded = _fold(keyword.strip())
            body = folded.rstrip("*")
            first = _WORD.search(body)
            if first is None:  # no word characters: always a candidate
                self.always.add(keyword)
            elif first.end() == len(body) and folded.endswith("*"):
                self.prefixes.setdefault(len(first.group()), {}).setdefault(first.group(), set()).add(keyword)
            else:
                self.exact.setdefault(first.group(), set()).add(keyword)

    def candidates(self, text: str) -> set[str]:
        """Return the keywords that might occur in the text (a superset of those that do)."""
        words = set(_WORD.findall(_fold(text)))
        found = set(self.always)
        for word in words & self.exact.keys():
            found |= self.exact[word]
        for size, prefixes in self.prefixes.items():
            for word in words:
                hit = prefixes.get(word[:size]) if len(word) >= size else None
                if hit:
                    found |= hit
        return found

    def __call__(self, text: str) -> tuple[str | None, list[str]]:
        """Return (topic or None, matched keywords) exactly as ``rule_topic`` over all keywords does."""
        if not self.topics:
            return None, []
        candidates = self.candidates(text)
        if not candidates:
            return None, []
        # Topics without a candidate cannot win (they would have no hits); the others keep their order.
        narrowed = {name: [k for k in keywords if k in candidates] for name, keywords in self.topics.items()}
        return rule_topic(text, {name: keywords for name, keywords in narrowed.items() if keywords})
