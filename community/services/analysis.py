"""Ingest, stage two: read every stored post still waiting (language, topic, urgency, sentiment), route new threads.

Posts are read in id order, a batch at a time, outside any transaction (a model may take a while); the results
are written in one short transaction per batch. It first claims the batch's posts (posts another analysis pass
took meanwhile are left to it), then routes each new thread opened by one of them in order — a decision that
offers the thread to super-users writes the threads routed so far first, so their open offers count against
capacity for the next — and writes the threads' history: "routed" (with the explanation), "likely_answered",
then a "mention" for each post that joined a thread; last the posts' analyses.

With a knowledge service, a new thread that a published article closely matches is marked "likely answered"
(one search per new thread, none while the knowledge base is empty) so the routing rules can send it to a
lighter queue.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Protocol

from community.domain.model import Analysis, Decision, PendingPost, RawPost, Thread, ThreadEvent, ThreadState
from community.ports import Classifier, Clock, UnitOfWork
from community.services.knowledge import KnowledgeService

log = logging.getLogger(__name__)


class Router(Protocol):
    """Decides where a new thread goes (``community.services.routing.Router``) and offers it once routed."""

    def decide(self, post: RawPost, analysis: Analysis, context: UnitOfWork | None = None) -> Decision: ...
    def opened(self, uow: UnitOfWork, thread: Thread, decision: Decision) -> object: ...


@dataclass
class AnalysisReport:
    """What one analysis pass did."""

    analysed: int = 0
    routed: int = 0
    likely_answered: int = 0
    errors: list[str] = field(default_factory=list)


def routed_thread(item: PendingPost, analysis: Analysis, decision: Decision, now: datetime) -> Thread:
    """Return the thread a waiting post opened as routed by its decision, with its first-response due time.

    The SLA clock starts when the thread was stored, not when it was read: a pass delayed by a failure does
    not give the answerers extra time.
    """
    opened = item.thread_created or now
    minutes = decision.sla_first_response_minutes
    return Thread(id=item.thread_id, key=item.thread_key, title=item.thread_title, state=ThreadState.ROUTED,
                  target=decision.target, queue=decision.queue, priority=decision.priority, topic=analysis.topic,
                  language=analysis.language, created_at=opened,
                  first_response_due=opened + timedelta(minutes=minutes) if minutes else None,
                  staff_only=decision.target != "community", decision=decision.as_dict())


def mention(item: PendingPost, now: datetime) -> ThreadEvent:
    """Return the history entry of a post joining its thread."""
    return ThreadEvent(item.thread_id, "mention", now, body=item.post.url,
                       data={"source": item.post.source, "external_id": item.post.external_id})


def analyse_pending(uow_factory: Callable[[], UnitOfWork], *, classifier: Classifier, router: Router, clock: Clock,
                    knowledge: KnowledgeService | None = None, batch_size: int = 200) -> AnalysisReport:
    """Analyse every stored post still waiting and route the threads they opened; return what was done."""
    report, deflect, after = AnalysisReport(), _Deflect(knowledge), 0
    while True:
        with uow_factory() as uow:
            pending = uow.posts.pending(after, batch_size)
        if not pending:
            return report
        after = pending[-1].id
        analyses = _classify(classifier, [item.post for item in pending])
        _write(uow_factory, pending, analyses, router, clock, deflect, report)


def _classify(classifier, posts: list[RawPost]) -> list[Analysis]:
    many = getattr(classifier, "analyse_many", None)  # batched model inference when the classifier offers it
    return many(posts) if many is not None else [classifier.analyse(post) for post in posts]


def _write(uow_factory, pending: list[PendingPost], analyses: list[Analysis], router: Router, clock: Clock,
           deflect: _Deflect, report: AnalysisReport) -> None:
    with uow_factory() as uow:
        mine = uow.posts.claim_pending([item.id for item in pending])
        now = clock.now()
        openers: dict[int, int] = {}  # new thread → the first waiting post, the one that opened it
        for item in pending:
            if item.id in mine and item.thread_state == ThreadState.NEW and item.thread_id is not None:
                openers.setdefault(item.thread_id, item.id)
        opening = _Opening(uow, router, now, deflect)
        mentions: list[ThreadEvent] = []
        for item, analysis in zip(pending, analyses, strict=True):
            if item.id not in mine:
                continue
            if openers.get(item.thread_id) == item.id:
                opening.open(item, analysis)
            elif item.thread_id is not None:
                mentions.append(mention(item, now))
        opening.flush()
        uow.threads.add_events(mentions)
        uow.posts.record_analyses([(item.id, analysis) for item, analysis in zip(pending, analyses, strict=True)
                                   if item.id in mine], now)
        uow.commit()
    report.analysed += len(mine)
    report.routed += opening.routed
    report.likely_answered += opening.marked


class _Deflect:
    """Ask the knowledge base whether an article likely answers a new thread; off without articles or on failure."""

    def __init__(self, knowledge: KnowledgeService | None) -> None:
        self.knowledge = None
        try:
            if knowledge is not None and knowledge.index.count() > 0:
                self.knowledge = knowledge
        except Exception:  # a search backend that is down must not stop ingest: route without the KB
            log.exception("knowledge base unavailable: new mentions are not checked for existing answers")

    def __call__(self, post: RawPost, analysis: Analysis):
        if self.knowledge is None:
            return None
        try:
            return self.knowledge.likely_answered(post, analysis)
        except Exception:
            log.exception("knowledge base search failed: no more 'likely answered' checks in this run")
            self.knowledge = None
            return None


class _Opening:
    """New threads of a batch: routed in order, written together and then offered."""

    def __init__(self, uow: UnitOfWork, router: Router, now: datetime, deflect: _Deflect) -> None:
        self.uow, self.router, self.now, self.deflect = uow, router, now, deflect
        self.pending: list[tuple[Thread, Decision, object]] = []
        self.items: dict[int, PendingPost] = {}  # the post that opened each pending thread
        self.routed = self.marked = 0

    def open(self, item: PendingPost, analysis: Analysis) -> None:
        """Route a waiting post's new thread (written by the next ``flush``), marked when an article likely answers it."""
        post = item.post
        article = self.deflect(post, analysis)
        if article is not None:
            post = replace(post, extra={**(post.extra or {}),
                                        "likely_answered": {"id": article.id, "title": article.title}})
        decision = self.router.decide(post, analysis, self.uow)
        self.pending.append((routed_thread(item, analysis, decision, self.now), decision, article))
        self.items[item.thread_id] = item
        if any(candidate.get("chosen") for candidate in decision.candidates):
            self.flush()

    def flush(self) -> None:
        """Write the pending threads' routing (threads still new only) and history, then let the router offer each."""
        if not self.pending:
            return
        won = set(self.uow.threads.route_many([thread for thread, _, _ in self.pending], self.now))
        done = [(thread, decision, article) for thread, decision, article in self.pending if thread.id in won]
        # a thread another pass routed meanwhile: this post joined it, as any later post does
        self.uow.threads.add_events([mention(self.items[thread.id], self.now) for thread, _, _ in self.pending
                                     if thread.id not in won])
        self.pending, self.items = [], {}
        self.uow.threads.add_events([ThreadEvent(thread.id, "routed", self.now, data=decision.as_dict(),
                                                 body="; ".join(decision.explanation)) for thread, decision, _ in done])
        self.uow.threads.add_events([ThreadEvent(thread.id, "likely_answered", self.now, body=article.title,
                                                 data={"article_id": article.id})
                                     for thread, _, article in done if article is not None])
        for thread, decision, _ in done:
            self.router.opened(self.uow, thread, decision)
        self.routed += len(done)
        self.marked += sum(article is not None for _, _, article in done)
