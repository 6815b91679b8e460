"""Points rules: what each activity pays, the daily caps, reversals and the anti-gaming refusals."""
from __future__ import annotations

from dataclasses import replace

import pytest

from community.domain.gamification.ledger import balance
from community.domain.gamification.points import Activity
from tests.rewards.rewards_helpers import ANSWER_TEXT, T0, MemoryLedger, answer, later, table, unique_text


@pytest.mark.parametrize("kind,rule,points", [
    ("answer", "answer", 10), ("accepted", "accepted_answer", 25), ("fast_response", "fast_response", 5),
    ("hand_on", "hand_on", 5), ("kb_article", "kb_article", 30), ("helpful_vote", "helpful_vote", 2),
])
def test_each_activity_pays_its_rule_with_a_reason_and_a_link(kind, rule, points):
    ledger = MemoryLedger(table())
    activity = answer() if kind == "answer" else Activity(kind=kind, user_id=1, at=T0, thread_id=100, actor_id=9)
    scored = ledger.apply(activity)
    (entry,) = scored.entries
    assert (entry.rule, entry.points, entry.thread_id) == (rule, points, 100)
    assert "thread 100" in entry.reason


def test_per_rule_daily_cap_clips_then_pays_nothing_and_says_why():
    ledger = MemoryLedger(table(answer=25))
    for n in range(4):
        ledger.apply(answer(at=later(minutes=n), thread_id=n, text=unique_text(n)))
    assert [e.points for e in ledger.entries] == [10, 10, 5, 0]
    assert "daily cap of 25 for answer" in ledger.entries[-1].reason


def test_cap_starts_again_the_next_day():
    ledger = MemoryLedger(table(answer=10))
    ledger.apply(answer(thread_id=1, text=unique_text(1)))
    ledger.apply(answer(thread_id=2, text=unique_text(2), at=later(minutes=5)))
    ledger.apply(answer(thread_id=3, text=unique_text(3), at=later(days=1)))
    assert [e.points for e in ledger.entries] == [10, 0, 10]


def test_user_daily_cap_spans_all_rules():
    ledger = MemoryLedger(table(user=30))
    ledger.apply(answer())
    ledger.apply(Activity(kind="accepted", user_id=1, at=later(minutes=1), thread_id=100, actor_id=9))
    assert [e.points for e in ledger.entries] == [10, 20]
    assert "daily cap of 30 points" in ledger.entries[-1].reason


def test_rejected_answer_reverses_that_users_awards_on_the_thread_only():
    ledger = MemoryLedger(table())
    ledger.apply(answer(user_id=1))
    ledger.apply(answer(user_id=2, text=unique_text(2)))
    ledger.apply(Activity(kind="fast_response", user_id=1, at=T0, thread_id=100))
    ledger.apply(Activity(kind="rejected", user_id=1, at=later(minutes=30), thread_id=100))
    assert balance(ledger.entries, 1) == 0
    assert balance(ledger.entries, 2) == 10
    reversals = [e for e in ledger.entries if e.reverses_id]
    assert len(reversals) == 2 and all("answer rejected" in e.reason for e in reversals)


def test_spam_reverses_everyone_on_the_thread_once():
    ledger = MemoryLedger(table())
    ledger.apply(answer(user_id=1))
    ledger.apply(answer(user_id=2, text=unique_text(2)))
    ledger.apply(answer(user_id=2, thread_id=200, text=unique_text(3)))
    spam = Activity(kind="spam", user_id=0, at=later(minutes=30), thread_id=100)
    ledger.apply(spam)
    assert ledger.apply(spam).entries == ()
    assert (balance(ledger.entries, 1), balance(ledger.entries, 2)) == (0, 10)


@pytest.mark.parametrize("activity,why", [
    (answer(user_id=1, thread_author_ids=frozenset({1})), "own post"),
    (Activity(kind="accepted", user_id=1, at=T0, thread_id=1, actor_id=1), "own answer"),
    (Activity(kind="helpful_vote", user_id=1, at=T0, article_id=5, actor_id=1), "own answer"),
    (answer(text="Just restart it."), "under 40 characters"),
    (answer(claim_releases=2), "claim-and-release loop"),
    (Activity(kind="hand_on", user_id=1, at=T0, thread_id=1, claim_releases=3), "claim-and-release loop"),
])
def test_gaming_earns_nothing_and_says_why(activity, why):
    scored = MemoryLedger(table()).apply(activity)
    assert scored.entries == () and why in scored.refused


def test_near_copy_of_own_earlier_answer_earns_nothing_but_someone_elses_copy_does():
    ledger = MemoryLedger(table())
    ledger.apply(answer(user_id=1, thread_id=1))
    tweaked = ANSWER_TEXT.replace("ten seconds", "10 seconds")
    copy = ledger.apply(answer(user_id=1, thread_id=2, text=tweaked))
    other = ledger.apply(answer(user_id=2, thread_id=2, text=tweaked))
    fresh = ledger.apply(answer(user_id=1, thread_id=3, text=unique_text(7)))
    assert "near-copy" in copy.refused
    assert other.entries and fresh.entries


def test_unknown_kind_earns_nothing():
    scored = MemoryLedger(table()).apply(replace(answer(), kind="like"))
    assert scored.entries == () and "no points rule" in scored.refused
