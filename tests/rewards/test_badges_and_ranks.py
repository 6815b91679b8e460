"""Badges (tiers, once only, the earning entry) and ranks (thresholds, privileges, decay)."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from community.domain.gamification.badges import BadgeDef, evaluate
from community.domain.gamification.ledger import LedgerEntry
from community.domain.gamification.ranks import Decay, Rank, decay_factor, standing
from tests.rewards.rewards_helpers import T0, later

ACCEPTED = BadgeDef("accepted", "accepted_answer", {"bronze": 1, "silver": 10, "gold": 100}, title="Problem solver")
EXPERT = BadgeDef("expert", "accepted_answer", {"bronze": 3}, per_topic=True)
NIGHT = BadgeDef("night_owl", "night_answers", {"bronze": 2})
STREAK = BadgeDef("streak", "streak_days", {"bronze": 3})
RANKS = (Rank("newcomer", 0, claim_capacity=2), Rank("helper", 100, claim_capacity=4),
         Rank("expert", 500, claim_capacity=6, max_topics=0, can_mentor=True))


def entries(rule: str, n: int, user_id: int = 1, step=timedelta(hours=1), start=T0, topic=None, points=25):
    return [LedgerEntry(user_id=user_id, at=start + i * step, rule=rule, points=points, topic=topic, id=i + 1)
            for i in range(n)]


def test_tiers_are_awarded_when_the_counter_first_reaches_them_with_the_earning_entry():
    ledger = entries("accepted_answer", 12)
    awards = evaluate(ledger, [ACCEPTED])
    assert [(a.tier, a.points_event_id, a.at) for a in awards] == [
        ("bronze", 1, ledger[0].at), ("silver", 10, ledger[9].at)]
    assert "Problem solver (silver)" in awards[1].reason


def test_a_held_badge_is_not_awarded_again():
    ledger = entries("accepted_answer", 12)
    assert evaluate(ledger, [ACCEPTED], held={(1, "accepted", "bronze")})[0].tier == "silver"
    assert evaluate(ledger, [ACCEPTED], held={(1, "accepted", "bronze"), (1, "accepted", "silver")}) == []


def test_reversed_entries_do_not_count():
    ledger = entries("accepted_answer", 1)
    undo = LedgerEntry(user_id=1, at=later(minutes=5), rule="accepted_answer", points=-25, reverses_id=1, id=2)
    late = LedgerEntry(user_id=1, at=later(days=1), rule="accepted_answer", points=25, id=3)
    silver = BadgeDef("two", "accepted_answer", {"bronze": 2})
    assert evaluate([*ledger, undo, late], [silver]) == []


def test_expert_badge_is_per_topic():
    ledger = entries("accepted_answer", 3, topic="tips") + entries("accepted_answer", 2, topic="usage",
                                                                     start=later(days=1))
    assert [(a.badge, a.tier) for a in evaluate(ledger, [EXPERT])] == [("expert:tips", "bronze")]


def test_night_owl_counts_local_night_hours():
    # 22:30 and 23:30 in Berlin are 21:30/22:30 UTC in November.
    late = entries("answer", 2, start=T0.replace(hour=21, minute=30), points=10)
    assert evaluate(late, [NIGHT], zones={1: ZoneInfo("Europe/Berlin")})[0].badge == "night_owl"
    assert evaluate(late, [NIGHT]) == []


def test_streak_needs_consecutive_days():
    daily = entries("answer", 3, step=timedelta(days=1), points=10)
    gap = entries("answer", 2, step=timedelta(days=1), points=10) + entries("answer", 1, start=later(days=3))
    assert evaluate(daily, [STREAK])[0].at == daily[2].at
    assert evaluate(gap, [STREAK]) == []


def test_rank_follows_thresholds_and_unlocks_privileges():
    now = later(days=1)
    rich = standing(entries("accepted_answer", 20), 1, RANKS, Decay(), now)
    poor = standing(entries("accepted_answer", 3), 1, RANKS, Decay(), now)
    assert (rich.rank.name, rich.rank.can_mentor, rich.next_rank) == ("expert", True, None)
    assert (poor.rank.name, poor.rank.claim_capacity, poor.next_rank.name, poor.to_next) == ("newcomer", 2, "helper", 25)


def test_rank_decays_after_the_grace_period_and_recovers_with_activity():
    decay = Decay(grace_days=30, half_life_days=30, floor=0.1)
    ledger = entries("accepted_answer", 20)  # 500 points
    last = ledger[-1].at
    assert standing(ledger, 1, RANKS, decay, last + timedelta(days=29)).rank.name == "expert"
    faded = standing(ledger, 1, RANKS, decay, last + timedelta(days=60))
    assert (faded.effective, faded.rank.name, faded.earned) == (250, "helper", 500)
    back = ledger + entries("answer", 1, start=later(days=61), points=10)
    assert standing(back, 1, RANKS, decay, later(days=61)).rank.name == "expert"


def test_decay_never_goes_below_the_floor():
    assert decay_factor(10_000, Decay(grace_days=0, half_life_days=1, floor=0.25)) == 0.25


def test_spending_points_does_not_lower_the_rank():
    ledger = entries("accepted_answer", 4) + [LedgerEntry(1, later(days=1), "redemption", -100)]
    assert standing(ledger, 1, RANKS, Decay(), later(days=1)).rank.name == "helper"
