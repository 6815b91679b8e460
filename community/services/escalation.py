"""The periodic SLA job: expire quiet claims, re-offer unclaimed items, hand at-risk items to staff, record breaches."""
from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from community.domain.routing.sla import SlaClock, SlaPolicy, SlaView, Step, escalation_steps
from community.domain.routing.states import Act, next_state
from community.ports import Clock, UnitOfWork
from community.services import work
from community.services.routing import Router

log = logging.getLogger(__name__)


def _view(record, policy: SlaPolicy) -> SlaView:
    thread = record.thread
    started = thread.created_at
    target, _key = policy.target_for(str(thread.target or ""), thread.queue, thread.priority)
    first_due = thread.first_response_due or started + timedelta(minutes=target.first_response_minutes)
    resolution_due = started + timedelta(minutes=max(target.resolution_minutes,
                                                     (first_due - started).total_seconds() / 60))
    return SlaView(thread.state, thread.target, SlaClock(started, first_due, resolution_due),
                   record.first_response_at, record.resolved_at, thread.claim_expires, record.last_offer_at,
                   record.breaches)


def run_escalation(uow_factory: Callable[[], UnitOfWork], router: Router, policy: SlaPolicy, clock: Clock,
                   *, limit: int = 1000, unresolved: list[int] | None = None) -> Counter:
    """Take every step that is due now, in one transaction; return how many of each were taken.

    ``unresolved`` collects the threads that missed their resolution target in this run.
    """
    taken: Counter = Counter()
    with uow_factory() as uow:
        now = clock.now()
        for record in uow.routing.sla_records(limit):
            thread = record.thread
            if thread.created_at is None:
                continue
            view = _view(record, policy)
            for step in escalation_steps(view, now, policy):
                _take(uow, step, record, view, router, clock)
                taken[str(step)] += 1
                if step == Step.BREACH_RESOLUTION and unresolved is not None:
                    unresolved.append(thread.id)
        uow.commit()
    if taken:
        log.info("escalation: %s", ", ".join(f"{k} {n}" for k, n in sorted(taken.items())))
    return taken


def _take(uow: UnitOfWork, step: Step, record, view: SlaView, router: Router, clock: Clock) -> None:
    thread, now = record.thread, clock.now()
    if step == Step.EXPIRE_LEASE:
        work.expire_lease(uow, thread, clock)
    elif step == Step.REOFFER:
        router.reoffer(uow, thread, round=record.offer_round + 1)
    elif step == Step.HAND_TO_STAFF:
        to = next_state(thread.state, Act.HAND_ON)
        work.hand_to_staff(uow, thread, now, to, actor=None, kind="handed_to_staff",
                           note="no super-user took it and the first-response target is at risk")
    else:
        kind = "first_response" if step == Step.BREACH_FIRST_RESPONSE else "resolution"
        due = view.clock.first_response_due if kind == "first_response" else view.clock.resolution_due
        uow.routing.record_breach(thread.id, kind, due, now)
        late = int((now - due).total_seconds() // 60)
        work.record(uow, thread, "sla_breach", None, now, body=f"{kind.replace('_', ' ')} target missed by {late} min",
                    target=kind, due=due.isoformat())
        uow.routing.alert("sla_breach", f"thread:{thread.id}",
                          {"thread_id": thread.id, "kind": kind, "due": due.isoformat(), "queue": thread.queue,
                           "priority": thread.priority, "target": str(thread.target)}, now)
