"""The work on a thread: claim (a lease), renew, release, answer, hand on to staff, resolve, dismiss, reopen.

Every action checks the state machine (``InvalidTransition`` otherwise, HTTP 409), records an event in the
thread's history (which travels with the thread whatever hands it passes through) and never restarts the
customer's SLA clock.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from community.domain.errors import Conflict, Forbidden, ValidationError
from community.domain.gamification.programme import Programme
from community.domain.gamification.ranks import standing
from community.domain.model import Role, Target, Thread, ThreadEvent, ThreadState, User
from community.domain.routing.records import DecisionRecord
from community.domain.routing.review import ReviewPolicy, policy_for
from community.domain.routing.states import Act, claimable, holds, lease_until, next_state
from community.ports import Clock, UnitOfWork
from community.services import rewards

STAFF_ROLES = frozenset({Role.STAFF, Role.MANAGER, Role.ADMIN})
MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})
HAND_ON_QUEUE = "advisor"


@dataclass(frozen=True)
class WorkRules:
    """Settings the work actions obey: lease length, fairness cap, review policies, rank privileges."""

    lease_minutes: int = 30
    hourly_cap: int = 0
    reviews: dict[str, ReviewPolicy] = field(default_factory=dict)
    programme: Programme | None = None  # its ranks may raise a super-user's claim capacity

    def review_for(self, thread: Thread) -> ReviewPolicy:
        """Return the review policy of a thread (by topic, then by target)."""
        return policy_for(self.reviews, topic=thread.topic, target=str(thread.target or ""))


DEFAULT_RULES = WorkRules()


def can_see(user: User, thread: Thread) -> bool:
    """Tell whether a user may see a thread: super-users only see community threads that are not staff-only."""
    if user.role in STAFF_ROLES:
        return True
    return thread.target == Target.COMMUNITY and not thread.staff_only


def load_visible(uow: UnitOfWork, thread_id: int, user: User) -> Thread:
    """Return a thread the user may see, or raise Forbidden."""
    thread = uow.threads.get(thread_id)
    if not can_see(user, thread):
        raise Forbidden("this thread is handled by staff")
    return thread


def capacity_of(uow: UnitOfWork, user_id: int, capacity: int, now, rules: WorkRules = DEFAULT_RULES) -> int:
    """Return the open claims a super-user may hold: the profile's capacity, or the rank's privilege when higher."""
    return capacities(uow, {user_id: capacity}, now, rules)[user_id]


def capacities(uow: UnitOfWork, profile_capacity: dict[int, int], now, rules: WorkRules = DEFAULT_RULES) -> dict[int, int]:
    """Return the effective capacity of each user (claims and offers use this one rule), reading ranks at once."""
    programme = rules.programme
    if programme is None:
        return dict(profile_capacity)
    top = max(r.claim_capacity for r in programme.ranks)
    raisable = [u for u, c in profile_capacity.items() if c < top]  # only they need the ledger
    digest: dict[int, list] = {}
    for entry in uow.routing.rank_ledger(raisable) if raisable else ():
        digest.setdefault(entry.user_id, []).append(entry)
    return {u: max(c, standing(digest.get(u, ()), u, programme.ranks, programme.decay, now).rank.claim_capacity)
            if c < top else c for u, c in profile_capacity.items()}


def record(uow: UnitOfWork, thread: Thread, kind: str, actor: User | None, now, body: str = "", **data) -> None:
    """Append an entry to the thread's history."""
    uow.threads.add_event(ThreadEvent(thread.id, kind, now, actor_id=actor.id if actor else None, body=body,
                                      data=data))
    rewards.on_thread_event(uow, thread.id, kind, actor.id if actor else None, now, body=body, **data)


def log_decision(uow: UnitOfWork, thread: Thread, now, rule: str, why: str, actor: User | None, **data) -> None:
    """Add a later routing decision (by hand, hand-on, SLA escalation) to the thread's decision history."""
    uow.routing.record_decision(DecisionRecord.of(thread.id, now, {
        "target": str(thread.target), "queue": thread.queue, "priority": thread.priority, "rule": rule,
        "explanation": [why], "by": actor.name if actor else None, **data}))


def _was_handed_on(thread: Thread) -> bool:
    return thread.target == Target.STAFF and thread.queue == HAND_ON_QUEUE


def _free(uow: UnitOfWork, thread: Thread, to: ThreadState, outcome: str, now) -> None:
    thread.state, thread.claimed_by, thread.claim_expires = to, None, None
    uow.threads.save(thread)
    uow.routing.end_claim(thread.id, outcome, now)


