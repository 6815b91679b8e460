"""Keyword-rule topics answered as ``community.domain.topics.rule_topic`` does, asking only keywords that can match.

``rule_topic`` runs one regular expression per keyword (about half a millisecond for a hundred keywords).
A keyword can only match where its first word (or, for ``prefix*`` keywords, the start of a word) occurs,
which a set lookup over the mention's words tells in microseconds. The topics are then tried in order with
just those keywords and ``rule_topic``'s own patterns, so the answer is exactly the one it gives for all keywords.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from community.domain.topics import _fold, _rules

_WORD = re.compile(r"\w+")


class KeywordRules:
    """Apply the keyword rules of ``settings.topics`` (topic → keywords) to texts."""

    def __init__(self, topics: Mapping[str, Sequence[str]]) -> None:
        self.topics = {name: list(keywords) for name, keywords in topics.items()}
        # Per topic, in order: (keyword, its first folded word, pattern), as rule_topic checks them.
        self.checks = [(name, _rules(tuple(keywords))) for name, keywords in self.topics.items()]
        self.topics_of: dict[str, list[int]] = {}  # keyword → the indexes of the topics it is a rule of
        for index, (_, checks) in enumerate(self.checks):
            for keyword, _, _ in checks:
                self.topics_of.setdefault(keyword, []).append(index)
        self.tests = {kw: (word, pattern) for _, checks in self.checks for kw, word, pattern in checks}
        self.exact: dict[str, set[str]] = {}
        self.prefixes: dict[str, set[str]] = {}  # a prefix* keyword's word → the keywords
        self.always: set[str] = set()
        for keyword in (k for keywords in self.topics.values() for k in keywords if k.strip()):
            folded = _fold(keyword.strip())
            body = folded.rstrip("*")
            first = _WORD.search(body)
            if first is None:  # no word characters: always a candidate
                self.always.add(keyword)
            elif first.end() == len(body) and folded.endswith("*"):
                self.prefixes.setdefault(first.group(), set()).add(keyword)
            else:
                self.exact.setdefault(first.group(), set()).add(keyword)
        # A word opening with a prefix: the longest such prefix is found at each word start, every shorter one
        # that opens the word is a prefix of it (all are word characters, so "word start" means the same).
        ordered = sorted(self.prefixes, key=len, reverse=True)
        self.opening = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + ")") if ordered else None
        self.within = {p: set().union(*(self.prefixes[q] for q in ordered if p.startswith(q))) for p in ordered}

    def candidates(self, text: str) -> set[str]:
        """Return the keywords that might occur in the text (a superset of those that do)."""
        return self._candidates(_fold(text))

    def _candidates(self, folded: str) -> set[str]:
        found = set(self.always)
        if self.opening is not None:
            for opening in set(self.opening.findall(folded)):
                found |= self.within[opening]
        words = set(_WORD.findall(folded))
        for word in words & self.exact.keys():
            found |= self.exact[word]
        return found

    def __call__(self, text: str) -> tuple[str | None, list[str]]:
        """Return (topic or None, matched keywords) exactly as ``rule_topic`` over all keywords does."""
        if not self.topics:
            return None, []
        folded = _fold(text)
        candidates = self._candidates(folded)
        if not candidates:
            return None, []
        tests = self.tests
        matched = set()
        for keyword in candidates:
            word, pattern = tests[keyword]
            if word in folded and pattern.search(folded):
                matched.add(keyword)
        if not matched:
            return None, []
        # Only topics with a matched keyword have hits; they are tried in order, each with its keywords in order.
        best, best_hits = None, []
        for index in sorted({i for keyword in matched for i in self.topics_of[keyword]}):
            topic, checks = self.checks[index]
            hits = [kw for kw, _, _ in checks if kw in matched]
            if len(hits) > len(best_hits):
                best, best_hits = topic, hits
        return best, best_hits
