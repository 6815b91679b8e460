"""Store and look up near-duplicate sketches of posts (see community.domain.dedupe for the method)."""
from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from community.adapters.sql.tables import PostSketchKeyRow, PostSketchRow
from community.domain.dedupe import best_match, lookup_keys, sketch

MAX_CANDIDATES = 50


def index_post(session: Session, post_id: int, source: str, title: str, text: str) -> None:
    """Store a post's sketch and lookup keys (nothing for texts too short to fingerprint)."""
    value = sketch(f"{title}\n{text}")
    if value is None:
        return
    session.execute(insert(PostSketchRow), [{"post_id": post_id, "source": source, "sketch": list(value)}])
    session.execute(insert(PostSketchKeyRow), [{"key": key, "post_id": post_id} for key in lookup_keys(value)])


def find_near(session: Session, source: str, title: str, text: str) -> int | None:
    """Return the id of the most similar stored post from another source, or None."""
    value = sketch(f"{title}\n{text}")
    if value is None:
        return None
    shared = (select(PostSketchKeyRow.post_id).where(PostSketchKeyRow.key.in_(lookup_keys(value)))
              .group_by(PostSketchKeyRow.post_id).order_by(func.count().desc()).limit(MAX_CANDIDATES))
    rows = session.execute(select(PostSketchRow.post_id, PostSketchRow.sketch)
                           .where(PostSketchRow.post_id.in_(shared), PostSketchRow.source != source)).all()
    return best_match(value, {post_id: tuple(stored) for post_id, stored in rows})
