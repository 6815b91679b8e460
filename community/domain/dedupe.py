"""Near-duplicate detection: bottom-k MinHash sketches over folded word shingles.

The same question cross-posted to several sites (another greeting, a signature, a link) keeps most of
its 3-word shingles, so the Jaccard similarity of the shingle sets stays high. A sketch keeps the ``K``
smallest shingle hashes; two sketches estimate the Jaccard similarity without the texts. A store finds
candidates through the ``KEYS`` smallest hashes (if the sets are similar, the smallest hash of their
union is in both with probability = similarity, so sharing one of the first few is very likely).
"""
from __future__ import annotations

import re
import unicodedata
import zlib

K = 64
KEYS = 8
THRESHOLD = 0.7
MIN_SHINGLES = 8  # a shorter text is only matched by its exact content hash
SHINGLE_WORDS = 3
MAX_WORDS = 600
_WORD = re.compile(r"\w+")


# The combining-mark blocks that NFKD produces for accented Latin, Greek and Cyrillic letters.
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Case- and accent-fold a text (ä→a; casefold makes ß→ss) quickly; ASCII text takes a fast path."""
    text = text.casefold()
    if text.isascii():
        return text
    return _MARKS.sub("", unicodedata.normalize("NFKD", text))


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Return the set of ``size``-word shingles of the folded text."""
    words = _WORD.findall(fold(text))[:MAX_WORDS]
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def sketch(text: str) -> tuple[int, ...] | None:
    """Return the bottom-k sketch of a text (sorted hash values), or None when it is too short."""
    features = shingles(text)
    if len(features) < MIN_SHINGLES:
        return None
    # CRC-32 is a Rabin-style polynomial fingerprint, as in Broder's original shingling; fast and stable.
    return tuple(sorted({zlib.crc32(feature.encode()) for feature in features})[:K])


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimate the Jaccard similarity of the texts behind two sketches."""
    k = min(K, max(len(a), len(b)))
    union = sorted(set(a) | set(b))[:k]
    both = set(a) & set(b)
    return sum(1 for value in union if value in both) / len(union) if union else 0.0


def lookup_keys(sketch_: tuple[int, ...]) -> tuple[int, ...]:
    """Return the values a store indexes to find candidate near-duplicates."""
    return sketch_[:KEYS]


def best_match(target: tuple[int, ...], candidates: dict[int, tuple[int, ...]],
               threshold: float = THRESHOLD) -> int | None:
    """Return the id of the most similar candidate at or above the threshold (ties: the oldest id)."""
    best, best_score = None, threshold
    for key in sorted(candidates):
        score = similarity(target, candidates[key])
        if score >= best_score and (best is None or score > best_score):
            best, best_score = key, score
    return best
