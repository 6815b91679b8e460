"""The thread state machine and claim leases."""
from __future__ import annotations

from datetime import timedelta

import pytest

from community.domain.errors import InvalidTransition
from community.domain.model import Thread, ThreadState
from community.domain.routing.states import TRANSITIONS, Act, claimable, holds, next_state
from tests.routing.fakes import NOON

S = ThreadState


@pytest.mark.parametrize("state, act, to", [
    (S.NEW, Act.ROUTE, S.ROUTED), (S.ROUTED, Act.CLAIM, S.CLAIMED), (S.CLAIMED, Act.ANSWER, S.ANSWERED),
    (S.CLAIMED, Act.HAND_ON, S.ESCALATED), (S.ROUTED, Act.HAND_ON, S.ESCALATED), (S.ESCALATED, Act.CLAIM, S.CLAIMED),
    (S.ANSWERED, Act.RESOLVE, S.RESOLVED), (S.ROUTED, Act.DISMISS, S.DISMISSED), (S.CLAIMED, Act.RELEASE, S.ROUTED),
    (S.ANSWERED, Act.REQUEST_CHANGES, S.CLAIMED), (S.RESOLVED, Act.REOPEN, S.ROUTED),
])
def test_valid_transitions(state, act, to):
    assert next_state(state, act) == to


def test_release_of_a_handed_on_thread_returns_it_to_staff():
    assert next_state(S.CLAIMED, Act.RELEASE, escalated=True) == S.ESCALATED


def test_every_state_action_pair_either_moves_or_raises_a_clear_error():
    for act, (allowed, _to) in TRANSITIONS.items():
        for state in S:
            if state in allowed:
                next_state(state, act)
            else:
                with pytest.raises(InvalidTransition, match=f"cannot .* a thread that is {state.value}"):
                    next_state(state, act)


def test_closed_threads_cannot_be_answered_or_handed_on():
    with pytest.raises(InvalidTransition, match="cannot hand on a thread that is resolved"):
        next_state(S.RESOLVED, Act.HAND_ON)
    with pytest.raises(InvalidTransition):
        next_state(S.DISMISSED, Act.ANSWER)


def test_a_lease_holds_until_it_expires_and_then_the_thread_is_claimable():
    thread = Thread(1, "k", "t", state=S.CLAIMED, claimed_by=7, claim_expires=NOON + timedelta(minutes=30))
    assert holds(thread, 7, NOON) and not holds(thread, 8, NOON) and not claimable(thread, NOON)
    later = NOON + timedelta(minutes=30)
    assert not holds(thread, 7, later) and claimable(thread, later)
