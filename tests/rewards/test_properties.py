"""Properties over random activity streams: balance = ledger sum, caps hold, badges never twice, totals recompute."""
from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from community.domain.gamification.badges import BadgeDef, evaluate
from community.domain.gamification.leaderboard import totals
from community.domain.gamification.ledger import balance, balances
from community.domain.gamification.points import Activity
from community.domain.gamification.similarity import fingerprint
from tests.rewards.rewards_helpers import T0, MemoryLedger, table, unique_text

KINDS = ["answer", "accepted", "fast_response", "hand_on", "kb_article", "helpful_vote", "rejected", "spam"]
CAPS = {"answer": 30, "accepted_answer": 50, "user": 80}
BADGES = [BadgeDef("answers", "answer", {"bronze": 1, "silver": 3, "gold": 6}),
          BadgeDef("expert", "accepted_answer", {"bronze": 2}, per_topic=True),
          BadgeDef("streak", "streak_days", {"bronze": 2})]


@st.composite
def activity(draw, n=st.integers(0, 10_000)):
    kind = draw(st.sampled_from(KINDS))
    text = unique_text(draw(n))
    return Activity(kind=kind, user_id=draw(st.integers(1, 3)), at=T0 + timedelta(hours=draw(st.integers(0, 96))),
                    thread_id=draw(st.integers(1, 4)), topic=draw(st.sampled_from(["tips", "usage"])),
                    language="de", actor_id=draw(st.integers(1, 5)), length=len(text), fingerprint=fingerprint(text),
                    claim_releases=draw(st.integers(0, 2)))


streams = st.lists(activity(), max_size=40).map(lambda xs: sorted(xs, key=lambda a: a.at))


def run(stream):
    ledger = MemoryLedger(table(**CAPS))
    for item in stream:
        ledger.apply(item)
    return ledger.entries


@settings(max_examples=30, deadline=None)
@given(streams)
def test_balance_always_equals_the_ledger_sum(stream):
    entries = run(stream)
    for user, total in balances(entries).items():
        assert total == balance(entries, user) == sum(e.points for e in entries if e.user_id == user)
        assert total >= 0  # reversals never take back more than was given


@settings(max_examples=30, deadline=None)
@given(streams)
def test_caps_hold(stream):
    per_rule, per_user = defaultdict(int), defaultdict(int)
    for e in run(stream):
        if e.points > 0 and e.reverses_id is None:
            per_rule[(e.user_id, e.at.date(), e.rule)] += e.points
            per_user[(e.user_id, e.at.date())] += e.points
    assert all(v <= CAPS.get(rule, 10**9) for (_, _, rule), v in per_rule.items())
    assert all(v <= CAPS["user"] for v in per_user.values())


@settings(max_examples=30, deadline=None)
@given(streams, st.integers(0, 40))
def test_a_badge_is_never_awarded_twice(stream, cut):
    entries = run(stream)
    first = evaluate(entries[:cut], BADGES)
    second = evaluate(entries, BADGES, held={(a.user_id, a.badge, a.tier) for a in first})
    keys = [(a.user_id, a.badge, a.tier) for a in first + second]
    assert len(keys) == len(set(keys))
    assert sorted(keys) == sorted((a.user_id, a.badge, a.tier) for a in evaluate(entries, BADGES))


@settings(max_examples=25, deadline=None)
@given(streams, st.integers(0, 40))
def test_incremental_totals_equal_totals_recomputed_from_the_ledger(stream, cut):
    entries = run(stream)
    weights = {"week": {"accepted_answer": 1.5}}
    merged = defaultdict(int)
    earlier = {e.id: e.at for e in entries[:cut]}  # what the stored ledger tells the second batch
    for part in (entries[:cut], entries[cut:]):
        for key, points in totals(part, weights, earlier).items():
            merged[key] += points
    assert {k: v for k, v in merged.items()} == totals(entries, weights)
