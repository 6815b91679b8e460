"""Invariants of routing and matching, checked over generated items and super-users (hypothesis)."""
from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from community.domain.model import Target
from community.domain.routing.facts import AuthorFacts, RoutingFacts
from community.domain.routing.matching import Need
from community.domain.routing.pool import rank
from tests.routing.fakes import NOON, engine, profile

TOPICS = ["payment", "shipping", "returns", "account", "cancellation", "technical", "defect", "usage",
          "comparison", "recommendation", "praise", "other", "unknown-topic"]
WINDOWS = [[], ["mon-fri 09:00-17:00"], ["sat,sun 10:00-22:00"], ["daily 20:00-02:00"]]

item = st.builds(
    RoutingFacts,
    text=st.sampled_from(["Wie geht das?", "Ich verklage euch", "Lohnt sich der Kauf?", "help pls", ""]),
    topic=st.sampled_from(TOPICS), topic_confidence=st.floats(0, 1),
    urgency_level=st.sampled_from(["low", "normal", "high", "critical"]), urgency_score=st.integers(0, 10),
    sentiment_label=st.sampled_from(["negative", "neutral", "positive"]), sentiment_score=st.floats(-1, 1),
    language=st.sampled_from(["de", "en", "fr", "other"]), source=st.sampled_from(["reddit", "forum", "rss"]),
    author=st.builds(AuthorFacts, reach=st.integers(0, 200_000)), engagement=st.integers(0, 500),
)

fan = st.builds(
    lambda uid, langs, level, window, cap, active, claims, offers: profile(
        uid, languages=langs, expertise={"usage": level, "comparison": 5 - level}, windows=window, capacity=cap,
        active=active, open_claims=min(claims, cap), open_offers=min(offers, cap - min(claims, cap))),
    st.integers(1, 10_000), st.sampled_from([("de",), ("en",), ("de", "en")]), st.integers(0, 5),
    st.sampled_from(WINDOWS), st.integers(1, 5), st.booleans(), st.integers(0, 5), st.integers(0, 5),
)
fans = st.lists(fan, max_size=25, unique_by=lambda p: p.user_id)


@settings(max_examples=60, deadline=None)
@given(items=st.lists(item, min_size=1, max_size=30), pool=fans, minutes=st.integers(0, 7 * 24 * 60))
def test_every_routed_item_has_an_explanation_and_staff_items_are_never_offered(items, pool, minutes):
    eng = engine(min_samples=5)
    now = NOON + timedelta(minutes=minutes)
    for facts in items:
        decision = eng.decide(facts, pool, now)
        assert decision.explanation and decision.rule
        assert any(line.startswith(f"rule '{decision.rule}' fired") for line in decision.explanation)
        assert decision.explanation[-1].startswith("candidates:")
        if decision.target != Target.COMMUNITY:
            assert decision.candidates == ()


@settings(max_examples=60, deadline=None)
@given(pool=fans, topic=st.sampled_from(TOPICS), language=st.sampled_from(["de", "en", "other"]))
def test_staff_only_needs_offer_nobody(pool, topic, language):
    verdicts, counts = rank(Need(topic, language, staff_only=True), pool, NOON, top_n=5)
    assert not any(v.chosen for v in verdicts) and counts["eligible"] == 0


@settings(max_examples=50, deadline=None)
@given(pool=fans, rounds=st.integers(1, 40), top_n=st.integers(1, 5), minutes=st.integers(0, 7 * 24 * 60))
def test_offering_thread_after_thread_never_exceeds_anyones_capacity(pool, rounds, top_n, minutes):
    now = NOON + timedelta(minutes=minutes)
    by_id = {p.user_id: p for p in pool}
    for i in range(rounds):
        verdicts, _ = rank(Need("usage", "de"), pool, now + timedelta(seconds=i), top_n=top_n)
        chosen = [v for v in verdicts if v.chosen]
        assert len(chosen) <= top_n
        for v in chosen:
            p = by_id[v.user_id]
            assert p.active and "de" in p.languages and p.available(now)
            p.open_offers += 1
            p.last_offered = now + timedelta(seconds=i)
        assert all(p.load <= p.capacity for p in pool)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="abcdeäöüß *-", max_size=40),
       keywords=st.lists(st.text(alphabet="abcdeäöüß *", min_size=1, max_size=6), max_size=6))
def test_keyword_matching_finds_exactly_what_a_search_of_the_whole_text_finds(text, keywords):
    from community.domain.topics import _fold, _keyword_pattern, any_keyword, matched_keywords

    # Matching is tried only where a keyword's first word occurs; the definition is a search everywhere.
    expected = [kw for kw in keywords if kw.strip() and _keyword_pattern(kw).search(_fold(text))]
    assert matched_keywords(text, keywords) == expected
    assert any_keyword(text, keywords) == bool(expected)
