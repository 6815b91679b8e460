"""Near-duplicate detection: bottom-k MinHash sketches over folded word shingles.

The same question cross-posted to several sites (another greeting, a signature, a link) keeps most of
its 3-word shingles, so the Jaccard similarity of the shingle sets stays high. A sketch keeps the ``K``
smallest shingle hashes; two sketches estimate the Jaccard similarity without the texts.

A store finds candidates by locality-sensitive hashing (LSH) over a one-permutation MinHash signature
read off the sketch: each hash falls into one of ``BANDS × ROWS`` bins by its value, a bin's signature
entry is its smallest hash, and each band of ``ROWS`` consecutive bins gives one lookup key. Two texts
share a band's key with probability ≈ similarity ** ROWS, so texts at 0.7 share at least one of the
``BANDS`` keys almost always (≈ 98 %), while texts that only share boilerplate (a forum signature, a
greeting, a common phrase: similarity ≤ 0.2) share one rarely (< 8 %) — a single common shingle no
longer makes every post that has it a candidate.
"""
from __future__ import annotations

import re
import unicodedata
import zlib
from itertools import accumulate

K = 64
BANDS = 10
ROWS = 3
BINS = BANDS * ROWS
THRESHOLD = 0.7
MIN_SHINGLES = 8  # a shorter text is only matched by its exact content hash
SHINGLE_WORDS = 3
MAX_WORDS = 600
_WORD = re.compile(r"\w+")
_MASK = (1 << 64) - 1


# The combining-mark blocks that NFKD produces for accented Latin, Greek and Cyrillic letters.
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Case- and accent-fold a text (ä→a; casefold makes ß→ss) quickly; ASCII text takes a fast path."""
    text = text.casefold()
    if text.isascii():
        return text
    return _MARKS.sub("", unicodedata.normalize("NFKD", text))


def folded_words(folded: str) -> list[str]:
    """Return the words a text is shingled from, given its ``fold``: its word runs, at most ``MAX_WORDS``."""
    return _WORD.findall(folded)[:MAX_WORDS]


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Return the set of ``size``-word shingles of the folded text."""
    words_ = folded_words(fold(text))
    if len(words_) < size:
        return {" ".join(words_)} if words_ else set()
    return {" ".join(words_[i:i + size]) for i in range(len(words_) - size + 1)}


def shingle_hashes(text: str) -> set[int]:
    """Return the CRC-32 of each ``SHINGLE_WORDS``-word shingle of the folded text (as ``shingles``, hashed).

    CRC-32 is a Rabin-style polynomial fingerprint, as in Broder's original shingling; fast and stable. ASCII
    text (most of it once folded) is hashed in place, a slice of the joined words per shingle, with no string
    built per shingle.
    """
    found = folded_words(fold(text))
    joined = " ".join(found)
    if len(found) <= SHINGLE_WORDS or not joined.isascii():
        return {zlib.crc32(feature.encode()) for feature in shingles(text)}
    data = memoryview(joined.encode("ascii"))
    starts = [0, *accumulate(len(word) + 1 for word in found)]  # where each word starts (and one past the end)
    return {zlib.crc32(data[starts[i]:starts[i + SHINGLE_WORDS] - 1]) for i in range(len(found) - SHINGLE_WORDS + 1)}


def sketch(text: str) -> tuple[int, ...] | None:
    """Return the bottom-k sketch of a text (sorted hash values), or None when it is too short."""
    hashes = shingle_hashes(text)
    if len(hashes) < MIN_SHINGLES:
        return None
    return tuple(sorted(hashes)[:K])


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimate the Jaccard similarity of the texts behind two sketches."""
    k = min(K, max(len(a), len(b)))
    set_a, set_b = set(a), set(b)
    union = sorted(set_a | set_b)[:k]
    return len((set_a & set_b).intersection(union)) / len(union) if union else 0.0


def signature(sketch_: tuple[int, ...]) -> list[int]:
    """Return the one-permutation MinHash signature (one minimum per bin, empty bins densified) of a sketch."""
    bins: list[int | None] = [None] * BINS
    for value in sketch_:  # ascending: the first value that falls into a bin is its minimum
        if bins[value % BINS] is None:
            bins[value % BINS] = value
    if None in bins:  # densify by rotation: an empty bin takes the next filled bin's value, marked by the distance
        original = list(bins)
        for i in range(BINS):
            j = i
            while original[j % BINS] is None:
                j += 1
            bins[i] = original[j % BINS] + ((j - i) << 32)
    return bins  # type: ignore[return-value]  # every bin is filled now


def mix(value: int) -> int:
    """Scramble a 64-bit integer: SplitMix64's step (a bijection whose every output bit depends on every input bit)."""
    value = (value + 0x9E3779B97F4A7C15) & _MASK
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK
    return value ^ (value >> 31)


def lookup_keys(sketch_: tuple[int, ...]) -> tuple[int, ...]:
    """Return the LSH band keys (signed 64-bit) a store indexes to find candidate near-duplicates.

    A band's key mixes its number, then each of its bins in turn (so equal keys mean equal bands, up to 2**-64).
    """
    if not sketch_:
        return ()
    bins = signature(sketch_)
    keys = []
    for band in range(BANDS):
        key = mix(band)
        for value in bins[band * ROWS:(band + 1) * ROWS]:
            key = mix(key ^ value)
        keys.append(key - (1 << 64) if key >> 63 else key)
    return tuple(keys)


def best_match(target: tuple[int, ...], candidates: dict[int, tuple[int, ...]],
               threshold: float = THRESHOLD) -> int | None:
    """Return the id of the most similar candidate at or above the threshold (ties: the oldest id).

    A candidate sharing fewer than ``threshold × k`` hashes with the target cannot reach the threshold (the
    estimate is the shared hashes among the k smallest of the union, over k), so most candidates — texts that
    only share a phrase — are dismissed by one set intersection, without the sort.
    """
    best, best_score = None, threshold
    target_set = frozenset(target)
    for key in sorted(candidates):
        other = candidates[key]
        k = min(K, max(len(target), len(other)))
        if not k or len(target_set.intersection(other)) < best_score * k:
            continue
        score = similarity(target, other)
        if score >= best_score and (best is None or score > best_score):
            best, best_score = key, score
    return best
