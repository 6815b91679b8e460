"""The thread state machine: which action may move a thread from which state, and the claim lease rules."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from community.domain.errors import InvalidTransition
from community.domain.model import Thread, ThreadState

S = ThreadState


class Act(StrEnum):
    """Everything that can happen to a thread."""

    ROUTE = "route"
    CLAIM = "claim"
    RENEW = "renew"
    RELEASE = "release"
    EXPIRE = "expire"
    ANSWER = "answer"
    REQUEST_CHANGES = "request_changes"
    HAND_ON = "hand_on"
    RESOLVE = "resolve"
    DISMISS = "dismiss"
    REOPEN = "reopen"


# action → (states it may start from, state it leads to; None keeps the state)
TRANSITIONS: dict[Act, tuple[frozenset[ThreadState], ThreadState | None]] = {
    Act.ROUTE: (frozenset({S.NEW, S.ROUTED}), S.ROUTED),
    Act.CLAIM: (frozenset({S.ROUTED, S.ESCALATED}), S.CLAIMED),
    Act.RENEW: (frozenset({S.CLAIMED}), S.CLAIMED),
    Act.RELEASE: (frozenset({S.CLAIMED}), None),
    Act.EXPIRE: (frozenset({S.CLAIMED}), None),
    Act.ANSWER: (frozenset({S.ROUTED, S.CLAIMED, S.ESCALATED}), S.ANSWERED),
    Act.REQUEST_CHANGES: (frozenset({S.ANSWERED}), S.CLAIMED),
    Act.HAND_ON: (frozenset({S.ROUTED, S.CLAIMED}), S.ESCALATED),
    Act.RESOLVE: (frozenset({S.ROUTED, S.CLAIMED, S.ESCALATED, S.ANSWERED}), S.RESOLVED),
    Act.DISMISS: (frozenset({S.NEW, S.ROUTED, S.CLAIMED, S.ESCALATED, S.ANSWERED}), S.DISMISSED),
    Act.REOPEN: (frozenset({S.RESOLVED, S.DISMISSED, S.ANSWERED}), S.ROUTED),
}

_VERBS = {Act.HAND_ON: "hand on", Act.REQUEST_CHANGES: "send back for changes"}


def next_state(current: ThreadState, act: Act, *, escalated: bool = False) -> ThreadState:
    """Return the state ``act`` leads to from ``current`` or raise InvalidTransition with a clear message.

    Releasing or losing a lease returns the thread to where it was waiting: ESCALATED for staff hand-ons.
    """
    allowed, to = TRANSITIONS[act]
    if current not in allowed:
        verb = _VERBS.get(act, act.value)
        raise InvalidTransition(f"cannot {verb} a thread that is {current.value} "
                                f"(possible from: {', '.join(sorted(s.value for s in allowed))})")
    if to is None:
        return S.ESCALATED if escalated else S.ROUTED
    return to


@dataclass(frozen=True, slots=True)
class Lease:
    """A claim on a thread until ``expires``."""

    user_id: int
    expires: datetime

    def active(self, now: datetime) -> bool:
        """Tell whether the lease still holds."""
        return now < self.expires


def lease_of(thread: Thread) -> Lease | None:
    """Return the thread's lease, if it has one (active or not)."""
    if thread.claimed_by is None or thread.claim_expires is None:
        return None
    return Lease(thread.claimed_by, thread.claim_expires)


def holds(thread: Thread, user_id: int, now: datetime) -> bool:
    """Tell whether ``user_id`` holds an active lease on the thread."""
    lease = lease_of(thread)
    return lease is not None and lease.user_id == user_id and lease.active(now)


def claimable(thread: Thread, now: datetime) -> bool:
    """Tell whether a claim could succeed now: waiting, or claimed with a lapsed lease."""
    if thread.state in (S.ROUTED, S.ESCALATED):
        return True
    lease = lease_of(thread)
    return thread.state == S.CLAIMED and (lease is None or not lease.active(now))


def lease_until(now: datetime, minutes: int) -> datetime:
    """Return the expiry of a lease taken or renewed now."""
    return now + timedelta(minutes=minutes)