def claim(uow: UnitOfWork, thread_id: int, user: User, clock: Clock, lease_minutes: int | None = None,
          rules: WorkRules = DEFAULT_RULES) -> Thread:
    """Take a lease on a waiting thread; of several simultaneous claimers exactly one wins (Conflict for the rest)."""
    thread = load_visible(uow, thread_id, user)
    now = clock.now()
    if thread.state == ThreadState.ESCALATED and user.role not in STAFF_ROLES:
        raise Forbidden("this thread was handed on to staff")
    if not claimable(thread, now):
        if thread.state == ThreadState.CLAIMED:
            raise Conflict("someone else holds the claim on this thread")
        next_state(thread.state, Act.CLAIM)  # raises InvalidTransition with the reason
    if user.role == Role.SUPERUSER:
        # Lock the claimer first (PostgreSQL row lock; SQLite transactions are IMMEDIATE, so writers queue anyway):
        # two claims by one user on different threads then count each other, and capacity cannot be exceeded.
        capacity = capacity_of(uow, user.id, uow.routing.lock_claimer(user.id), now, rules)
        held = [t for t in uow.threads.list(states=[ThreadState.CLAIMED], claimed_by=user.id) if holds(t, user.id, now)]
        if len(held) >= capacity:
            raise Conflict(f"you already hold {len(held)} claims (your capacity is {capacity})")
        if rules.hourly_cap and uow.routing.claims_since(user.id, now - timedelta(hours=1)) >= rules.hourly_cap:
            raise Conflict(f"fairness cap: at most {rules.hourly_cap} claims per hour, let others have a go")
    minutes = lease_minutes or rules.lease_minutes
    expires = lease_until(now, minutes)
    was_lapsed = thread.state == ThreadState.CLAIMED
    thread.state, thread.claimed_by, thread.claim_expires = ThreadState.CLAIMED, user.id, expires
    uow.routing.log_claim(thread_id, user.id, now, expires)
    record(uow, thread, "claimed", user, now, lease_minutes=minutes, expires=expires.isoformat())
    # The atomic conditional UPDATE decides who wins; it comes after the inserts so the row stays locked only
    # until commit. Losers raise Conflict and their unit of work rolls everything back.
    if not uow.threads.claim(thread_id, user.id, now, expires):
        raise Conflict("someone else has just claimed this thread")
    if was_lapsed:  # took over a lapsed lease: close the quiet claimer's record
        uow.routing.end_claim(thread_id, "expired", now, lapsed_only=True)
    uow.routing.close_offers(thread_id, "withdrawn", taken_by=user.id)
    return thread


def renew(uow: UnitOfWork, thread_id: int, user: User, clock: Clock, rules: WorkRules = DEFAULT_RULES) -> Thread:
    """Extend the caller's live lease by another lease period."""
    thread = load_visible(uow, thread_id, user)
    now = clock.now()
    next_state(thread.state, Act.RENEW)
    expires = lease_until(now, rules.lease_minutes)
    if not uow.routing.renew(thread_id, user.id, now, expires):
        raise Conflict("your claim has lapsed or belongs to someone else; claim the thread again")
    uow.routing.extend_claim(thread_id, user.id, expires)
    thread = uow.threads.get(thread_id)
    record(uow, thread, "renewed", user, now, expires=expires.isoformat())
    return thread


def release(uow: UnitOfWork, thread_id: int, user: User, clock: Clock) -> Thread:
    """Give a claimed thread back to the pool (back to staff when it had been handed on)."""
    thread = load_visible(uow, thread_id, user)
    now = clock.now()
    to = next_state(thread.state, Act.RELEASE, escalated=_was_handed_on(thread))
    if thread.claimed_by != user.id and user.role not in MANAGERS:
        raise Forbidden("only the claim holder (or a manager) can release a claimed thread")
    _free(uow, thread, to, "released", now)
    record(uow, thread, "released", user, now)
    return thread


def expire_lease(uow: UnitOfWork, thread: Thread, clock: Clock) -> Thread:
    """Return a thread whose claimer went quiet to the pool (system action of the escalation job)."""
    now = clock.now()
    quiet = thread.claimed_by
    _free(uow, thread, next_state(thread.state, Act.EXPIRE, escalated=_was_handed_on(thread)), "expired", now)
    record(uow, thread, "lease_expired", None, now, body="the claim lapsed; the thread is back in the pool",
           user_id=quiet)
    return thread


def answer(uow: UnitOfWork, thread_id: int, user: User, body: str, clock: Clock,
           rules: WorkRules = DEFAULT_RULES) -> Thread:
    """Answer a thread: super-users need the claim; staff may answer staff threads directly.

    When the thread's review policy asks for it, a super-user's answer waits for review before it is published.
    """
    thread = load_visible(uow, thread_id, user)
    now = clock.now()
    body = body.strip()
    if not body:
        raise ValidationError("an answer cannot be empty")
    to = next_state(thread.state, Act.ANSWER)
    if user.role == Role.SUPERUSER and not holds(thread, user.id, now):
        raise Conflict("claim the thread before answering it (or your claim has lapsed)")
    if user.role in STAFF_ROLES and thread.claimed_by not in (None, user.id) and holds(thread, thread.claimed_by, now):
        raise Conflict("someone else holds the claim on this thread")
    policy = rules.review_for(thread) if user.role == Role.SUPERUSER else ReviewPolicy()
    answer_id = uow.threads.add_answer(thread.id, user.id, body, now)
    uow.routing.set_answer_status(answer_id, "pending_review" if policy.required else "published")
    _free(uow, thread, to, "answered", now)
    record(uow, thread, "answered", user, now, body=body, answer_id=answer_id)
    if policy.required:
        record(uow, thread, "review_requested", user, now, body=f"needs {policy.describe()} before publishing",
               answer_id=answer_id)
    else:
        uow.routing.mark(thread.id, first_response_at=now)
    return thread


