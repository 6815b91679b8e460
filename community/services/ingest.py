"""Ingest: store matching posts exactly once, group them into threads, classify and route new threads."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from community.domain.model import Analysis, Decision, RawPost, Thread, ThreadEvent, ThreadState
from community.ports import Classifier, Clock, UnitOfWork

log = logging.getLogger(__name__)


class Router(Protocol):
    """Decides where a new thread goes (``community.services.routing.Router``) and offers it once opened."""

    def decide(self, post: RawPost, analysis: Analysis, context: UnitOfWork | None = None) -> Decision: ...
    def opened(self, uow: UnitOfWork, thread: Thread, decision: Decision) -> object: ...


@dataclass
class IngestReport:
    """What one ingest run did."""

    seen: int = 0
    new: int = 0
    duplicates: int = 0
    skipped: int = 0
    threads_created: int = 0
    attached: int = 0
    errors: list[str] = field(default_factory=list)


def thread_key(post: RawPost) -> str:
    """Key of the thread a post belongs to: the source's own thread id when it has one, else the post itself."""
    return f"{post.source}:{post.thread_key or post.external_id}"


def open_thread(uow: UnitOfWork, post: RawPost, analysis: Analysis, decision: Decision, clock: Clock) -> Thread:
    """Create a routed thread for a post, with its decision and the first history entries."""
    now = clock.now()
    due = now + timedelta(minutes=decision.sla_first_response_minutes) if decision.sla_first_response_minutes else None
    thread = Thread(id=None, key=thread_key(post), title=post.title or post.text[:120],
                    state=ThreadState.ROUTED, target=decision.target, queue=decision.queue,
                    priority=decision.priority, topic=analysis.topic, language=analysis.language,
                    created_at=now, first_response_due=due,
                    staff_only=decision.target != "community", decision=decision.as_dict())
    uow.threads.add(thread)
    uow.threads.add_event(ThreadEvent(thread.id, "routed", now, data=decision.as_dict(),
                                      body="; ".join(decision.explanation)))
    return thread


def ingest(uow_factory: Callable[[], UnitOfWork], posts: Iterable[RawPost], *, classifier: Classifier,
           router: Router, clock: Clock, matches: Callable[[RawPost], bool] = lambda _p: True,
           batch_size: int = 200) -> IngestReport:
    """Store every matching post once (idempotent on source + external id), each batch in one transaction."""
    report = IngestReport()
    batch: list[RawPost] = []
    for post in posts:
        report.seen += 1
        if not matches(post):
            report.skipped += 1
            continue
        batch.append(post)
        if len(batch) >= batch_size:
            _store_batch(uow_factory, batch, classifier, router, clock, report)
            batch = []
    if batch:
        _store_batch(uow_factory, batch, classifier, router, clock, report)
    return report


def _store_batch(uow_factory, batch: list[RawPost], classifier, router, clock, report: IngestReport) -> None:
    with uow_factory() as uow:
        # One query for the whole batch instead of one per post; repeats inside the batch count too.
        known = uow.posts.existing({(post.source, post.external_id) for post in batch})
        uow.posts.prepare_lookups([post for post in batch if (post.source, post.external_id) not in known])
        for post in batch:
            key = (post.source, post.external_id)
            if key in known:
                report.duplicates += 1
                continue
            known.add(key)
            _store_one(uow, post, classifier, router, clock, report)
        uow.commit()


def _store_one(uow: UnitOfWork, post: RawPost, classifier, router, clock, report: IngestReport) -> None:
    analysis = classifier.analyse(post)
    thread = uow.threads.by_key(thread_key(post)) if post.thread_key else None
    if thread is None:
        twin = uow.posts.find_by_hash(post.content_hash) or uow.posts.find_near(post)
        thread = uow.threads.get(twin.thread_id) if twin and twin.thread_id else None
    if thread is None:
        decision = router.decide(post, analysis, uow)
        thread = open_thread(uow, post, analysis, decision, clock)
        router.opened(uow, thread, decision)
        report.threads_created += 1
    else:
        report.attached += 1
        uow.threads.add_event(ThreadEvent(thread.id, "mention", clock.now(), body=post.url,
                                          data={"source": post.source, "external_id": post.external_id}))
    uow.posts.add(post, analysis, thread.id, clock.now())
    report.new += 1
