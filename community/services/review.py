"""Review before publishing: peers and staff vote on a super-user's answer; enough approvals publish it."""
from __future__ import annotations

from community.domain.errors import InvalidTransition
from community.domain.model import Role, Thread, ThreadState, User
from community.domain.routing.review import Outcome, Verdict, Vote, check_vote, outcome
from community.domain.routing.states import Act, lease_until, next_state
from community.ports import Clock, UnitOfWork
from community.services.work import DEFAULT_RULES, STAFF_ROLES, WorkRules, load_visible, record


def review(uow: UnitOfWork, thread_id: int, user: User, verdict: str, note: str, clock: Clock,
           rules: WorkRules = DEFAULT_RULES) -> Thread:
    """Approve or reject the answer waiting for review; nobody reviews their own answer."""
    thread = load_visible(uow, thread_id, user)
    now = clock.now()
    latest = uow.routing.latest_answer(thread_id)
    if thread.state != ThreadState.ANSWERED or latest is None or latest.status != "pending_review":
        raise InvalidTransition("this thread has no answer waiting for review")
    try:
        choice = Verdict(verdict)
    except ValueError:
        raise InvalidTransition("a review either approves or rejects") from None
    earlier = uow.routing.votes(latest.id)
    check_vote(latest.author_id, user.id, earlier)
    vote = Vote(user.id, user.role in STAFF_ROLES, choice, note.strip())
    uow.routing.add_vote(latest.id, vote, now)
    record(uow, thread, "reviewed", user, now, body=note.strip(), verdict=str(choice), answer_id=latest.id)
    result = outcome(rules.review_for(thread), [*earlier, vote])
    if result == Outcome.APPROVED:
        uow.routing.set_answer_status(latest.id, "published")
        uow.routing.mark(thread.id, first_response_at=now)
        record(uow, thread, "published", user, now, answer_id=latest.id)
    elif result == Outcome.CHANGES_REQUESTED:
        uow.routing.set_answer_status(latest.id, "changes_requested")
        thread.state = next_state(thread.state, Act.REQUEST_CHANGES)
        expires = lease_until(now, rules.lease_minutes)
        thread.claimed_by, thread.claim_expires = latest.author_id, expires
        uow.threads.save(thread)
        uow.routing.log_claim(thread.id, latest.author_id, now, expires)
        record(uow, thread, "changes_requested", user, now, body=note.strip(), answer_id=latest.id)
    return thread


def pending_for(uow: UnitOfWork, user: User, limit: int = 50) -> list[tuple[Thread, int]]:
    """Return (thread, answer id) pairs this user may review: not their own, not yet voted on."""
    found = []
    for answer in uow.routing.awaiting_review(limit * 3):
        if answer.author_id == user.id or any(v.reviewer_id == user.id for v in uow.routing.votes(answer.id)):
            continue
        thread = uow.threads.get(answer.thread_id)
        if user.role != Role.SUPERUSER or (thread.target == "community" and not thread.staff_only):
            found.append((thread, answer.id))
        if len(found) >= limit:
            break
    return found
