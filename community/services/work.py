"""The work on a thread: claim (a lease), answer, hand on to staff, release, resolve, dismiss."""
from __future__ import annotations

from datetime import timedelta

from community.domain.errors import Conflict, Forbidden, InvalidTransition, ValidationError
from community.domain.model import Role, Target, Thread, ThreadEvent, ThreadState, User
from community.ports import Clock, UnitOfWork

STAFF_ROLES = frozenset({Role.STAFF, Role.MANAGER, Role.ADMIN})


def can_see(user: User, thread: Thread) -> bool:
    """Tell whether a user may see a thread: super-users only see community threads that are not staff-only."""
    if user.role in STAFF_ROLES:
        return True
    return thread.target == Target.COMMUNITY and not thread.staff_only


def _load(uow: UnitOfWork, thread_id: int, user: User) -> Thread:
    thread = uow.threads.get(thread_id)
    if not can_see(user, thread):
        raise Forbidden("this thread is handled by staff")
    return thread


def _holds_claim(thread: Thread, user: User, now) -> bool:
    return thread.claimed_by == user.id and thread.claim_expires is not None and thread.claim_expires > now


def _record(uow: UnitOfWork, thread: Thread, kind: str, user: User, now, body: str = "", **data) -> None:
    uow.threads.add_event(ThreadEvent(thread.id, kind, now, actor_id=user.id, body=body, data=data))


def claim(uow: UnitOfWork, thread_id: int, user: User, clock: Clock, lease_minutes: int = 30) -> Thread:
    """Take a lease on a routed thread; exactly one of several simultaneous claimers wins."""
    thread = _load(uow, thread_id, user)
    if thread.state not in (ThreadState.ROUTED, ThreadState.CLAIMED, ThreadState.ESCALATED):
        raise InvalidTransition(f"a {thread.state} thread cannot be claimed")
    now = clock.now()
    if thread.state == ThreadState.ESCALATED and user.role not in STAFF_ROLES:
        raise Forbidden("this thread was handed on to staff")
    if not uow.threads.claim(thread_id, user.id, now, now + timedelta(minutes=lease_minutes)):
        raise Conflict("someone else has just claimed this thread")
    thread = uow.threads.get(thread_id)
    _record(uow, thread, "claimed", user, now, lease_minutes=lease_minutes)
    return thread


def answer(uow: UnitOfWork, thread_id: int, user: User, body: str, clock: Clock) -> Thread:
    """Answer a thread the user has claimed (staff may answer staff threads directly)."""
    thread = _load(uow, thread_id, user)
    now = clock.now()
    body = body.strip()
    if not body:
        raise ValidationError("an answer cannot be empty")
    if thread.state not in (ThreadState.CLAIMED, ThreadState.ROUTED, ThreadState.ESCALATED):
        raise InvalidTransition(f"a {thread.state} thread cannot be answered")
    if not _holds_claim(thread, user, now) and user.role not in STAFF_ROLES:
        raise InvalidTransition("claim the thread before answering it")
    uow.threads.add_answer(thread.id, user.id, body, now)
    thread.state, thread.claimed_by, thread.claim_expires = ThreadState.ANSWERED, None, None
    uow.threads.save(thread)
    _record(uow, thread, "answered", user, now, body=body)
    return thread


def hand_on(uow: UnitOfWork, thread_id: int, user: User, note: str, clock: Clock) -> Thread:
    """Forward a thread to a staff advisor with a note; the customer's SLA clock keeps running."""
    thread = _load(uow, thread_id, user)
    now = clock.now()
    if thread.state not in (ThreadState.ROUTED, ThreadState.CLAIMED):
        raise InvalidTransition(f"a {thread.state} thread cannot be handed on")
    if thread.state == ThreadState.CLAIMED and not _holds_claim(thread, user, now) and user.role not in STAFF_ROLES:
        raise InvalidTransition("only the super-user holding the claim can hand this thread on")
    thread.state, thread.target, thread.queue = ThreadState.ESCALATED, Target.STAFF, "advisor"
    thread.staff_only, thread.claimed_by, thread.claim_expires = True, None, None
    uow.threads.save(thread)
    _record(uow, thread, "handed_on", user, now, body=note.strip())
    return thread


def release(uow: UnitOfWork, thread_id: int, user: User, clock: Clock) -> Thread:
    """Give a claimed thread back to the pool."""
    thread = _load(uow, thread_id, user)
    now = clock.now()
    if thread.state != ThreadState.CLAIMED or thread.claimed_by != user.id:
        raise InvalidTransition("only the claim holder can release a claimed thread")
    thread.state = ThreadState.ESCALATED if thread.target == Target.STAFF and thread.queue == "advisor" else ThreadState.ROUTED
    thread.claimed_by, thread.claim_expires = None, None
    uow.threads.save(thread)
    _record(uow, thread, "released", user, now)
    return thread


def resolve(uow: UnitOfWork, thread_id: int, user: User, clock: Clock) -> Thread:
    """Close an answered thread (staff and managers)."""
    if user.role not in STAFF_ROLES:
        raise Forbidden("only staff and managers resolve threads")
    thread = uow.threads.get(thread_id)
    if thread.state not in (ThreadState.ANSWERED, ThreadState.CLAIMED, ThreadState.ESCALATED, ThreadState.ROUTED):
        raise InvalidTransition(f"a {thread.state} thread cannot be resolved")
    thread.state, thread.claimed_by, thread.claim_expires = ThreadState.RESOLVED, None, None
    uow.threads.save(thread)
    _record(uow, thread, "resolved", user, clock.now())
    return thread


def dismiss(uow: UnitOfWork, thread_id: int, user: User, reason: str, clock: Clock) -> Thread:
    """Dismiss a thread as not relevant or spam (managers)."""
    if user.role not in (Role.MANAGER, Role.ADMIN):
        raise Forbidden("only managers dismiss threads")
    thread = uow.threads.get(thread_id)
    if thread.state in (ThreadState.RESOLVED, ThreadState.DISMISSED):
        raise InvalidTransition(f"a {thread.state} thread cannot be dismissed")
    thread.state, thread.claimed_by, thread.claim_expires = ThreadState.DISMISSED, None, None
    uow.threads.save(thread)
    _record(uow, thread, "dismissed", user, clock.now(), body=reason.strip())
    return thread
