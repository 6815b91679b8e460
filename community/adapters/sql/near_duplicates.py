"""Store and look up near-duplicate sketches of posts (see community.domain.dedupe for the method)."""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy import event, func, insert, select
from sqlalchemy.orm import Session

from community.adapters.sql.tables import PostSketchKeyRow, PostSketchRow
from community.domain.dedupe import best_match, lookup_keys, sketch

MAX_CANDIDATES = 10
MIN_SHARED_KEYS = 2  # texts with Jaccard similarity ≥ 0.7 share most of their smallest hashes


@lru_cache(maxsize=512)
def _sketch(title: str, text: str) -> tuple[int, ...] | None:
    # Ingest asks twice for the same post (lookup, then indexing): compute it once.
    return sketch(f"{title}\n{text}")


class SketchWriter:
    """Collect the sketches of posts added in a transaction and write them in two statements before commit.

    Lookups only compare with other sources, and one ingest batch holds one source's posts, so nothing
    is missed by writing the batch's sketches at its end.
    """

    def __init__(self, session: Session) -> None:
        self.session, self.sketches, self.keys = session, [], []
        event.listen(session, "before_commit", self.write)

    def add(self, post_id: int, source: str, title: str, text: str) -> None:
        """Remember a post's sketch and lookup keys (nothing for texts too short to fingerprint)."""
        value = _sketch(title, text)
        if value is not None:
            self.sketches.append({"post_id": post_id, "source": source, "sketch": list(value)})
            self.keys.extend({"key": key, "post_id": post_id} for key in lookup_keys(value))

    def write(self, session: Session | None = None) -> None:
        """Insert what was collected."""
        if self.sketches:
            self.session.execute(insert(PostSketchRow), self.sketches)
            self.session.execute(insert(PostSketchKeyRow), self.keys)
        self.sketches, self.keys = [], []


def find_near(session: Session, source: str, title: str, text: str) -> int | None:
    """Return the id of the most similar stored post from another source, or None."""
    value = _sketch(title, text)
    if value is None:
        return None
    shared = (select(PostSketchKeyRow.post_id).where(PostSketchKeyRow.key.in_(lookup_keys(value)))
              .group_by(PostSketchKeyRow.post_id).having(func.count() >= MIN_SHARED_KEYS)
              .order_by(func.count().desc()).limit(MAX_CANDIDATES))
    rows = session.execute(select(PostSketchRow.post_id, PostSketchRow.sketch)
                           .where(PostSketchRow.post_id.in_(shared), PostSketchRow.source != source)).all()
    return best_match(value, {post_id: tuple(stored) for post_id, stored in rows})
