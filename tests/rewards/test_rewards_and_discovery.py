"""Redemptions (request, manager approval, the ledger entry) and ranking external authors for discovery."""
from __future__ import annotations

from datetime import timedelta

import pytest

from community.domain.errors import Conflict, InvalidTransition, ValidationError
from community.domain.gamification.discovery import AuthorPost, candidates
from community.domain.gamification.rewards import Reward, approve, decline, request
from tests.rewards.rewards_helpers import T0, later

TEST = Reward(id=1, name="Product test: new router", price=100, stock=2, kind="product_test")


def test_request_needs_an_active_reward_in_stock_and_enough_unreserved_points():
    assert request(TEST, user_id=7, balance=150, pending=0, at=T0).status == "requested"
    with pytest.raises(ValidationError, match="50 are available"):
        request(TEST, 7, balance=150, pending=100, at=T0)
    with pytest.raises(Conflict):
        request(Reward(1, "x", 10, stock=0), 7, 100, 0, T0)
    with pytest.raises(ValidationError):
        request(Reward(1, "x", 10, stock=3, active=False), 7, 100, 0, T0)


def test_approval_spends_the_price_through_the_ledger_and_takes_one_from_stock():
    asked = request(TEST, 7, 150, 0, T0)
    done, reward, entry = approve(asked, TEST, balance=150, manager_id=2, at=later(minutes=5))
    assert (done.status, done.decided_by, reward.stock) == ("approved", 2, 1)
    assert (entry.user_id, entry.points, entry.rule) == (7, -100, "redemption") and TEST.name in entry.reason
    with pytest.raises(InvalidTransition):
        approve(done, reward, 150, 2, later(minutes=6))


def test_approval_refused_when_balance_dropped_or_self_approved():
    asked = request(TEST, 7, 150, 0, T0)
    with pytest.raises(ValidationError):
        approve(asked, TEST, balance=80, manager_id=2, at=T0)
    with pytest.raises(ValidationError):
        approve(asked, TEST, balance=150, manager_id=7, at=T0)


def test_reject_and_cancel_move_no_points():
    asked = request(TEST, 7, 150, 0, T0)
    assert decline(asked, 2, T0, note="out of season").status == "rejected"
    assert decline(asked, 7, T0, cancel=True).status == "cancelled"
    with pytest.raises(ValidationError):
        decline(asked, 2, T0, cancel=True)


def post(author, *, reply=True, days=1, topic="tips", sentiment=0.5, reach=100, n=0, source="forum"):
    return AuthorPost(source=source, author=author, url=f"https://forum.example/{author}/{n}", text="x" * (10 + n),
                      published=T0 - timedelta(days=days), is_reply=reply, reach=reach, sentiment=sentiment,
                      topic=topic)


def test_helpful_recent_repliers_rank_above_occasional_or_old_posters_with_evidence():
    posts = ([post("helper", n=i, topic=t) for i, t in enumerate(["tips", "usage", "tips", "comparison"])]
             + [post("ranter", reply=False, sentiment=-0.8, n=i) for i in range(4)]
             + [post("oldtimer", days=400, n=i) for i in range(4)]
             + [post("once", n=1)])
    found = candidates(posts, T0, statuses={("forum", "oldtimer"): "invited"})
    assert [c.author for c in found] == ["helper", "oldtimer"]
    top = found[0]
    assert top.replies == 4 and top.topics == ("comparison", "tips", "usage") and len(top.evidence) == 3
    assert top.parts["replies"] > 0 and found[1].status == "invited"


def test_same_handle_on_two_sources_are_two_candidates():
    posts = [post("anna", n=i) for i in range(2)] + [post("anna", n=i, source="reddit") for i in range(2)]
    assert {(c.source, c.author) for c in candidates(posts, T0)} == {("forum", "anna"), ("reddit", "anna")}
