"""Sketch a whole batch of texts at once: ``community.domain.dedupe``'s sketches and keys, over numpy arrays.

The words of all texts lie end to end in one array and each word is hashed once. A shingle's CRC-32 is then
put together from its words' CRC-32s — CRC is linear: ``crc(a + b) = shift(crc(a), len(b)) ^ crc(b)``, where
``shift`` (feeding ``len(b)`` zero bytes) is a table lookup per byte of the 32-bit value — so every shingle
hash, each text's bottom-k and every signature are a few array operations for the whole batch instead of a
Python step per shingle. The values are exactly ``dedupe.sketch`` and ``dedupe.lookup_keys`` of each text.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import cache
from itertools import chain, pairwise

import numpy as np

from community.domain.dedupe import BANDS, BINS, MAX_WORDS, MIN_SHINGLES, ROWS, SHINGLE_WORDS, K, fold, folded_words

# ASCII text (most text once folded) is split into words by bytes.translate: every non-word byte becomes a space.
_NON_WORD = bytes(b if re.fullmatch(rb"\w", bytes([b])) else 32 for b in range(128)) + b" " * 128
_LONGEST = 511  # zero-byte runs the shift tables cover; a shingle with a longer word is hashed directly
_SPACE = zlib.crc32(b" ")


@cache
def _shift_tables() -> np.ndarray:
    """Return T[n, lane, byte]: the CRC-32 register of (byte << 8 × lane) after n zero bytes (linear, so XOR-able)."""
    zeros = bytes(_LONGEST)
    columns = np.array([[zlib.crc32(zeros[:n], 1 << bit) ^ zlib.crc32(zeros[:n]) for bit in range(32)]
                        for n in range(_LONGEST + 1)], dtype=np.uint32).reshape(_LONGEST + 1, 4, 8)
    tables = np.zeros((_LONGEST + 1, 4, 256), dtype=np.uint32)
    byte = np.arange(256)
    for bit in range(8):
        tables ^= np.where((byte >> bit) & 1, columns[:, :, bit:bit + 1], np.uint32(0))
    return tables.reshape(-1)


def _shift(crc: np.ndarray, zeros: np.ndarray) -> np.ndarray:
    """Return each CRC-32 continued over that many zero bytes (less the CRC of the zeros alone)."""
    tables, base = _shift_tables(), zeros * 1024
    return (tables[base + (crc & 255)] ^ tables[base + 256 + ((crc >> 8) & 255)]
            ^ tables[base + 512 + ((crc >> 16) & 255)] ^ tables[base + 768 + (crc >> 24)])


def _words(text: str) -> list[bytes]:
    """Return ``dedupe``'s words of a text, UTF-8 encoded (ASCII text split by bytes: the same words, faster)."""
    folded = fold(text)
    if folded.isascii():
        return folded.encode("ascii").translate(_NON_WORD).split()[:MAX_WORDS]
    return [word.encode() for word in folded_words(folded)]


def _shingle_crcs(words: list[bytes]) -> np.ndarray:
    """Return the CRC-32 of each run of three consecutive words (joined by spaces) in a list of words."""
    if len(words) < SHINGLE_WORDS:
        return np.zeros(0, dtype=np.int64)
    crc = np.fromiter(map(zlib.crc32, words), dtype=np.int64, count=len(words))
    spaces = np.flatnonzero(np.frombuffer(b" ".join(words) + b" ", dtype=np.uint8) == 32)
    size = np.diff(spaces, prepend=-1) - 1
    first, second, third = size[:-2], size[1:-1], size[2:]
    longest = np.maximum(np.maximum(first, second), third)
    fits = longest <= (_LONGEST - 2) // 2
    spaced = _shift(np.full(len(words), _SPACE, dtype=np.int64), np.minimum(size, _LONGEST)) ^ crc  # " " + word
    tail = _shift(spaced[1:-1], np.where(fits, 1 + third, 0)) ^ spaced[2:]  # " " + second + " " + third
    shingles = _shift(crc[:-2], np.where(fits, 2 + second + third, 0)) ^ tail
    for i in np.flatnonzero(~fits).tolist():  # very long words: hashed as written
        shingles[i] = zlib.crc32(b" ".join(words[i:i + SHINGLE_WORDS]))
    return shingles


