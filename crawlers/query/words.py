"""Matchers for the word-level nodes (terms, phrases, wildcards) over a PreparedDoc.

Each has ``test(doc) -> bool`` (fast) and ``spans(doc) -> list[(first, last)]`` word positions; ``trigger``
names one key (or two-letter key beginning) that every matching post contains, or None.
"""
from __future__ import annotations

import bisect
import re

from crawlers.query.document import TEXT_OFFSET, PreparedDoc
from crawlers.query.folding import fold_piece, keys_of
from crawlers.query.nodes import Phrase, Term, Wildcard, render


class WordsMatcher:
    """Consecutive keys (a word, or a phrase), or keys within ``slop`` words of each other."""

    __slots__ = ("label", "keys", "slop", "title_only", "trigger", "_first", "distinct")

    def __init__(self, label: str, keys: list[str], slop: int | None, title_only: bool) -> None:
        self.label, self.keys, self.slop, self.title_only = label, tuple(keys), slop, title_only
        self._first = keys[0]
        self.distinct = tuple(dict.fromkeys(keys))
        self.trigger = ("k", max(keys, key=len))

    def test(self, doc: PreparedDoc) -> bool:
        """Tell whether the words occur (as a phrase, or within the slop)."""
        present = doc.title_keyset if self.title_only else doc.keyset
        if len(self.keys) == 1:
            return self._first in present
        for key in self.distinct:
            if key not in present:
                return False
        return bool(self.spans(doc))

    def spans(self, doc: PreparedDoc) -> list[tuple[int, int]]:
        """Return the (first, last) positions of each occurrence."""
        if self.slop is None:
            found = _consecutive(doc, self.keys)
        else:
            found = _within(doc, self.distinct, self.slop)
        return [s for s in found if s[0] < TEXT_OFFSET] if self.title_only else found


def _consecutive(doc: PreparedDoc, keys: tuple[str, ...]) -> list[tuple[int, int]]:
    first = doc.positions(keys[0])
    if len(keys) == 1:
        return [(p, p) for p in first]
    rest = [set(doc.positions(k)) for k in keys[1:]]
    last = len(keys) - 1
    return [(p, p + last) for p in first if all(p + i in s for i, s in enumerate(rest, 1))]


def _within(doc: PreparedDoc, keys: tuple[str, ...], slop: int) -> list[tuple[int, int]]:
    """Find windows holding every key with at most ``slop`` words between the first and the last (FTS5 NEAR)."""
    lists = [doc.positions(k) for k in keys]
    if not all(lists):
        return []
    found = []
    for start in sorted({p for positions in lists for p in positions}):
        end = start
        for positions in lists:
            i = bisect.bisect_left(positions, start)
            if i == len(positions) or positions[i] > start + slop + 1:
                break
            end = max(end, positions[i])
        else:
            found.append((start, end))
    return found


class WildcardMatcher:
    """Keys starting with a prefix (``kündig*``) or fitting a pattern with ``?`` (``k?ndigung``)."""

    __slots__ = ("label", "finder", "title_only", "trigger")

    def __init__(self, label: str, pattern: str, title_only: bool) -> None:
        self.label, self.title_only = label, title_only
        body = pattern.rstrip("*")
        # One regex over the post's newline-joined distinct keys: a C-level scan instead of a loop over words.
        core = "[^\n]".join(re.escape(fold_piece(p)) for p in body.split("?"))
        tail = "[^\n]*" if pattern.endswith("*") else ""
        self.finder = re.compile(f"\n({core}{tail})(?=\n)")  # a leading literal lets re skip ahead fast
        prefix = fold_piece(body.split("?", 1)[0])
        self.trigger = ("p", prefix[:2]) if len(prefix) >= 2 else None

    def matching_keys(self, doc: PreparedDoc) -> list[str]:
        """Return the post's distinct keys that fit the pattern."""
        return self.finder.findall(doc.joined_keys(self.title_only))

    def test(self, doc: PreparedDoc) -> bool:
        """Tell whether any key fits."""
        return self.finder.search(doc.joined_keys(self.title_only)) is not None

    def spans(self, doc: PreparedDoc) -> list[tuple[int, int]]:
        """Return the positions of the fitting words."""
        positions = sorted(p for k in self.matching_keys(doc) for p in doc.positions(k))
        if self.title_only:
            positions = [p for p in positions if p < TEXT_OFFSET]
        return [(p, p) for p in positions]


def word_matcher(node: Term | Wildcard | Phrase, title_only: bool = False,
                 label: str | None = None) -> WordsMatcher | WildcardMatcher:
    """Compile a word-level node; ``title_only`` restricts it to the title."""
    label = label or render(node)
    if isinstance(node, Wildcard):
        return WildcardMatcher(label, node.text, title_only)
    keys = keys_of(node.text)
    return WordsMatcher(label, keys, node.slop if isinstance(node, Phrase) else None, title_only)
