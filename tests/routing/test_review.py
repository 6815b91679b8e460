"""Review before publishing."""
from __future__ import annotations

import pytest

from community.domain.errors import Forbidden, InvalidTransition
from community.domain.routing.review import Outcome, ReviewPolicy, Verdict, Vote, check_vote, outcome, policy_for

MOZILLA = ReviewPolicy(peer_reviews=3, staff_approval=True)


def _peer(uid, verdict=Verdict.APPROVE):
    return Vote(uid, False, verdict)


def test_three_peers_and_staff_publish_like_mozillas_respond():
    votes = [_peer(2), _peer(3)]
    assert outcome(MOZILLA, votes) == Outcome.PENDING
    votes.append(_peer(4))
    assert outcome(MOZILLA, votes) == Outcome.PENDING
    votes.append(Vote(9, True, Verdict.APPROVE))
    assert outcome(MOZILLA, votes) == Outcome.APPROVED


def test_staff_approval_alone_does_not_replace_peer_reviews():
    assert outcome(MOZILLA, [Vote(9, True, Verdict.APPROVE)]) == Outcome.PENDING


def test_one_rejection_sends_the_answer_back():
    assert outcome(MOZILLA, [_peer(2), _peer(3, Verdict.REJECT)]) == Outcome.CHANGES_REQUESTED


def test_no_policy_publishes_at_once():
    assert outcome(ReviewPolicy(), []) == Outcome.APPROVED and not ReviewPolicy().required


def test_nobody_reviews_their_own_answer_or_twice():
    with pytest.raises(Forbidden):
        check_vote(author_id=1, reviewer_id=1, earlier=[])
    with pytest.raises(InvalidTransition):
        check_vote(author_id=1, reviewer_id=2, earlier=[_peer(2)])


def test_topic_policy_wins_over_target_policy():
    policies = {"topic:payment": MOZILLA, "target:community": ReviewPolicy(1)}
    assert policy_for(policies, topic="payment", target="community") == MOZILLA
    assert policy_for(policies, topic="usage", target="community") == ReviewPolicy(1)
    assert policy_for(policies, topic="usage", target="staff") == ReviewPolicy()
