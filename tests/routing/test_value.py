"""Value estimate and the rolling staff-share split."""
from __future__ import annotations

from community.domain.model import Target
from community.domain.routing.facts import AuthorFacts
from community.domain.routing.value import RollingQuantile, ValueModel
from tests.routing.fakes import NOON, engine, facts


def test_value_adds_weighted_signals():
    model = ValueModel({"comparison": 0.6}, intent_keywords=("kauf*",))
    plain, _ = model.estimate(facts(topic="usage"))
    keen, parts = model.estimate(facts(topic="comparison", text="Lohnt es sich, die Watch zu kaufen?",
                                       author=AuthorFacts(reach=10_000), engagement=50))
    assert keen > plain
    assert parts["intent"] == 1.0 and parts["topic"] == 0.6 and parts["reach"] > 0 and parts["engagement"] > 0


def test_quantile_marks_the_top_share_and_ignores_ties():
    window = RollingQuantile(window=100, min_samples=10, seed=[i / 100 for i in range(100)])
    threshold = window.threshold(0.3)
    assert sum(1 for i in range(100) if i / 100 > threshold) == 30
    flat = RollingQuantile(window=100, min_samples=10, seed=[0.5] * 100)
    assert not 0.5 > flat.threshold(0.3)


def test_quantile_forgets_values_beyond_the_window():
    window = RollingQuantile(window=10, min_samples=1, seed=[100.0] * 10 + [1.0] * 10)
    assert len(window) == 10 and window.threshold(0.3) == 1.0


def test_quantile_warms_up_before_splitting():
    assert RollingQuantile(min_samples=5, seed=[1, 2]).threshold(0.3) is None


def test_high_value_community_items_go_to_staff_at_about_the_staff_share():
    eng = engine(share=0.3, min_samples=20)
    targets = []
    for i in range(400):
        reach = (i * 7919) % 100_000 // 10  # spread-out reach below the influencer rule
        d = eng.decide(facts(topic="usage", author=AuthorFacts(reach=reach)), [], NOON)
        targets.append(d.target)
    staff = targets[100:].count(Target.STAFF) / 300
    assert 0.2 <= staff <= 0.4
    d = eng.decide(facts(topic="usage", author=AuthorFacts(reach=9_999)), [], NOON)
    assert d.rule == "high-value" and "in the top 30% by value" in d.explanation[1]


def test_staff_share_zero_sends_nothing_to_staff_by_value():
    eng = engine(share=0.0, min_samples=5)
    rules = [eng.decide(facts(author=AuthorFacts(reach=i * 100)), [], NOON).rule for i in range(50)]
    assert "high-value" not in rules


def test_dry_runs_do_not_move_the_window():
    eng = engine(min_samples=1)
    eng.decide(facts(), [], NOON, learn=False)
    assert len(eng.quantile) == 0
