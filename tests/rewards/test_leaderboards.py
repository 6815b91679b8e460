"""Leaderboards per period, topic and language, with per-board weights; recomputing the ledger."""
from __future__ import annotations

from datetime import timedelta

import pytest

from community.domain.gamification.leaderboard import leaderboard, period_key, period_start, ranked
from community.domain.gamification.ledger import LedgerEntry
from community.domain.gamification.points import Activity
from community.domain.gamification.recompute import corrections, replay
from tests.rewards.rewards_helpers import T0, MemoryLedger, answer, later, table, unique_text


def entry(user_id, points, at=T0, rule="answer", topic="tips", language="de"):
    return LedgerEntry(user_id=user_id, at=at, rule=rule, points=points, topic=topic, language=language)


LEDGER = [entry(1, 10), entry(2, 30, topic="usage", language="en"), entry(3, 5, at=T0 - timedelta(days=10)),
          entry(1, 10, rule="accepted_answer"), LedgerEntry(1, T0, "redemption", -100)]


def test_week_month_and_all_time_count_only_their_period_and_ignore_spending():
    now = later(days=2)
    assert [(r.user_id, r.points) for r in leaderboard(LEDGER, "week", now, {})] == [(2, 30), (1, 20)]
    assert [(r.user_id, r.points) for r in leaderboard(LEDGER, "month", now, {})] == [(2, 30), (1, 20), (3, 5)]
    assert leaderboard(LEDGER, "all", now, {})[2].points == 5


def test_topic_and_language_boards():
    assert [r.user_id for r in leaderboard(LEDGER, "all", T0, {}, topic="usage")] == [2]
    assert [r.user_id for r in leaderboard(LEDGER, "all", T0, {}, language="de")] == [1, 3]


def test_each_board_may_weigh_rules_differently():
    weights = {"week": {"accepted_answer": 3.0}}
    assert leaderboard(LEDGER, "week", T0, weights)[0].user_id == 1
    assert leaderboard(LEDGER, "all", T0, weights)[0].user_id == 2


def test_ties_share_a_place():
    assert [r.place for r in ranked({1: 5, 2: 9, 3: 5, 4: 1})] == [1, 2, 2, 4]


def test_periods():
    assert period_key("week", T0) == "2026-W48" and period_key("month", T0) == "2026-11"
    assert period_start("week", later(days=3, minutes=5)) == T0.replace(hour=0)
    with pytest.raises(ValueError):
        period_key("year", T0)


def test_replaying_the_activities_gives_the_ledger_back_and_a_changed_weight_is_explained():
    activities = [answer(thread_id=1, id=1), answer(user_id=2, thread_id=1, text=unique_text(2), id=2),
                  Activity(kind="accepted", user_id=1, at=later(minutes=9), thread_id=1, actor_id=5, id=3),
                  Activity(kind="rejected", user_id=2, at=later(minutes=10), thread_id=1, id=4)]
    live = MemoryLedger(table())
    for activity in activities:
        live.apply(activity)
    assert corrections(replay(activities, table()), live.entries, later(days=1)) == []
    pricier = table()
    pricier = type(pricier)(rules={**pricier.rules, "accepted_answer": type(pricier.rules["answer"])(
        "accepted_answer", 40)}, antigaming=pricier.antigaming)
    fixes = corrections(replay(activities, pricier), live.entries, later(days=1))
    assert [(f.user_id, f.rule, f.points) for f in fixes] == [(1, "accepted_answer", 15)]
    assert "25 → 40" in fixes[0].reason
    assert corrections(replay(activities, pricier), live.entries + fixes, later(days=1)) == []


def test_a_reversal_counts_in_the_week_of_the_award_it_takes_back():
    award = LedgerEntry(1, T0, "answer", 10, topic="tips", id=1)
    undo = LedgerEntry(1, later(days=8), "answer", -10, topic="tips", reverses_id=1, id=2)
    other = LedgerEntry(2, later(days=8), "answer", 10, topic="tips", id=3)
    next_week = leaderboard([award, undo, other], "week", later(days=8), {})
    assert [(r.user_id, r.points) for r in next_week] == [(2, 10)]
    assert [r.points for r in leaderboard([award, undo, other], "week", T0, {})] == [0]
