"""SLA targets and the escalation steps a periodic job takes; one clock runs from the customer's first post."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from community.domain.model import Target, ThreadState

CLOSED = frozenset({ThreadState.ANSWERED, ThreadState.RESOLVED, ThreadState.DISMISSED})


@dataclass(frozen=True, slots=True)
class SlaTarget:
    """First-response and resolution targets in minutes."""

    first_response_minutes: int
    resolution_minutes: int


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    """Targets per priority, overridable per ``target``, ``target/queue`` or ``target/queue/priority``."""

    by_priority: Mapping[str, SlaTarget]
    overrides: Mapping[str, SlaTarget] = field(default_factory=dict)
    at_risk_fraction: float = 0.75
    reoffer_after_minutes: int = 10

    def target_for(self, target: str, queue: str, priority: str) -> tuple[SlaTarget, str]:
        """Return the most specific target and the key it came from."""
        for key in (f"{target}/{queue}/{priority}", f"{target}/{queue}", f"{target}/*/{priority}", f"{target}"):
            if key in self.overrides:
                return self.overrides[key], key
        return self.by_priority.get(priority, self.by_priority["normal"]), priority


@dataclass(frozen=True, slots=True)
class SlaClock:
    """The customer's clock: started at the first post, never restarted when the thread changes hands."""

    started_at: datetime
    first_response_due: datetime
    resolution_due: datetime

    @classmethod
    def start(cls, started_at: datetime, target: SlaTarget, first_response_minutes: int | None = None) -> SlaClock:
        """Start a clock; a rule's ``sla_minutes`` replaces the first-response target."""
        first = first_response_minutes or target.first_response_minutes
        return cls(started_at, started_at + timedelta(minutes=first),
                   started_at + timedelta(minutes=max(first, target.resolution_minutes)))


class Phase(StrEnum):
    """Where a deadline stands."""

    OK = "ok"
    AT_RISK = "at_risk"
    BREACHED = "breached"
    MET = "met"


def phase(started_at: datetime, due: datetime, now: datetime, done_at: datetime | None, risk: float) -> Phase:
    """Return MET when done in time, BREACHED when late (done or not), AT_RISK past ``risk`` of the span."""
    if done_at is not None:
        return Phase.MET if done_at <= due else Phase.BREACHED
    if now > due:
        return Phase.BREACHED
    span = (due - started_at).total_seconds()
    return Phase.AT_RISK if span <= 0 or (now - started_at).total_seconds() >= risk * span else Phase.OK


class Step(StrEnum):
    """What the escalation job does to one thread."""

    EXPIRE_LEASE = "expire_lease"
    REOFFER = "reoffer"
    HAND_TO_STAFF = "hand_to_staff"
    BREACH_FIRST_RESPONSE = "breach_first_response"
    BREACH_RESOLUTION = "breach_resolution"


@dataclass(frozen=True, slots=True)
class SlaView:
    """The parts of a thread the escalation job looks at."""

    state: ThreadState
    target: Target | None
    clock: SlaClock
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    claim_expires: datetime | None = None
    last_offer_at: datetime | None = None
    breaches: frozenset[str] = frozenset()


def escalation_steps(view: SlaView, now: datetime, policy: SlaPolicy) -> list[Step]:
    """Return the steps due for a thread now, in the order the job should take them."""
    steps: list[Step] = []
    state = view.state
    if state == ThreadState.CLAIMED and view.claim_expires is not None and view.claim_expires <= now:
        steps.append(Step.EXPIRE_LEASE)
        state = ThreadState.ROUTED
    waiting = view.first_response_at is None and state not in CLOSED
    clock = view.clock
    first = phase(clock.started_at, clock.first_response_due, now, view.first_response_at, policy.at_risk_fraction)
    if waiting and state == ThreadState.ROUTED and view.target == Target.COMMUNITY:
        if first in (Phase.AT_RISK, Phase.BREACHED):
            steps.append(Step.HAND_TO_STAFF)
        elif view.last_offer_at is None or now - view.last_offer_at >= timedelta(minutes=policy.reoffer_after_minutes):
            steps.append(Step.REOFFER)
    if first == Phase.BREACHED and view.first_response_at is None and "first_response" not in view.breaches:
        if state != ThreadState.DISMISSED:
            steps.append(Step.BREACH_FIRST_RESPONSE)
    open_now = state not in (ThreadState.RESOLVED, ThreadState.DISMISSED)
    if open_now and now > clock.resolution_due and "resolution" not in view.breaches:
        steps.append(Step.BREACH_RESOLUTION)
    return steps
