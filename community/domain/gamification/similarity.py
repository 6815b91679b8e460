"""Near-copy detection: a MinHash fingerprint of an answer's word shingles, compared by agreement."""
from __future__ import annotations

import hashlib
import re

from community.domain.model import normalise_text

_PRIME = (1 << 61) - 1
_SEEDS = 64
_SHINGLE = 3
# Fixed, derived parameters keep fingerprints stable across processes and releases.
_PARAMS = tuple(
    (int.from_bytes(hashlib.blake2b(f"a{i}".encode(), digest_size=8).digest(), "big") % (_PRIME - 1) + 1,
     int.from_bytes(hashlib.blake2b(f"b{i}".encode(), digest_size=8).digest(), "big") % _PRIME)
    for i in range(_SEEDS)
)


def _shingles(text: str) -> set[int]:
    words = re.findall(r"\w+", normalise_text(text))
    if len(words) < _SHINGLE:
        words = words + [""] * (_SHINGLE - len(words))
    grams = {" ".join(words[i:i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "big") for g in grams}


def fingerprint(text: str) -> tuple[int, ...]:
    """Return the MinHash signature of a text (64 integers; equal texts give equal signatures)."""
    hashes = _shingles(text)
    return tuple(min((a * h + b) % _PRIME for h in hashes) for a, b in _PARAMS)


def similarity(left: tuple[int, ...], right: tuple[int, ...]) -> float:
    """Estimate the Jaccard similarity of two texts from their signatures (0 = unrelated, 1 = same)."""
    if not left or len(left) != len(right):
        return 0.0
    return sum(1 for x, y in zip(left, right, strict=True) if x == y) / len(left)
