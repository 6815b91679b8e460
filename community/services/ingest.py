"""Ingest: store matching posts exactly once and group them into threads; then read and route what was stored.

Storing and reading are two stages with the stored posts as the queue between them (an outbox):
``store`` writes each batch in one short transaction: skip known posts (one query), find each post's thread
(thread key, content-hash twin, near-duplicate; the lookups for the whole batch prepared at once), open a
``new`` thread for a post that has none, then insert threads and posts with a few multi-row statements.
``community.services.analysis.analyse_pending`` then classifies every post still waiting and routes the new
threads. ``ingest`` runs both. A slow classifier or router never holds the database's writer while a crawl
stores, and a crash between the stages loses nothing: the stored posts wait for the next analysis pass (the
scheduler runs one every minute).

A post the source marks as the accepted answer resolves its answered thread, and after the batch commits the
resolution publishes the answer to the knowledge base.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import datetime

from community.domain.errors import Conflict
from community.domain.model import RawPost, Thread, ThreadState, content_hash
from community.ports import Classifier, Clock, UnitOfWork
from community.services import work
from community.services.analysis import Router, analyse_pending  # Router: the type of ingest's router
from community.services.knowledge import KnowledgeService
from community.services.resolution import publish_resolution

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    """What one ingest run did: the store stage's counts, then the analysis stage's."""

    seen: int = 0
    new: int = 0
    duplicates: int = 0
    skipped: int = 0
    threads_created: int = 0
    attached: int = 0
    analysed: int = 0
    routed: int = 0
    likely_answered: int = 0
    accepted: list[int] = field(default_factory=list)  # threads resolved because the asker accepted the answer
    errors: list[str] = field(default_factory=list)

    def absorb(self, other) -> None:
        """Add another report's counts (and errors) to this one (an analysis report adds its own fields)."""
        for f in fields(other):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


def thread_key(post: RawPost) -> str:
    """Key of the thread a post belongs to: the source's own thread id when it has one, else the post itself."""
    return f"{post.source}:{post.thread_key or post.external_id}"


def ingest(uow_factory: Callable[[], UnitOfWork], posts: Iterable[RawPost], *, classifier: Classifier,
           router: Router, clock: Clock, matches: Callable[[RawPost], bool] = lambda _p: True,
           batch_size: int = 200, knowledge: KnowledgeService | None = None) -> IngestReport:
    """Store every matching post once (idempotent on source + external id), then analyse and route what waits.

    ``knowledge`` marks new threads a published article likely answers and publishes accepted answers.
    """
    report = store(uow_factory, posts, clock=clock, matches=matches, batch_size=batch_size, knowledge=knowledge)
    report.absorb(analyse_pending(uow_factory, classifier=classifier, router=router, clock=clock,
                                  knowledge=knowledge, batch_size=batch_size))
    return report


def store(uow_factory: Callable[[], UnitOfWork], posts: Iterable[RawPost], *, clock: Clock,
          matches: Callable[[RawPost], bool] = lambda _p: True, batch_size: int = 200,
          knowledge: KnowledgeService | None = None) -> IngestReport:
    """Store every matching post once in its thread, each batch in one transaction; the posts wait for analysis."""
    report = IngestReport()
    batch: list[RawPost] = []
    for post in posts:
        report.seen += 1
        if not matches(post):
            report.skipped += 1
            continue
        batch.append(post)
        if len(batch) >= batch_size:
            _store_batch(uow_factory, batch, clock, knowledge, report)
            batch = []
    if batch:
        _store_batch(uow_factory, batch, clock, knowledge, report)
    return report


def _store_batch(uow_factory, batch: list[RawPost], clock: Clock, knowledge, report: IngestReport) -> None:
    done = len(report.accepted)
    try:
        report.absorb(_store(uow_factory, batch, clock))
    except Conflict as exc:  # another writer stored some of these posts (or threads) after our check
        log.info("ingest batch clashed with a concurrent writer, storing it post by post: %s", exc)
        for post in batch:
            try:
                part = _store(uow_factory, [post], clock)
            except Conflict:  # the other writer has committed by now: this retry sees its post or thread
                part = _store(uow_factory, [post], clock)
            report.absorb(part)
    for thread_id in report.accepted[done:]:  # committed: publish each accepted answer (own units of work)
        _publish(uow_factory, knowledge, clock, thread_id, report)


