"""The near-duplicate band keys as the schema stored them from revision 0007 to 0008 (BLAKE2b), frozen here for
the migrations that write them: 0007's upgrade and 0009's downgrade (live code, ``dedupe.lookup_keys``, mixes the
bands with SplitMix64 since 0009)."""
from __future__ import annotations

import hashlib
import struct

from community.domain.dedupe import BANDS, ROWS, signature


def blake2b_band_keys(values: tuple[int, ...]) -> tuple[int, ...]:
    """Return a sketch's band keys up to 0008: BLAKE2b over the band's number and bins, packed big-endian."""
    bins = signature(values)
    return tuple(int.from_bytes(hashlib.blake2b(
        struct.pack(f'>{ROWS + 1}Q', band, *bins[band * ROWS:(band + 1) * ROWS]), digest_size=8).digest(),
        'big', signed=True) for band in range(BANDS))
