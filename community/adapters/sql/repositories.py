"""SQLAlchemy implementations of the repository ports and the unit of work."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from community.adapters.sql.bulk import insert_returning
from community.adapters.sql.gamification import SqlGamificationRepository
from community.adapters.sql.gamification_catalogue import SqlCatalogueRepository
from community.adapters.sql.lists import one_of
from community.adapters.sql.near_duplicates import NearLookup
from community.adapters.sql.routing import SqlRoutingRepository
from community.adapters.sql.sketch_rows import SketchWriter
from community.adapters.sql.tables import AnswerRow, PostRow, SourceRow, ThreadEventRow, ThreadRow, UserRow
from community.domain.errors import Conflict, NotFound
from community.domain.model import (
    Analysis,
    PendingPost,
    RawPost,
    Role,
    StoredPost,
    Target,
    Thread,
    ThreadEvent,
    ThreadState,
    User,
    content_hash,
)


class SqlSourceRepository:
    """Sources and their crawl health."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self, name: str) -> SourceRow | None:
        return self.session.scalar(select(SourceRow).where(SourceRow.name == name))

    def ensure(self, name: str, kind: str, url: str) -> int:
        """Create the source row if missing (or update kind/URL) and return its id."""
        row = self._row(name)
        if row is None:
            row = SourceRow(name=name, kind=kind, url=url, state={})
            self.session.add(row)
            self.session.flush()
        else:
            row.kind, row.url = kind, url
        return row.id

    def record_run(self, name: str, *, ok: bool, seen: int, new: int, error: str | None, at: datetime) -> None:
        """Record the outcome of one crawl."""
        row = self._row(name)
        if row is None:
            raise NotFound(f"source {name!r} is not configured")
        row.last_run, row.posts_seen, row.posts_new = at, seen, new
        if ok:
            row.last_success, row.last_error, row.consecutive_failures = at, None, 0
        else:
            row.last_error, row.consecutive_failures = error, (row.consecutive_failures or 0) + 1

    def get_state(self, name: str) -> dict:
        """Return the connector state kept between runs (ETag, Last-Modified, cursors)."""
        row = self._row(name)
        return dict(row.state or {}) if row else {}

    def set_state(self, name: str, state: dict) -> None:
        """Replace the connector state of a source."""
        row = self._row(name)
        if row is not None:
            row.state = dict(state)

    def set_backoff(self, name: str, until: datetime | None) -> None:
        """Set (or clear) the time before which the scheduler leaves a failing source alone."""
        row = self._row(name)
        if row is not None:
            row.backoff_until = until

    def health_of(self, name: str) -> dict | None:
        """Return the health of one source (as ``health()`` does for all), or None when unknown."""
        return next((h for h in self.health() if h["name"] == name), None)

    def health(self) -> list[dict]:
        """Return one dict per source: last run/success, counts, last error, failures, backoff, newest post."""
        rows = self.session.scalars(select(SourceRow).order_by(SourceRow.name))
        newest = dict(self.session.execute(select(PostRow.source, func.max(PostRow.published)).group_by(PostRow.source)).all())
        return [
            {"name": r.name, "kind": r.kind, "url": r.url, "last_run": r.last_run, "last_success": r.last_success,
             "posts_seen": r.posts_seen, "posts_new": r.posts_new, "last_error": r.last_error,
             "consecutive_failures": r.consecutive_failures, "backoff_until": r.backoff_until,
             "newest_post": newest.get(r.name)}
            for r in rows
        ]

    def count(self) -> int:
        """Return how many sources are known."""
        return self.session.scalar(select(func.count()).select_from(SourceRow)) or 0


def _post_values(post: RawPost, analysis: Analysis | None, thread_id: int | None, at: datetime) -> dict:
    """Return a post row; without an analysis the post waits for the analysis stage (``analysed_at`` NULL)."""
    values = dict(source=post.source, external_id=post.external_id, url=post.url, author=post.author,
                  title=post.title, text=post.text, published=post.published, fetched_at=at,
                  content_hash=content_hash(post.title, post.text), thread_id=thread_id, extra=dict(post.extra),
                  lang_hint=post.lang_hint, language=post.lang_hint or "other", topic="other",
                  urgency_level="normal", sentiment="neutral", analysis={}, analysed_at=None)
    if analysis is not None:
        values.update(_analysis_values(analysis, at))
    return values