@dataclass(frozen=True)
class SketchBatch:
    """The sketches of a batch of texts: text i's sorted hashes are ``values[bounds[i]:bounds[i + 1]]`` (none: too short)."""

    values: np.ndarray  # uint32
    bounds: np.ndarray  # int64, one more than the texts

    def sketches(self) -> list[tuple[int, ...] | None]:
        """Return each text's sketch as ``dedupe.sketch`` does."""
        values, bounds = self.values.tolist(), self.bounds.tolist()
        return [tuple(values[start:end]) if end > start else None for start, end in pairwise(bounds)]

    def keys(self) -> list[tuple[int, ...]]:
        """Return each text's lookup keys as ``dedupe.lookup_keys`` does (``()`` for no sketch)."""
        sizes = np.diff(self.bounds)
        rows = np.flatnonzero(sizes)
        keys: list[tuple[int, ...]] = [()] * len(sizes)
        if len(rows):
            bins = _signatures(self.values.astype(np.int64), np.repeat(np.arange(len(rows)), sizes[rows]), len(rows))
            for row, row_keys in zip(rows.tolist(), _band_keys(bins), strict=True):
                keys[row] = row_keys
        return keys


def sketch_batch(texts: list[str]) -> SketchBatch:
    """Return the bottom-k sketches of many texts, computed together."""
    per_text = [_words(text) for text in texts]
    counts = np.fromiter(map(len, per_text), dtype=np.int64, count=len(texts))
    crcs = _shingle_crcs(list(chain.from_iterable(per_text)))
    owner = np.repeat(np.arange(len(texts), dtype=np.int64), counts)[:len(crcs)]
    inside = np.arange(len(crcs)) + SHINGLE_WORDS <= np.repeat(np.cumsum(counts), counts)[:len(crcs)]
    unique = np.sort((owner[inside] << 32) | crcs[inside])  # by text, then by hash
    unique = unique[np.concatenate(([True], unique[1:] != unique[:-1]))] if len(unique) else unique
    text_of = unique >> 32
    distinct = np.bincount(text_of, minlength=len(texts))
    rank = np.arange(len(unique)) - np.repeat(np.cumsum(distinct) - distinct, distinct)
    keep = (rank < K) & (distinct[text_of] >= MIN_SHINGLES)
    sizes = np.where(distinct >= MIN_SHINGLES, np.minimum(distinct, K), 0)
    return SketchBatch((unique[keep] & 0xFFFFFFFF).astype(np.uint32), np.concatenate(([0], np.cumsum(sizes))))


def _signatures(values: np.ndarray, row_of: np.ndarray, rows: int) -> np.ndarray:
    """Return ``dedupe.signature`` of ``rows`` sketches whose sorted values lie end to end (row_of: each one's row)."""
    cells = row_of * BINS + values % BINS
    order = np.argsort(cells, kind="stable")  # a sketch's values ascend: a cell's first value is its minimum
    cells = cells[order]
    first = np.concatenate(([True], cells[1:] != cells[:-1]))
    minimum = np.zeros(rows * BINS, dtype=np.int64)
    minimum[cells[first]] = values[order[first]]
    filled = np.zeros(rows * BINS, dtype=bool)
    filled[cells[first]] = True
    # Densify: an empty bin i takes the next filled bin j (cyclically), plus (j - i) << 32.
    column = np.where(np.tile(filled.reshape(rows, BINS), 2), np.arange(2 * BINS), 2 * BINS)
    following = np.minimum.accumulate(column[:, ::-1], axis=1)[:, ::-1][:, :BINS]
    source = following % BINS + (np.arange(rows) * BINS)[:, None]
    return minimum[source] + ((following - np.arange(BINS)) << 32)


def _mix(values: np.ndarray) -> np.ndarray:
    """``dedupe.mix`` of each element (uint64 arithmetic wraps as the definition's masks do)."""
    values = values + np.uint64(0x9E3779B97F4A7C15)
    values = (values ^ (values >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    values = (values ^ (values >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def _band_keys(bins: np.ndarray) -> list[tuple[int, ...]]:
    """Return ``dedupe.lookup_keys`` of signatures: each band's number mixed, then each of its bins in turn."""
    bands = bins.astype(np.uint64).reshape(len(bins), BANDS, ROWS)
    keys = np.broadcast_to(_mix(np.arange(BANDS, dtype=np.uint64)), bands.shape[:2])
    for row in range(ROWS):
        keys = _mix(keys ^ bands[:, :, row])
    return list(map(tuple, keys.view(np.int64).tolist()))
