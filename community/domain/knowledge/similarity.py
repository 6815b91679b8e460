"""How alike two questions are, without a search engine: folded word sets with light suffix stripping."""
from __future__ import annotations

import re

from community.domain.model import normalise_text

_SUFFIXES = ("ungen", "ung", "en", "er", "es", "ing", "ed", "e", "s", "n")
_SHORT = 3
_FILLER = frozenset(
    "the and for you your are was with this that have has how can not what when where why does der die das und "
    "ist ich mit ein eine einen nicht wie was wenn kann habe hat mein meine bei fur auf sie wir".split()
)


def _root(word: str) -> str:
    for suffix in _SUFFIXES:
        if len(word) - len(suffix) >= 4 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def keywords(text: str) -> frozenset[str]:
    """Return the set of meaningful, folded, lightly stemmed words of a text."""
    words = re.findall(r"\w+", normalise_text(text))
    return frozenset(_root(w) for w in words if len(w) >= _SHORT and w not in _FILLER)


def similarity(a: str, b: str) -> float:
    """Return how much two texts share, 0..1 (overlap of their keyword sets relative to the smaller one)."""
    left, right = keywords(a), keywords(b)
    if not left or not right:
        return 0.0
    shared = len(left & right)
    return shared / min(len(left), len(right)) * (2 * shared / (len(left) + len(right))) ** 0.5


def is_near_duplicate(question: str, existing: str, threshold: float = 0.6) -> bool:
    """Tell whether a new question asks what an existing one asks (so it attaches instead of duplicating)."""
    return similarity(question, existing) >= threshold


def coverage(query: str, text: str) -> float:
    """Return the share of the query's keywords that occur in the text (0..1)."""
    wanted = keywords(query)
    if not wanted:
        return 0.0
    return len(wanted & keywords(text)) / len(wanted)
