"""The rules engine: first match wins, defaults from the mission, readable traces, bad rules refused."""
from __future__ import annotations

import pytest

from community.domain.errors import ValidationError
from community.domain.model import Target
from community.domain.routing.facts import AuthorFacts
from community.domain.routing.rules import RuleBook
from tests.routing.fakes import NOON, engine, facts, profile


@pytest.mark.parametrize("topic, target, queue", [
    ("payment", Target.STAFF, "billing"), ("shipping", Target.STAFF, "logistics"),
    ("returns", Target.STAFF, "logistics"), ("account", Target.STAFF, "accounts"),
    ("cancellation", Target.STAFF, "retention"), ("technical", Target.STAFF, "tech"),
    ("defect", Target.STAFF, "tech"), ("usage", Target.COMMUNITY, "community"),
    ("comparison", Target.COMMUNITY, "community"), ("recommendation", Target.COMMUNITY, "community"),
    ("praise", Target.COMMUNITY, "community"), ("other", Target.COMMUNITY, "community"),
])
def test_default_rules_follow_the_mission(topic, target, queue):
    decision = engine().decide(facts(topic=topic), [], NOON)
    assert (decision.target, decision.queue) == (target, queue)


def test_critical_urgency_goes_to_staff_whatever_the_topic():
    decision = engine().decide(facts(topic="praise", urgency_level="critical"), [], NOON)
    assert decision.target == Target.STAFF and decision.priority == "critical"
    assert decision.rule == "critical-urgency"
    assert decision.sla_first_response_minutes == 15


def test_legal_threat_goes_to_staff_and_names_the_keyword():
    decision = engine().decide(facts(text="Dann schalte ich meinen Anwalt ein!"), [], NOON)
    assert decision.rule == "legal-or-personal-data" and decision.target == Target.STAFF
    assert any("anwalt" in line and "fired" in line for line in decision.explanation)


def test_low_topic_confidence_goes_to_triage_instead_of_guessing():
    decision = engine().decide(facts(topic="usage", topic_confidence=0.2), [profile(1)], NOON)
    assert decision.target == Target.TRIAGE and decision.candidates == ()


def test_cancellation_goes_to_the_retention_queue_with_skills_and_high_priority():
    decision = engine().decide(facts(topic="cancellation", text="Ich will kündigen"), [], NOON)
    assert decision.queue == "retention" and decision.required_skills == ("retention",)
    assert decision.priority == "high" and decision.sla_first_response_minutes == 60


def test_influencer_reach_goes_to_staff():
    decision = engine().decide(facts(author=AuthorFacts("bigname", reach=250_000)), [], NOON)
    assert decision.rule == "influencer" and decision.target == Target.STAFF


def test_first_matching_rule_wins_and_the_trace_says_why_earlier_rules_did_not():
    rules = [
        {"name": "german-forum", "when": {"language": ["de"], "source": ["forum*"]},
         "then": {"target": "community", "queue": "de-forum"}},
        {"name": "german", "when": {"language": "de"}, "then": {"target": "staff", "queue": "de"}},
    ]
    decision = engine(rules).decide(facts(source="reddit"), [], NOON)
    assert decision.rule == "german"
    assert "rule 'german-forum' skipped: source 'reddit' matches none of ['forum*']" in decision.explanation


def test_every_condition_kind_can_fire():
    rules = [{"name": "all", "when": {
        "topic": ["usage"], "topic_not": ["payment"], "confidence_at_least": 0.5, "confidence_below": 0.95,
        "urgency": ["high"], "urgency_score_at_least": 3, "sentiment": "negative", "sentiment_score_below": 0,
        "language": ["de"], "source": ["reddit*"], "query": ["brand"], "known_customer": True,
        "author_superuser": False, "author_reach_at_least": 10, "keywords": ["buds"], "regex": r"kopp\w+",
        "value_at_least": 0.1, "high_value": False}, "then": {"target": "staff", "queue": "x", "tags": ["t"]}}]
    f = facts(urgency_level="high", urgency_score=4, sentiment_label="negative", sentiment_score=-0.5,
              source="reddit/de", queries=("brand",), author=AuthorFacts("a", known_customer=True, reach=20))
    decision = engine(rules).decide(f, [], NOON)
    assert decision.rule == "all" and decision.tags == ("t",)
    assert engine(rules).decide(facts(), [], NOON).rule == "default"


def test_rule_priority_is_raised_by_higher_urgency_but_never_lowered():
    rules = [{"name": "r", "when": {}, "then": {"target": "staff", "queue": "q", "priority": "high"}}]
    assert engine(rules).decide(facts(urgency_level="low"), [], NOON).priority == "high"
    assert engine(rules).decide(facts(urgency_level="critical"), [], NOON).priority == "critical"


def test_a_rule_sla_replaces_the_priority_target():
    rules = [{"name": "r", "when": {}, "then": {"target": "staff", "queue": "q", "sla_minutes": 5}}]
    decision = engine(rules).decide(facts(), [], NOON)
    assert decision.sla_first_response_minutes == 5 and "set by the rule" in decision.explanation[-2]


def test_a_default_is_appended_when_the_last_rule_has_conditions():
    book = RuleBook.from_tables([{"name": "x", "when": {"topic": "payment"}, "then": {"target": "staff"}}])
    assert book.rules[-1].name == "default" and book.rules[-1].action.target == Target.COMMUNITY


@pytest.mark.parametrize("table, message", [
    ({"name": "r", "when": {"colour": "red"}, "then": {"target": "staff"}}, "unknown rule condition 'colour'"),
    ({"name": "r", "when": {"regex": "(unclosed"}, "then": {"target": "staff"}}, "invalid regular expression"),
    ({"name": "r", "when": {"confidence_below": "low"}, "then": {"target": "staff"}}, "expects a number"),
    ({"name": "r", "when": {}, "then": {"target": "robots"}}, "target must be"),
    ({"name": "r", "when": {}, "then": {"target": "staff", "priority": "asap"}}, "priority must be"),
    ({"name": "r", "when": {}, "then": {"target": "staff", "colour": 1}}, "unknown action"),
    ({"name": "", "when": {}, "then": {"target": "staff"}}, "needs a name"),
])
def test_malformed_rules_are_refused_with_the_rule_and_key_named(table, message):
    with pytest.raises(ValidationError, match=message):
        RuleBook.from_tables([table])


def test_repeated_rule_names_are_refused():
    rule = {"name": "same", "when": {"topic": "x"}, "then": {"target": "staff"}}
    with pytest.raises(ValidationError, match="unique"):
        RuleBook.from_tables([rule, rule])


def test_every_decision_carries_inputs_value_trace_sla_and_candidates():
    decision = engine().decide(facts(), [profile(1)], NOON)
    text = "\n".join(decision.explanation)
    for part in ("inputs: topic usage", "value ", "fired", "decision: community", "SLA:", "candidates:"):
        assert part in text


def test_topic_routes_come_from_the_topic_table():
    from community.domain.route_defaults import TopicRoute, default_table

    eng = engine()
    eng.topic_routes = default_table({"complaint": TopicRoute(Target.STAFF, "care"),
                                      "usage": TopicRoute(Target.STAFF, "howto")})
    complaint = eng.decide(facts(topic="complaint"), [], NOON)
    assert (complaint.target, complaint.queue, complaint.rule) == (Target.STAFF, "care", "staff-topic")
    assert "decision: staff / care (from the topic table), priority normal" in complaint.explanation
    assert eng.decide(facts(topic="usage"), [], NOON).queue == "howto"
    assert eng.decide(facts(topic="never-heard-of"), [], NOON).target == Target.COMMUNITY
