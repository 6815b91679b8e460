"""Store and look up near-duplicate sketches of posts (see community.domain.dedupe for the method)."""
from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache

from sqlalchemy import event, func, insert, select, text
from sqlalchemy.orm import Session

from community.adapters.sql.lists import one_of
from community.adapters.sql.tables import PostRow, PostSketchKeyRow, PostSketchRow
from community.domain.dedupe import best_match, lookup_keys, sketch

MAX_CANDIDATES = 10
# A band key that more posts than this share comes from boilerplate (a signature, a template), not from one
# question cross-posted to a few sites: skip it, so a lookup reads at most this many rows per key.
STOP_KEY_POSTS = 20


@lru_cache(maxsize=512)
def _sketch(title: str, text: str) -> tuple[int, ...] | None:
    # Ingest asks twice for the same post (lookup, then indexing): compute it once.
    return sketch(f"{title}\n{text}")


# Each post's keys are needed three times (candidates, shortlist, indexing): compute them once.
_keys = lru_cache(maxsize=512)(lookup_keys)


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
            self.sketches.append((post_id, source, value))
            self.keys.extend((key, post_id) for key in set(_keys(value)))

    def write(self, session: Session | None = None) -> None:
        """Insert what was collected: the sketches, then all their keys as one array parameter."""
        if self.sketches:
            _insert_rows(self.session, self.sketches, self.keys)
        self.sketches, self.keys = [], []


def _insert_rows(session: Session, sketches: list[tuple[int, str, tuple[int, ...]]],
                 pairs: list[tuple[int, int]]) -> None:
    """Insert the sketch rows and their (key, post id) rows, each table's rows from one parameter.

    Row-by-row parameter handling cost more than the inserts themselves (~10 keys per post).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(insert(PostSketchRow.__table__), [
            {"post_id": post_id, "source": source, "sketch": list(value)} for post_id, source, value in sketches])
        keys, ids = zip(*pairs, strict=True)
        session.execute(text('INSERT INTO post_sketch_keys ("key", post_id) SELECT * FROM '
                             "unnest(CAST(:keys AS bigint[]), CAST(:ids AS integer[]))"),
                        {"keys": list(keys), "ids": list(ids)})
        return
    session.execute(text("INSERT INTO post_sketches (post_id, source, sketch) "
                         "SELECT value ->> 0, value ->> 1, value -> 2 FROM json_each(:rows)"), {"rows": json.dumps(sketches)})
    session.execute(text('INSERT INTO post_sketch_keys ("key", post_id) SELECT value ->> 0, value ->> 1 '
                         "FROM json_each(:pairs)"), {"pairs": json.dumps(pairs)})


def _candidates(session: Session, wanted: dict[int, tuple[int, ...]]) -> tuple[dict[int, list[int]], int]:
    """Map each lookup key to the stored posts that have it, stop-keys left out; also return the rows read.

    One pass over the key index: each key's posts come back as one aggregated row, and a key more than
    STOP_KEY_POSTS posts share (boilerplate) is dropped by HAVING, so at most that many ids per key are read.
    """
    keys = sorted({key for value in wanted.values() for key in _keys(value)})
    postgres = session.get_bind().dialect.name == "postgresql"
    posts = func.array_agg(PostSketchKeyRow.post_id) if postgres else func.json_group_array(PostSketchKeyRow.post_id)
    posts_by_key: dict[int, list[int]] = {}
    rows = 0
    for start in range(0, len(keys), 2000):
        chunk = keys[start:start + 2000]
        stmt = (select(PostSketchKeyRow.key, posts).where(one_of(session, PostSketchKeyRow.key, chunk))
                .group_by(PostSketchKeyRow.key).having(func.count() <= STOP_KEY_POSTS))
        for key, ids in session.execute(stmt):
            posts_by_key[key] = ids = list(ids) if postgres else json.loads(ids)
            rows += len(ids)
    return posts_by_key, rows


def _shortlist(value: tuple[int, ...], posts_by_key: dict[int, list[int]]) -> list[int]:
    """Rank the posts sharing band keys with this one: more keys first, a key fewer posts share weighs more."""
    scores: Counter[int] = Counter()
    for key in _keys(value):
        posts = posts_by_key.get(key, ())
        for post_id in posts:
            scores[post_id] += 1 / len(posts)
    return [post_id for post_id, _ in scores.most_common(MAX_CANDIDATES)]


class NearLookup:
    """Find near-duplicates for a whole batch of posts with two queries instead of one per post."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.prepared: dict[tuple[str, str, str], int | None] = {}
        self.threads: dict[int, int | None] = {}  # thread of each candidate read
        self.rows_read = 0  # candidate key rows fetched so far (bounded by STOP_KEY_POSTS per distinct key)

    def prepare(self, posts) -> None:
        """Look up the candidates of every post in the batch at once."""
        values = {i: v for i, post in enumerate(posts) if (v := _sketch(post.title, post.text)) is not None}
        posts_by_key, rows = _candidates(self.session, values) if values else ({}, 0)
        self.rows_read += rows
        shortlists = {i: _shortlist(value, posts_by_key) for i, value in values.items()}
        ids = sorted({post_id for short in shortlists.values() for post_id in short})
        stored: dict[int, tuple[str, tuple[int, ...]]] = {}
        sources = {post.source for post in posts}
        for start in range(0, len(ids), 2000):
            stmt = (select(PostSketchRow.post_id, PostSketchRow.source, PostSketchRow.sketch, PostRow.thread_id)
                    .join(PostRow, PostRow.id == PostSketchRow.post_id)
                    .where(one_of(self.session, PostSketchRow.post_id, ids[start:start + 2000])))
            if len(sources) == 1:  # a crawl's batch: only other sources' posts can be its near-duplicates
                stmt = stmt.where(PostSketchRow.source != next(iter(sources)))
            for post_id, source, value, thread_id in self.session.execute(stmt):
                stored[post_id] = (source, tuple(value))
                self.threads[post_id] = thread_id
        for i, post in enumerate(posts):
            others = {c: stored[c][1] for c in shortlists.get(i, ()) if c in stored and stored[c][0] != post.source}
            self.prepared[(post.source, post.title, post.text)] = best_match(values[i], others) if i in values else None

    def find(self, source: str, title: str, text: str) -> int | None:
        """Return the prepared answer for a post, or look it up now."""
        key = (source, title, text)
        return self.prepared[key] if key in self.prepared else find_near(self.session, source, title, text)


def find_near(session: Session, source: str, title: str, text: str) -> int | None:
    """Return the id of the most similar stored post from another source, or None."""
    value = _sketch(title, text)
    if value is None:
        return None
    shortlist = _shortlist(value, _candidates(session, {0: value})[0])  # ranked as a batch's lookups are
    rows = session.execute(select(PostSketchRow.post_id, PostSketchRow.sketch)
                           .where(PostSketchRow.post_id.in_(shortlist), PostSketchRow.source != source)).all()
    return best_match(value, {post_id: tuple(stored) for post_id, stored in rows})
