"""Summed weight rows per uint64 key (a word, a word pair), computed on first sight and kept, found in numpy.

The scorer asks for the rows of ~40 keys per mention. A Python dict of int keys costs ~300 ns a lookup at this
size (each probe follows pointers to scattered int objects), more than everything else the scorer does; here
the keys sit in one open-addressing table of uint64 slots (linear probing, at most half full), and a batch's
keys are looked up together in a few numpy steps.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy

CACHE_LIMIT = 100_000  # keys kept per table: 8 MB of rows (20 labels), 16 MB when grown
_GOLDEN = numpy.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: a key's home slot is the top bits of key × this


class KeyedSums:
    """Rows of ``compute(keys)`` per key, kept for keys met before (bounded: all forgotten when full)."""

    def __init__(self, width: int, compute: Callable[[numpy.ndarray], numpy.ndarray], limit: int | None = None) -> None:
        self.width, self.compute = width, compute
        self.limit = limit or CACHE_LIMIT
        self.sums = numpy.zeros((1024, width), dtype=numpy.float32)
        self._clear(self.limit)

    def _clear(self, capacity: int) -> None:
        """Forget every key; make room for ``capacity`` keys (twice as many slots: probing stays short)."""
        self.bits = max(int(2 * capacity - 1).bit_length(), 4)
        size = 1 << self.bits
        self.slot_keys = numpy.zeros(size, dtype=numpy.uint64)
        self.slot_rows = numpy.full(size, -1, dtype=numpy.intp)  # -1: an empty slot
        self.count = 0

    def __len__(self) -> int:
        return self.count

    def _home(self, keys: numpy.ndarray) -> numpy.ndarray:
        with numpy.errstate(over="ignore"):
            return ((keys * _GOLDEN) >> numpy.uint64(64 - self.bits)).astype(numpy.intp)

    def find(self, keys: numpy.ndarray) -> numpy.ndarray:
        """Return each key's row in ``sums``, -1 for keys not kept."""
        rows = numpy.full(len(keys), -1, dtype=numpy.intp)
        pending = numpy.arange(len(keys))
        slots = self._home(keys)
        mask = (1 << self.bits) - 1
        while len(pending):
            found = self.slot_rows[slots]
            hit = (found >= 0) & (self.slot_keys[slots] == keys[pending])
            rows[pending[hit]] = found[hit]
            probing = (found >= 0) & ~hit  # an occupied slot of another key: try the next one
            pending, slots = pending[probing], (slots[probing] + 1) & mask
        return rows

    def gather(self, keys: numpy.ndarray) -> numpy.ndarray:
        """Return the kept rows of the uint64 ``keys``, one row per key (call under the scorer's lock)."""
        rows = self.find(keys)
        missing = rows < 0
        if missing.any():
            new = numpy.unique(keys[missing])
            if self.count + len(new) > self.limit:
                new = numpy.unique(keys)
                self._clear(max(self.limit, len(new)))  # one huge batch: a table that holds all its keys
            self._add(new)
            rows = self.find(keys)
        return numpy.take(self.sums, rows, axis=0)

    def _add(self, new: numpy.ndarray) -> None:
        """Compute and keep the rows of keys not kept yet (distinct)."""
        first = self.count
        if first + len(new) > len(self.sums):
            grown = numpy.zeros((2 * (first + len(new)), self.width), dtype=numpy.float32)
            grown[:first] = self.sums[:first]
            self.sums = grown
        self.sums[first:first + len(new)] = self.compute(new)
        mask = (1 << self.bits) - 1
        slot_keys, slot_rows = self.slot_keys, self.slot_rows
        for row, (key, slot) in enumerate(zip(new.tolist(), self._home(new).tolist(), strict=True), start=first):
            while slot_rows[slot] >= 0:
                slot = (slot + 1) & mask
            slot_keys[slot], slot_rows[slot] = key, row
        self.count = first + len(new)
