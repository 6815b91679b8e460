"""Look up the near-duplicates of posts among the stored sketches (see community.domain.dedupe for the method)."""
from __future__ import annotations

import json
from collections import Counter
from functools import cache

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from community.adapters.sql.lists import list_value, one_of_named
from community.adapters.sql.sketch_rows import SketchMemo, decode
from community.adapters.sql.tables import PostRow, PostSketchKeyRow, PostSketchRow
from community.domain.dedupe import best_match

MAX_CANDIDATES = 10
# A band key that more posts than this share comes from boilerplate (a signature, a template), not from one
# question cross-posted to a few sites: skip it, so a lookup reads at most this many rows per key.
STOP_KEY_POSTS = 20


def _candidates(session: Session, keys: set[int], postgres: bool) -> tuple[dict[int, list[int]], int]:
    """Map each lookup key to the stored posts that have it, stop-keys left out; also return the rows read.

    One pass over the key index: each key's posts come back as one aggregated row, and a key more than
    STOP_KEY_POSTS posts share (boilerplate) is dropped by HAVING, so at most that many ids per key are read.
    """
    keys = sorted(keys)
    posts_by_key: dict[int, list[int]] = {}
    rows = 0
    for start in range(0, len(keys), 2000):
        chunk = list_value(keys[start:start + 2000], postgres)
        for key, ids in session.execute(_posts_by_key(postgres), {"keys": chunk}):
            posts_by_key[key] = ids = list(ids) if postgres else json.loads(ids)
            rows += len(ids)
    return posts_by_key, rows


@cache
def _posts_by_key(postgres: bool) -> Select:
    """Return the candidate query (built once: SQLAlchemy then finds its compiled form without rebuilding a key)."""
    posts = func.array_agg(PostSketchKeyRow.post_id) if postgres else func.json_group_array(PostSketchKeyRow.post_id)
    return (select(PostSketchKeyRow.key, posts).where(one_of_named(PostSketchKeyRow.key, "keys", postgres))
            .group_by(PostSketchKeyRow.key).having(func.count() <= STOP_KEY_POSTS))


@cache
def _stored_sketches(postgres: bool, other_source: bool) -> Select:
    """Return the query for candidates' sketches and threads (from another source than ``:source`` if asked)."""
    stmt = (select(PostSketchRow.post_id, PostSketchRow.source, PostSketchRow.sketch, PostRow.thread_id)
            .join(PostRow, PostRow.id == PostSketchRow.post_id)
            .where(one_of_named(PostSketchRow.post_id, "ids", postgres)))
    return stmt.where(PostSketchRow.source != bindparam("source")) if other_source else stmt


def _shortlist(keys: tuple[int, ...], posts_by_key: dict[int, list[int]]) -> list[int]:
    """Rank the posts sharing band keys with this one: more keys first, a key fewer posts share weighs more."""
    hits = [posts_by_key[key] for key in keys if key in posts_by_key]
    if len(hits) <= 1:  # one key's posts all score the same: most_common keeps their order
        return hits[0][:MAX_CANDIDATES] if hits else []
    scores: Counter[int] = Counter()
    for posts in hits:
        for post_id in posts:
            scores[post_id] += 1 / len(posts)
    return [post_id for post_id, _ in scores.most_common(MAX_CANDIDATES)]


class NearLookup:
    """Find near-duplicates for a whole batch of posts with two queries instead of one per post."""

    def __init__(self, session: Session) -> None:
        self.session, self.memo = session, SketchMemo()
        self.postgres = session.get_bind().dialect.name == "postgresql"
        self.prepared: dict[tuple[str, str, str], int | None] = {}
        self.threads: dict[int, int | None] = {}  # thread of each candidate read
        self.rows_read = 0  # candidate key rows fetched so far (bounded by STOP_KEY_POSTS per distinct key)

    def prepare(self, posts) -> None:
        """Look up the candidates of every post in the batch at once."""
        sketched = dict(enumerate(self.memo.of([(post.title, post.text) for post in posts])))
        values = {i: value for i, value in sketched.items() if value.sketch is not None}
        keys = {key for value in values.values() for key in value.keys}
        posts_by_key, rows = _candidates(self.session, keys, self.postgres) if keys else ({}, 0)
        self.rows_read += rows
        shortlists = {i: _shortlist(value.keys, posts_by_key) for i, value in values.items()} if posts_by_key else {}
        ids = sorted({post_id for short in shortlists.values() for post_id in short})
        stored: dict[int, tuple[str, tuple[int, ...]]] = {}
        sources = {post.source for post in posts}
        stmt = _stored_sketches(self.postgres, len(sources) == 1)  # one source (a crawl's batch): only others' count
        for start in range(0, len(ids), 2000):
            params = {"ids": list_value(ids[start:start + 2000], self.postgres)}
            if len(sources) == 1:
                params["source"] = next(iter(sources))
            for post_id, source, value, thread_id in self.session.execute(stmt, params):
                stored[post_id] = (source, decode(value))
                self.threads[post_id] = thread_id
        for i, post in enumerate(posts):
            others = {c: stored[c][1] for c in shortlists.get(i, ()) if c in stored and stored[c][0] != post.source}
            self.prepared[(post.source, post.title, post.text)] = best_match(values[i].sketch, others) if others else None

    def find(self, source: str, title: str, text: str) -> int | None:
        """Return the prepared answer for a post, or look it up now."""
        key = (source, title, text)
        return self.prepared[key] if key in self.prepared else self.find_now(source, title, text)

    def find_now(self, source: str, title: str, text: str) -> int | None:
        """Return the id of the most similar stored post from another source, or None."""
        (value,) = self.memo.of([(title, text)])
        if value.sketch is None:
            return None
        shortlist = _shortlist(value.keys, _candidates(self.session, set(value.keys), self.postgres)[0])  # as in a batch
        if not shortlist:
            return None
        others = {}
        for post_id, _, stored, thread_id in self.session.execute(
                _stored_sketches(self.postgres, True), {"ids": list_value(shortlist, self.postgres), "source": source}):
            others[post_id] = decode(stored)
            self.threads[post_id] = thread_id
        return best_match(value.sketch, others)