def _publish(uow_factory, knowledge: KnowledgeService | None, clock: Clock, thread_id: int,
             report: IngestReport) -> None:
    if knowledge is None:
        return
    try:
        publish_resolution(uow_factory, knowledge, thread_id, clock)
    except Exception as exc:  # the thread stays resolved; a failing search backend must not stop the crawl
        log.exception("publishing the accepted answer of thread %s failed", thread_id)
        report.errors.append(f"thread {thread_id}: publishing the accepted answer failed: {exc}")


def _store(uow_factory, batch: list[RawPost], clock: Clock) -> IngestReport:
    part = IngestReport()
    with uow_factory() as uow:
        known = uow.posts.existing({(post.source, post.external_id) for post in batch})
        fresh: list[RawPost] = []
        for post in batch:  # repeats inside the batch count as duplicates too
            if (post.source, post.external_id) in known:
                part.duplicates += 1
            else:
                known.add((post.source, post.external_id))
                fresh.append(post)
        now = clock.now()
        uow.posts.prepare_lookups(fresh)
        places = _place(uow, fresh, now, part)
        uow.posts.add_many([(post, None, _id(place)) for post, (place, _) in zip(fresh, places, strict=True)], now)
        part.new = len(fresh)
        part.accepted = _accept(uow, batch, fresh, places, clock)
        uow.commit()
    return part


def _new_thread(post: RawPost, now: datetime) -> Thread:
    return Thread(id=None, key=thread_key(post), title=post.title or post.text[:120], state=ThreadState.NEW,
                  language=post.lang_hint or "other", created_at=now)


def _place(uow: UnitOfWork, posts: list[RawPost], now: datetime, part: IngestReport) -> list[tuple[Thread | int, bool]]:
    """Return each post's thread (and whether the post opened it): its key's, its twin's or near-duplicate's, or new."""
    by_key: dict[str, Thread | int] = dict(uow.threads.by_keys(thread_key(post) for post in posts if post.thread_key))
    by_hash: dict[str, Thread | int] = {}  # thread of the first post of this batch with a content hash
    opened: list[Thread] = []
    places: list[tuple[Thread | int, bool]] = []
    for post in posts:
        place: Thread | int | None = by_key.get(thread_key(post)) if post.thread_key else None
        digest = content_hash(post.title, post.text)
        if place is None:
            twin = uow.posts.find_by_hash(digest)
            if twin is not None:
                place = twin.thread_id
            elif digest in by_hash:
                place = by_hash[digest]
            else:
                place = uow.posts.near_thread(post)
        is_new = place is None
        if is_new:
            place = _new_thread(post, now)
            opened.append(place)
            by_key[place.key] = place
            part.threads_created += 1
        else:
            part.attached += 1
        by_hash.setdefault(digest, place)
        places.append((place, is_new))
    uow.threads.add_many(opened)
    return places


def _accept(uow: UnitOfWork, batch: list[RawPost], fresh: list[RawPost], places: list, clock: Clock) -> list[int]:
    """Resolve each answered thread that a post marked by its source as the accepted answer belongs to.

    The post may be new (attached to its thread) or already stored and only now marked accepted (found by its
    source's thread key). Returns the ids of the threads resolved.
    """
    ids = {_id(place) for post, (place, opened) in zip(fresh, places, strict=True)
           if not opened and (post.extra or {}).get("accepted")}
    new = {(post.source, post.external_id) for post in fresh}
    stored = [post for post in batch if (post.extra or {}).get("accepted") and post.thread_key
              and (post.source, post.external_id) not in new]
    if stored:
        ids.update(t.id for t in uow.threads.by_keys(thread_key(post) for post in stored).values())
    resolved = []
    for thread_id in sorted(ids):
        if uow.threads.get(thread_id).state == ThreadState.ANSWERED:
            work.accept(uow, thread_id, clock)
            resolved.append(thread_id)
    return resolved


def _id(place: Thread | int) -> int:
    return place if isinstance(place, int) else place.id
