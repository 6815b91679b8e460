"""Write posts' near-duplicate sketches and band keys (see community.domain.dedupe for the method)."""
from __future__ import annotations

import struct
from itertools import pairwise
from typing import NamedTuple

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from community.domain.dedupe import K
from community.domain.dedupe_batch import sketch_batch


class Sketched(NamedTuple):
    """A text's sketch (None: too short), the same as stored (4 bytes per hash, little-endian) and its band keys."""

    sketch: tuple[int, ...] | None
    stored: bytes
    keys: tuple[int, ...]


_NONE = Sketched(None, b"", ())
_LAYOUTS = [struct.Struct(f"<{size}I") for size in range(K + 1)]


def decode(stored: bytes) -> tuple[int, ...]:
    """Return the sketch a ``post_sketches.sketch`` value holds."""
    return _LAYOUTS[len(stored) // 4].unpack(stored)


class SketchMemo:
    """The sketches of a unit of work's texts, each batch computed at once; asked for several times per post."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, str], Sketched] = {}

    def of(self, texts: list[tuple[str, str]]) -> list[Sketched]:
        """Return the sketch of each (title, text), computing the missing ones together."""
        missing = list(dict.fromkeys(pair for pair in texts if pair not in self.known))
        if missing:
            batch = sketch_batch([f"{title}\n{body}" for title, body in missing])
            stored, bounds = batch.values.astype("<u4").tobytes(), batch.bounds.tolist()
            for pair, value, (start, end), keys in zip(missing, batch.sketches(), pairwise(bounds), batch.keys(),
                                                       strict=True):
                self.known[pair] = Sketched(value, stored[4 * start:4 * end], keys) if value else _NONE
        return [self.known[pair] for pair in texts]


class SketchWriter:
    """Collect the sketches of posts added in a transaction and write them in two statements before commit.

    Lookups only compare with other sources, and one ingest batch holds one source's posts, so nothing
    is missed by writing the batch's sketches at its end.
    """

    def __init__(self, session: Session, memo: SketchMemo) -> None:
        self.session, self.memo, self.added = session, memo, []
        event.listen(session, "before_commit", self.write)

    def add(self, post_id: int, source: str, title: str, text: str) -> None:
        """Remember a post to sketch (a text too short to fingerprint gets no rows)."""
        self.added.append((post_id, source, (title, text)))

    def write(self, session: Session | None = None) -> None:
        """Insert what was collected: the sketches, then all their keys."""
        added, self.added = self.added, []
        sketched = self.memo.of([pair for _, _, pair in added])
        rows = [(post_id, source, value.stored) for (post_id, source, _), value in zip(added, sketched, strict=True)
                if value.sketch is not None]
        if rows:
            pairs = [(key, post_id) for (post_id, _, _), value in zip(added, sketched, strict=True)
                     for key in set(value.keys)]
            _insert_rows(self.session, rows, pairs)


def _insert_rows(session: Session, rows: list[tuple[int, str, bytes]], pairs: list[tuple[int, int]]) -> None:
    """Insert the sketch rows and their (key, post id) rows, straight to the driver (no per-row processing)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":  # arrays: one row of parameters per table
        ids, sources, values = zip(*rows, strict=True)
        keys, key_ids = zip(*pairs, strict=True)
        connection.execute(text("INSERT INTO post_sketches (post_id, source, sketch) SELECT * FROM unnest("
                                "CAST(:ids AS integer[]), CAST(:sources AS varchar[]), CAST(:values AS bytea[]))"),
                           {"ids": list(ids), "sources": list(sources), "values": list(values)})
        connection.execute(text('INSERT INTO post_sketch_keys ("key", post_id) SELECT * FROM '
                                "unnest(CAST(:keys AS bigint[]), CAST(:ids AS integer[]))"),
                           {"keys": list(keys), "ids": list(key_ids)})
        return
    connection.exec_driver_sql("INSERT INTO post_sketches (post_id, source, sketch) VALUES (?, ?, ?)", rows)
    connection.exec_driver_sql('INSERT INTO post_sketch_keys ("key", post_id) VALUES (?, ?)', pairs)