_ANALYSIS_COLUMNS = ("language", "topic", "urgency_level", "sentiment", "analysis", "analysed_at")


def _analysis_values(analysis: Analysis, at: datetime) -> dict:
    return dict(zip(_ANALYSIS_COLUMNS, (analysis.language, analysis.topic, analysis.urgency_level,
                                        analysis.sentiment_label, analysis.as_dict(), at), strict=True))


def _stored(row: PostRow) -> StoredPost:
    return StoredPost(id=row.id, source=row.source, external_id=row.external_id, url=row.url, title=row.title,
                      text=row.text, author=row.author, published=row.published, thread_id=row.thread_id,
                      analysis=dict(row.analysis or {}))


class SqlPostRepository:
    """Stored mentions."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.near = NearLookup(session)
        self.sketches = SketchWriter(session, self.near.memo)  # the sketches the lookups computed are stored
        self.twins: dict[str, StoredPost | tuple] | None = None  # content hash → first post, once prepared

    def exists(self, source: str, external_id: str) -> bool:
        """Tell whether this (source, external id) is stored already."""
        stmt = select(PostRow.id).where(PostRow.source == source, PostRow.external_id == external_id)
        return self.session.scalar(stmt) is not None

    def existing(self, keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
        """Return which of these (source, external id) pairs are stored already (one query per source)."""
        found: set[tuple[str, str]] = set()
        by_source: dict[str, list[str]] = {}
        for source, external_id in keys:
            by_source.setdefault(source, []).append(external_id)
        for source, ids in by_source.items():
            stmt = select(PostRow.external_id).where(PostRow.source == source,
                                                     one_of(self.session, PostRow.external_id, ids))
            found.update((source, external_id) for external_id in self.session.scalars(stmt))
        return found

    def add(self, post: RawPost, analysis: Analysis, thread_id: int, at: datetime) -> int:
        """Store a post with its analysis, linked to a thread."""
        row = PostRow(**_post_values(post, analysis, thread_id, at))
        self.session.add(row)
        self.session.flush()
        self.sketches.add(row.id, post.source, post.title, post.text)
        if self.twins is not None:
            self.twins.setdefault(row.content_hash, _stored(row))
        return row.id

    def add_many(self, posts: Sequence[tuple[RawPost, Analysis | None, int | None]], at: datetime) -> list[int]:
        """Store many (post, analysis or None: waiting, thread id) in one statement; Conflict if one is stored."""
        values = [_post_values(post, analysis, thread_id, at) for post, analysis, thread_id in posts]
        if not values:
            return []
        try:  # RETURNING the natural key, not in parameter order: SQLAlchemy would then insert row by row on SQLite
            stored = {(source, external_id): post_id for post_id, source, external_id
                      in insert_returning(self.session, PostRow.__table__, values, ("id", "source", "external_id"))}
        except IntegrityError as exc:
            raise Conflict(f"a post of this batch was stored meanwhile: {exc.orig}") from exc
        ids = [stored[(row["source"], row["external_id"])] for row in values]
        for post_id, row in zip(ids, values, strict=True):
            self.sketches.add(post_id, row["source"], row["title"], row["text"])
            if self.twins is not None:
                self.twins.setdefault(row["content_hash"], (post_id, row))  # a StoredPost when asked for
        return ids

    def pending(self, after_id: int, limit: int) -> list[PendingPost]:
        """Return up to ``limit`` posts waiting for analysis with ids above ``after_id``, oldest first."""
        stmt = (select(PostRow.id, PostRow.source, PostRow.external_id, PostRow.url, PostRow.title, PostRow.text,
                       PostRow.author, PostRow.published, PostRow.lang_hint, PostRow.extra, PostRow.thread_id,
                       ThreadRow.key, ThreadRow.title, ThreadRow.state, ThreadRow.created_at)
                .outerjoin(ThreadRow, ThreadRow.id == PostRow.thread_id)
                .where(PostRow.analysed_at.is_(None), PostRow.id > after_id).order_by(PostRow.id).limit(limit))
        return [PendingPost(id=row[0], post=RawPost(source=row[1], external_id=row[2], url=row[3], title=row[4],
                                                    text=row[5], author=row[6], published=row[7], lang_hint=row[8],
                                                    extra=dict(row[9] or {})),
                            thread_id=row[10], thread_key=row[11] or "", thread_title=row[12] or "",
                            thread_state=ThreadState(row[13]) if row[13] else None, thread_created=row[14])
                for row in self.session.execute(stmt)]

    def claim_pending(self, post_ids: Sequence[int]) -> set[int]:
        """Return which of these posts still wait for analysis, locked for this transaction (others' locks skipped)."""
        if not post_ids:
            return set()
        stmt = select(PostRow.id).where(one_of(self.session, PostRow.id, post_ids), PostRow.analysed_at.is_(None))
        if self.session.get_bind().dialect.name == "postgresql":  # SQLite's writer is alone already
            stmt = stmt.with_for_update(skip_locked=True)
        return set(self.session.scalars(stmt))

    def record_analyses(self, analyses: Sequence[tuple[int, Analysis]], at: datetime) -> None:
        """Store each post's analysis (one statement for all) and mark it analysed."""
        if analyses:
            table = PostRow.__table__
            stmt = update(table).where(table.c.id == bindparam("post_id")).values(
                {name: bindparam(f"v_{name}") for name in _ANALYSIS_COLUMNS})
            self.session.execute(stmt, [{"post_id": post_id, **{f"v_{k}": v for k, v in _analysis_values(a, at).items()}}
                                        for post_id, a in analyses])

    def find_near(self, post: RawPost) -> StoredPost | None:
        """Return the stored post from another source that is a near-duplicate of this one, if any."""
        post_id = self.near.find(post.source, post.title, post.text)
        return _stored(self.session.get(PostRow, post_id)) if post_id is not None else None

    def near_thread(self, post: RawPost) -> int | None:
        """Return the thread of the stored near-duplicate from another source, if any (``find_near``'s thread)."""
        post_id = self.near.find(post.source, post.title, post.text)
        if post_id is None:
            return None
        if post_id in self.near.threads:
            return self.near.threads[post_id]
        return self.session.scalar(select(PostRow.thread_id).where(PostRow.id == post_id))

    def prepare_lookups(self, posts: list[RawPost]) -> None:
        """Look up content-hash twins and near-duplicate candidates for a batch at once (then from memory)."""
        self.near.prepare(posts)
        hashes, self.twins = sorted({content_hash(post.title, post.text) for post in posts}), {}
        stmt = select(PostRow).where(one_of(self.session, PostRow.content_hash, hashes)).order_by(PostRow.id)
        for row in self.session.scalars(stmt):
            self.twins.setdefault(row.content_hash, _stored(row))

    def find_by_hash(self, content_hash: str) -> StoredPost | None:
        """Return the first stored post with this content hash."""
        if self.twins is not None:
            twin = self.twins.get(content_hash)
            if isinstance(twin, tuple):  # added by add_many in this unit of work
                post_id, row = twin
                twin = self.twins[content_hash] = StoredPost(
                    id=post_id, source=row["source"], external_id=row["external_id"], url=row["url"],
                    title=row["title"], text=row["text"], author=row["author"], published=row["published"],
                    thread_id=row["thread_id"], analysis=row["analysis"])
            return twin
        row = self.session.scalar(select(PostRow).where(PostRow.content_hash == content_hash).order_by(PostRow.id).limit(1))
        return _stored(row) if row else None

    def for_thread(self, thread_id: int) -> list[StoredPost]:
        """Return the posts of a thread, oldest first."""
        rows = self.session.scalars(select(PostRow).where(PostRow.thread_id == thread_id).order_by(PostRow.id))
        return [_stored(r) for r in rows]

    def recent(self, since: datetime | None = None, limit: int = 1000) -> list[StoredPost]:
        """Return stored posts, newest first, optionally since a time."""
        stmt = select(PostRow).order_by(PostRow.id.desc()).limit(limit)
        if since is not None:
            stmt = stmt.where(PostRow.fetched_at >= since)
        return [_stored(r) for r in self.session.scalars(stmt)]

    def count(self) -> int:
        """Return how many posts are stored."""
        return self.session.scalar(select(func.count()).select_from(PostRow)) or 0

    def pending_count(self) -> int:
        """Return how many stored posts wait for the analysis pass."""
        return self.session.scalar(select(func.count()).select_from(PostRow).where(PostRow.analysed_at.is_(None))) or 0


def _thread(row: ThreadRow) -> Thread:
    return Thread(id=row.id, key=row.key, title=row.title, state=ThreadState(row.state),
                  target=Target(row.target) if row.target else None, queue=row.queue, priority=row.priority,
                  topic=row.topic, language=row.language, created_at=row.created_at,
                  first_response_due=row.first_response_due, claimed_by=row.claimed_by,
                  claim_expires=row.claim_expires, staff_only=row.staff_only, decision=dict(row.decision or {}))


_PRIORITY_ORDER = {"critical": 0, "high": 1, "normal": 2, "low": 3}


class SqlThreadRepository:
    """Threads, their history and claims."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, thread: Thread) -> int:
        """Insert a new thread and return its id."""
        row = ThreadRow(key=thread.key, title=thread.title, state=str(thread.state),
                        target=str(thread.target) if thread.target else None, queue=thread.queue,
                        priority=thread.priority, topic=thread.topic, language=thread.language,
                        staff_only=thread.staff_only, created_at=thread.created_at, updated_at=thread.created_at,
                        first_response_due=thread.first_response_due, decision=dict(thread.decision))
        self.session.add(row)
        self.session.flush()
        thread.id = row.id
        return row.id

    def add_many(self, threads: Sequence[Thread]) -> list[int]:
        """Insert new threads in one statement, set their ids and return them; Conflict if a key is taken."""
        values = [dict(key=t.key, title=t.title, state=str(t.state), target=str(t.target) if t.target else None,
                       queue=t.queue, priority=t.priority, topic=t.topic, language=t.language,
                       staff_only=t.staff_only, created_at=t.created_at, updated_at=t.created_at,
                       first_response_due=t.first_response_due, decision=dict(t.decision)) for t in threads]
        if not values:
            return []
        try:  # by key: see SqlPostRepository.add_many
            stored = {key: thread_id for thread_id, key in insert_returning(self.session, ThreadRow.__table__, values,
                                                                              ("id", "key"))}
        except IntegrityError as exc:
            raise Conflict(f"a thread of this batch was opened meanwhile: {exc.orig}") from exc
        ids = [stored[row["key"]] for row in values]
        for thread, thread_id in zip(threads, ids, strict=True):
            thread.id = thread_id
        return ids

    def route_many(self, threads: Sequence[Thread], at: datetime) -> list[int]:
        """Write the routing of threads that are still new (one statement); return the ids written, in order.

        A thread another analysis pass routed meanwhile is left as it is (locked and re-read on PostgreSQL).
        """
        ids = [t.id for t in threads]
        if not ids:
            return []
        stmt = select(ThreadRow.id).where(one_of(self.session, ThreadRow.id, ids), ThreadRow.state == "new")
        if self.session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        still_new = set(self.session.scalars(stmt))
        won = [t for t in threads if t.id in still_new]
        if won:
            table = ThreadRow.__table__
            columns = ("state", "target", "queue", "priority", "topic", "language", "staff_only",
                       "first_response_due", "decision", "updated_at")
            stmt = update(table).where(table.c.id == bindparam("thread_id")).values(
                {name: bindparam(f"v_{name}") for name in columns})
            self.session.execute(stmt, [dict(
                thread_id=t.id, v_state=str(t.state), v_target=str(t.target) if t.target else None, v_queue=t.queue,
                v_priority=t.priority, v_topic=t.topic, v_language=t.language, v_staff_only=t.staff_only,
                v_first_response_due=t.first_response_due, v_decision=dict(t.decision), v_updated_at=at)
                for t in won])
        return [t.id for t in won]

    def by_keys(self, keys: Iterable[str]) -> dict[str, Thread]:
        """Return the threads with these keys, by key (one query)."""
        wanted = sorted(set(keys))
        if not wanted:
            return {}
        rows = self.session.scalars(select(ThreadRow).where(one_of(self.session, ThreadRow.key, wanted)))
        return {row.key: _thread(row) for row in rows}

    def get(self, thread_id: int) -> Thread:
        """Return a thread or raise NotFound."""
        row = self.session.get(ThreadRow, thread_id)
        if row is None:
            raise NotFound(f"thread {thread_id} does not exist")
        return _thread(row)

    def by_key(self, key: str) -> Thread | None:
        """Return the thread with this key, if any."""
        row = self.session.scalar(select(ThreadRow).where(ThreadRow.key == key))
        return _thread(row) if row else None

    def save(self, thread: Thread) -> None:
        """Write a thread's mutable fields back."""
        row = self.session.get(ThreadRow, thread.id)
        if row is None:
            raise NotFound(f"thread {thread.id} does not exist")
        row.title, row.state = thread.title, str(thread.state)
        row.target = str(thread.target) if thread.target else None
        row.queue, row.priority, row.topic, row.language = thread.queue, thread.priority, thread.topic, thread.language
        row.staff_only, row.first_response_due = thread.staff_only, thread.first_response_due
        row.claimed_by, row.claim_expires, row.decision = thread.claimed_by, thread.claim_expires, dict(thread.decision)

    def list(self, *, states: Iterable[str] | None = None, target: str | None = None, queue: str | None = None,
             claimed_by: int | None = None, limit: int = 200) -> list[Thread]:
        """Return threads filtered by state/target/queue/claimer, most urgent and longest waiting first."""
        stmt = select(ThreadRow)
        if states is not None:
            stmt = stmt.where(ThreadRow.state.in_([str(s) for s in states]))
        if target is not None:
            stmt = stmt.where(ThreadRow.target == target)
        if queue is not None:
            stmt = stmt.where(ThreadRow.queue == queue)
        if claimed_by is not None:
            stmt = stmt.where(ThreadRow.claimed_by == claimed_by)
        rows = list(self.session.scalars(stmt.order_by(ThreadRow.created_at, ThreadRow.id).limit(limit * 5)))
        rows.sort(key=lambda r: _PRIORITY_ORDER.get(r.priority, 2))
        return [_thread(r) for r in rows[:limit]]

    def counts_by_state(self) -> dict[str, int]:
        """Return how many threads are in each state."""
        stmt = select(ThreadRow.state, func.count()).group_by(ThreadRow.state)
        return {state: n for state, n in self.session.execute(stmt)}

    def add_event(self, event: ThreadEvent) -> None:
        """Append an entry to a thread's history."""
        self.session.add(ThreadEventRow(thread_id=event.thread_id, at=event.at, kind=event.kind,
                                        actor_id=event.actor_id, body=event.body, data=dict(event.data)))

    def add_events(self, events: Sequence[ThreadEvent]) -> None:
        """Append many history entries in one statement, after any added before (same order as ``add_event``)."""
        if events:
            self.session.flush()
            self.session.execute(insert(ThreadEventRow.__table__), [
                dict(thread_id=e.thread_id, at=e.at, kind=e.kind, actor_id=e.actor_id, body=e.body, data=dict(e.data))
                for e in events])

    def events(self, thread_id: int) -> list[ThreadEvent]:
        """Return a thread's history, oldest first."""
        rows = self.session.scalars(select(ThreadEventRow).where(ThreadEventRow.thread_id == thread_id)
                                    .order_by(ThreadEventRow.at, ThreadEventRow.id))
        return [ThreadEvent(thread_id=r.thread_id, kind=r.kind, at=r.at, actor_id=r.actor_id, body=r.body,
                            data=dict(r.data or {})) for r in rows]

    def claim(self, thread_id: int, user_id: int, now: datetime, expires: datetime) -> bool:
        """Atomically take the claim on a routed (or lease-expired) thread; True when this call won it."""
        free = (ThreadRow.claimed_by.is_(None)) | (ThreadRow.claim_expires < now)
        stmt = (update(ThreadRow)
                .where(ThreadRow.id == thread_id, ThreadRow.state.in_(["routed", "claimed", "escalated"]), free)
                .values(claimed_by=user_id, claim_expires=expires, state="claimed", updated_at=now)
                .execution_options(synchronize_session=False))
        return self.session.execute(stmt).rowcount == 1

    def add_answer(self, thread_id: int, author_id: int, body: str, at: datetime) -> int:
        """Store an answer to a thread and return its id."""
        row = AnswerRow(thread_id=thread_id, author_id=author_id, body=body, created_at=at)
        self.session.add(row)
        self.session.flush()
        return row.id


def _user(row: UserRow) -> User:
    return User(id=row.id, name=row.name, role=Role(row.role), display_name=row.display_name or row.name,
                languages=tuple(row.languages or ()), expertise=dict(row.expertise or {}), capacity=row.capacity,
                active=row.active, timezone=row.timezone, availability=tuple(row.availability or ()))


class SqlUserRepository:
    """Platform users."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user: User, password_hash: str) -> int:
        """Insert a user and return the id."""
        row = UserRow(name=user.name, display_name=user.display_name or user.name, role=str(user.role),
                      password_hash=password_hash, languages=list(user.languages), expertise=dict(user.expertise),
                      capacity=user.capacity, active=user.active, timezone=user.timezone,
                      availability=list(user.availability))
        self.session.add(row)
        self.session.flush()
        user.id = row.id
        return row.id

    def get(self, user_id: int) -> User:
        """Return a user or raise NotFound."""
        row = self.session.get(UserRow, user_id)
        if row is None:
            raise NotFound(f"user {user_id} does not exist")
        return _user(row)

    def by_name(self, name: str) -> User | None:
        """Return the user with this login name, if any."""
        row = self.session.scalar(select(UserRow).where(UserRow.name == name))
        return _user(row) if row else None

    def password_hash(self, name: str) -> str | None:
        """Return the stored password hash of a login name."""
        return self.session.scalar(select(UserRow.password_hash).where(UserRow.name == name))

    def list(self, role: str | None = None) -> list[User]:
        """Return users, optionally of one role."""
        stmt = select(UserRow).order_by(UserRow.name)
        if role is not None:
            stmt = stmt.where(UserRow.role == role)
        return [_user(r) for r in self.session.scalars(stmt)]

    def counts_by_role(self) -> dict[str, int]:
        """Return how many users have each role."""
        return {role: n for role, n in self.session.execute(select(UserRow.role, func.count()).group_by(UserRow.role))}


class SqlUnitOfWork:
    """One database transaction over every repository."""

    def __init__(self, session_factory: sessionmaker) -> None:
        self.session_factory = session_factory

    def __enter__(self) -> SqlUnitOfWork:
        self.session = self.session_factory()
        self.sources = SqlSourceRepository(self.session)
        self.posts = SqlPostRepository(self.session)
        self.threads = SqlThreadRepository(self.session)
        self.users = SqlUserRepository(self.session)
        self.gamification = SqlGamificationRepository(self.session)
        self.catalogue = SqlCatalogueRepository(self.session)
        self.routing = SqlRoutingRepository(self.session)
        return self

    def __exit__(self, *exc) -> None:
        self.rollback()
        self.session.close()

    def commit(self) -> None:
        """Commit the transaction."""
        self.session.commit()

    def rollback(self) -> None:
        """Roll back whatever was not committed."""
        self.session.rollback()
