"""Ingest: store matching posts exactly once, group them into threads, classify and route new threads.

Each batch is one transaction in phases: skip known posts (one query), read all new posts (the classifier's
``analyse_many`` when it has one), find each post's thread (thread key, content-hash twin, near-duplicate; the
lookups for the whole batch are prepared at once), route new threads in order, then write threads, history and
posts with a few multi-row statements instead of one flush per row.

With a knowledge service, a new thread that a published article closely matches is marked "likely answered"
(one search per new thread, none while the knowledge base is empty) so the routing rules can send it to a
lighter queue; a post the source marks as the accepted answer resolves its answered thread, and after the batch
commits the resolution publishes the answer to the knowledge base.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta
from typing import Protocol

from community.domain.errors import Conflict
from community.domain.model import Analysis, Decision, RawPost, Thread, ThreadEvent, ThreadState
from community.ports import Classifier, Clock, UnitOfWork
from community.services import work
from community.services.knowledge import KnowledgeService
from community.services.resolution import publish_resolution

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
    likely_answered: int = 0
    accepted: list[int] = field(default_factory=list)  # threads resolved because the asker accepted the answer
    errors: list[str] = field(default_factory=list)

    def absorb(self, other: IngestReport) -> None:
        """Add another report's counts (and errors) to this one."""
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


def thread_key(post: RawPost) -> str:
    """Key of the thread a post belongs to: the source's own thread id when it has one, else the post itself."""
    return f"{post.source}:{post.thread_key or post.external_id}"


def new_thread(post: RawPost, analysis: Analysis, decision: Decision, now: datetime) -> Thread:
    """Return the (not yet stored) routed thread a post opens, with its decision and first-response due time."""
    due = now + timedelta(minutes=decision.sla_first_response_minutes) if decision.sla_first_response_minutes else None
    return Thread(id=None, key=thread_key(post), title=post.title or post.text[:120], state=ThreadState.ROUTED,
                  target=decision.target, queue=decision.queue, priority=decision.priority, topic=analysis.topic,
                  language=analysis.language, created_at=now, first_response_due=due,
                  staff_only=decision.target != "community", decision=decision.as_dict())


def ingest(uow_factory: Callable[[], UnitOfWork], posts: Iterable[RawPost], *, classifier: Classifier,
           router: Router, clock: Clock, matches: Callable[[RawPost], bool] = lambda _p: True,
           batch_size: int = 200, knowledge: KnowledgeService | None = None) -> IngestReport:
    """Store every matching post once (idempotent on source + external id), each batch in one transaction.

    ``knowledge`` marks new threads a published article likely answers and publishes accepted answers.
    """
    report = IngestReport()
    steps = _Steps(classifier, router, clock, knowledge)
    batch: list[RawPost] = []
    for post in posts:
        report.seen += 1
        if not matches(post):
            report.skipped += 1
            continue
        batch.append(post)
        if len(batch) >= batch_size:
            _store_batch(uow_factory, batch, steps, report)
            batch = []
    if batch:
        _store_batch(uow_factory, batch, steps, report)
    return report


@dataclass
class _Steps:
    """The collaborators of one ingest run; ``deflect`` is None when there is no knowledge base to search."""

    classifier: Classifier
    router: Router
    clock: Clock
    knowledge: KnowledgeService | None = None
    deflect: Callable[[RawPost, Analysis], object] | None = None

    def __post_init__(self) -> None:
        try:
            if self.knowledge is not None and self.knowledge.index.count() > 0:
                self.deflect = self._likely_answered
        except Exception:  # a search backend that is down must not stop ingest: route without the KB
            log.exception("knowledge base unavailable: new mentions are not checked for existing answers")

    def _likely_answered(self, post: RawPost, analysis: Analysis):
        if self.deflect is None:  # switched off by an earlier failure in this run
            return None
        try:
            return self.knowledge.likely_answered(post, analysis)
        except Exception:
            log.exception("knowledge base search failed: no more 'likely answered' checks in this run")
            self.deflect = None
            return None


def _store_batch(uow_factory, batch: list[RawPost], steps: _Steps, report: IngestReport) -> None:
    analysed: dict[tuple[str, str], Analysis] = {}  # a retry does not read the posts again
    done = len(report.accepted)
    try:
        report.absorb(_store(uow_factory, batch, steps, analysed))
    except Conflict as exc:  # another writer stored some of these posts (or threads) after our check
        log.info("ingest batch clashed with a concurrent writer, storing it post by post: %s", exc)
        for post in batch:
            try:
                part = _store(uow_factory, [post], steps, analysed)
            except Conflict:  # the other writer has committed by now: this retry sees its post or thread
                part = _store(uow_factory, [post], steps, analysed)
            report.absorb(part)
    for thread_id in report.accepted[done:]:  # committed: publish each accepted answer (own units of work)
        _publish(uow_factory, steps, thread_id, report)