def hand_on(uow: UnitOfWork, thread_id: int, user: User, note: str, clock: Clock) -> Thread:
    """Forward a thread to a staff advisor with a note; history goes along and the SLA clock keeps running."""
    thread = load_visible(uow, thread_id, user)
    now = clock.now()
    to = next_state(thread.state, Act.HAND_ON)
    if thread.state == ThreadState.CLAIMED and not holds(thread, user.id, now) and user.role not in STAFF_ROLES:
        raise Forbidden("only the super-user holding the claim can hand this thread on")
    hand_to_staff(uow, thread, now, to, note=note.strip(), actor=user, kind="handed_on")
    return thread


def hand_to_staff(uow: UnitOfWork, thread: Thread, now, to: ThreadState = ThreadState.ESCALATED, *, note: str,
                  actor: User | None, kind: str) -> None:
    """Move a thread to the staff advisors' queue keeping its clock (used by hand-on and the SLA job)."""
    came_from = f"{thread.target}/{thread.queue}"
    thread.target, thread.queue, thread.staff_only = Target.STAFF, HAND_ON_QUEUE, True
    _free(uow, thread, to, "handed_on", now)
    uow.routing.close_offers(thread.id, "withdrawn")
    record(uow, thread, kind, actor, now, body=note, came_from=came_from)
    why = (f"handed on to staff by {actor.name}" if actor else "handed to staff by the SLA job") + (
        f": {note}" if note else "")
    log_decision(uow, thread, now, kind, why, actor, came_from=came_from)


def resolve(uow: UnitOfWork, thread_id: int, user: User, clock: Clock) -> Thread:
    """Close a thread (staff and managers)."""
    if user.role not in STAFF_ROLES:
        raise Forbidden("only staff and managers resolve threads")
    return _close(uow, uow.threads.get(thread_id), Act.RESOLVE, "resolved", user, clock.now())


def accept(uow: UnitOfWork, thread_id: int, clock: Clock, note: str = "accepted by the asker") -> Thread:
    """Resolve a thread because the asker accepted the answer where the source shows it (system action)."""
    thread = uow.threads.get(thread_id)
    latest = uow.routing.latest_answer(thread_id)
    if latest is not None:
        uow.routing.set_answer_status(latest.id, latest.status, accepted=True)
    return _close(uow, thread, Act.RESOLVE, "accepted", None, clock.now(), body=note)


def dismiss(uow: UnitOfWork, thread_id: int, user: User, reason: str, clock: Clock) -> Thread:
    """Dismiss a thread as not relevant or spam (managers)."""
    if user.role not in MANAGERS:
        raise Forbidden("only managers dismiss threads")
    return _close(uow, uow.threads.get(thread_id), Act.DISMISS, "dismissed", user, clock.now(), body=reason.strip())


def _close(uow: UnitOfWork, thread: Thread, act: Act, kind: str, user: User | None, now, body: str = "") -> Thread:
    _free(uow, thread, next_state(thread.state, act), kind, now)
    uow.routing.close_offers(thread.id, "withdrawn")
    if act == Act.RESOLVE:
        uow.routing.mark(thread.id, resolved_at=now)
    record(uow, thread, kind, user, now, body=body)
    return thread


def reopen(uow: UnitOfWork, thread_id: int, user: User, clock: Clock) -> Thread:
    """Put a closed thread back in the pool (managers)."""
    if user.role not in MANAGERS:
        raise Forbidden("only managers reopen threads")
    thread = uow.threads.get(thread_id)
    thread.state = next_state(thread.state, Act.REOPEN)
    uow.threads.save(thread)
    record(uow, thread, "reopened", user, clock.now())
    return thread


def retarget(uow: UnitOfWork, thread_id: int, user: User, target: str, queue: str, clock: Clock) -> Thread:
    """Send a thread (typically from the triage inbox) to the community or to a staff queue (managers)."""
    if user.role not in MANAGERS:
        raise Forbidden("only managers route threads by hand")
    try:
        chosen = Target(target)
    except ValueError:
        raise ValidationError("target must be community, staff or triage") from None
    thread = uow.threads.get(thread_id)
    thread.state = next_state(thread.state, Act.ROUTE)
    came_from = f"{thread.target}/{thread.queue}"
    thread.target, thread.queue = chosen, (queue or str(chosen)).strip()
    thread.staff_only = chosen != Target.COMMUNITY
    uow.threads.save(thread)
    now, moved = clock.now(), f"{came_from} → {thread.target}/{thread.queue}"
    record(uow, thread, "retargeted", user, now, body=moved)
    log_decision(uow, thread, now, "by_hand", f"routed by hand by {user.name}: {moved}", user, came_from=came_from)
    return thread