def _publish(uow_factory, steps: _Steps, thread_id: int, report: IngestReport) -> None:
    if steps.knowledge is None:
        return
    try:
        publish_resolution(uow_factory, steps.knowledge, thread_id, steps.clock)
    except Exception as exc:  # the thread stays resolved; a failing search backend must not stop the crawl
        log.exception("publishing the accepted answer of thread %s failed", thread_id)
        report.errors.append(f"thread {thread_id}: publishing the accepted answer failed: {exc}")


def _store(uow_factory, batch: list[RawPost], steps: _Steps, analysed: dict) -> IngestReport:
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
        uow.posts.prepare_lookups(fresh)
        analyses = _classify(steps.classifier, fresh, analysed)
        now = steps.clock.now()
        places = _place(uow, fresh, analyses, _Opening(uow, steps.router, now, steps.deflect), part)
        uow.threads.add_events([ThreadEvent(_id(place), "mention", now, body=post.url,
                                            data={"source": post.source, "external_id": post.external_id})
                                for post, (place, opened) in zip(fresh, places, strict=True) if not opened])
        uow.posts.add_many([(post, analysis, _id(place)) for post, analysis, (place, _)
                            in zip(fresh, analyses, places, strict=True)], now)
        part.new = len(fresh)
        part.accepted = _accept(uow, batch, fresh, places, steps.clock)
        uow.commit()
    return part


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


def _classify(classifier, posts: list[RawPost], analysed: dict) -> list[Analysis]:
    todo = [post for post in posts if (post.source, post.external_id) not in analysed]
    many = getattr(classifier, "analyse_many", None)  # batched model inference when the classifier offers it
    results = [] if not todo else many(todo) if many is not None else [classifier.analyse(post) for post in todo]
    analysed.update(((post.source, post.external_id), a) for post, a in zip(todo, results, strict=True))
    return [analysed[(post.source, post.external_id)] for post in posts]


class _Opening:
    """New threads of a batch: routed in order, written together and then offered.

    The router's offers for one thread change whom it picks for the next (open offers count against
    capacity), so a decision that chose candidates writes the threads routed so far at once, offers them,
    and only then is the next thread routed.
    """

    def __init__(self, uow: UnitOfWork, router: Router, now: datetime,
                 deflect: Callable[[RawPost, Analysis], object] | None = None) -> None:
        self.uow, self.router, self.now, self.deflect = uow, router, now, deflect
        self.pending: list[tuple[Thread, Decision]] = []
        self.answered: list[tuple[Thread, object]] = []  # new threads with the article that likely answers them
        self.marked = 0

    def open(self, post: RawPost, analysis: Analysis) -> Thread:
        """Route a post to a new thread (written by the next ``flush``), marked when an article likely answers it."""
        article = self.deflect(post, analysis) if self.deflect is not None else None
        if article is not None:
            post = replace(post, extra={**(post.extra or {}),
                                        "likely_answered": {"id": article.id, "title": article.title}})
        decision = self.router.decide(post, analysis, self.uow)
        thread = new_thread(post, analysis, decision, self.now)
        self.pending.append((thread, decision))
        if article is not None:
            self.answered.append((thread, article))
            self.marked += 1
        if any(candidate.get("chosen") for candidate in decision.candidates):
            self.flush()
        return thread

    def flush(self) -> None:
        """Insert the pending threads with their 'routed' history entries, then let the router offer each."""
        if not self.pending:
            return
        self.uow.threads.add_many([thread for thread, _ in self.pending])
        self.uow.threads.add_events([ThreadEvent(thread.id, "routed", self.now, data=decision.as_dict(),
                                                 body="; ".join(decision.explanation))
                                     for thread, decision in self.pending])
        self.uow.threads.add_events([ThreadEvent(thread.id, "likely_answered", self.now, body=article.title,
                                                 data={"article_id": article.id}) for thread, article in self.answered])
        self.answered = []
        for thread, decision in self.pending:
            self.router.opened(self.uow, thread, decision)
        self.pending = []


def _place(uow: UnitOfWork, posts: list[RawPost], analyses: list[Analysis], opening: _Opening,
           part: IngestReport) -> list[tuple[Thread | int, bool]]:
    """Return each post's thread (and whether the post opened it): its key's, its twin's or near-duplicate's, or new."""
    by_key = uow.threads.by_keys(thread_key(post) for post in posts if post.thread_key)
    by_hash: dict[str, Thread | int] = {}  # thread of the first post of this batch with a content hash
    places: list[tuple[Thread | int, bool]] = []
    for post, analysis in zip(posts, analyses, strict=True):
        place: Thread | int | None = by_key.get(thread_key(post)) if post.thread_key else None
        digest = post.content_hash
        if place is None:
            twin = uow.posts.find_by_hash(digest)
            if twin is None and digest not in by_hash:
                twin = uow.posts.find_near(post)
            place = (twin.thread_id if twin is not None else by_hash.get(digest)) or None
        opened = place is None
        if place is None:
            place = opening.open(post, analysis)
            by_key[place.key] = place
            part.threads_created += 1
        else:
            part.attached += 1
        by_hash.setdefault(digest, place)
        places.append((place, opened))
    opening.flush()
    part.likely_answered += opening.marked
    return places
