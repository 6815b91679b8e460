"""SLA clocks and the escalation steps, with time injected."""
from __future__ import annotations

from datetime import timedelta

import pytest

from community.domain.model import Target, ThreadState
from community.domain.routing.sla import Phase, SlaClock, SlaPolicy, SlaTarget, SlaView, Step, escalation_steps, phase
from tests.routing.fakes import NOON, POLICY


def _view(state=ThreadState.ROUTED, target=Target.COMMUNITY, minutes=240, **kw) -> SlaView:
    return SlaView(state, target, SlaClock.start(NOON, SlaTarget(minutes, 1440)), **kw)


@pytest.mark.parametrize("priority, minutes", [("critical", 15), ("high", 60), ("normal", 240), ("low", 1440)])
def test_default_targets_per_priority(priority, minutes):
    assert POLICY.target_for("community", "community", priority)[0].first_response_minutes == minutes


def test_overrides_pick_the_most_specific_key():
    policy = SlaPolicy(POLICY.by_priority, {"staff": SlaTarget(100, 1000), "staff/retention": SlaTarget(30, 300),
                                            "staff/retention/high": SlaTarget(10, 100)})
    assert policy.target_for("staff", "retention", "high") == (SlaTarget(10, 100), "staff/retention/high")
    assert policy.target_for("staff", "retention", "low")[1] == "staff/retention"
    assert policy.target_for("staff", "billing", "low")[1] == "staff"
    assert policy.target_for("community", "community", "low")[1] == "low"


def test_phase_moves_from_ok_to_at_risk_to_breached():
    due = NOON + timedelta(minutes=100)
    assert phase(NOON, due, NOON + timedelta(minutes=74), None, 0.75) == Phase.OK
    assert phase(NOON, due, NOON + timedelta(minutes=75), None, 0.75) == Phase.AT_RISK
    assert phase(NOON, due, NOON + timedelta(minutes=101), None, 0.75) == Phase.BREACHED
    assert phase(NOON, due, NOON + timedelta(minutes=500), NOON + timedelta(minutes=99), 0.75) == Phase.MET


def test_unclaimed_community_item_is_reoffered_then_handed_to_staff_then_breached():
    view = _view()
    assert escalation_steps(view, NOON, POLICY) == [Step.REOFFER]
    offered = _view(last_offer_at=NOON)
    assert escalation_steps(offered, NOON + timedelta(minutes=5), POLICY) == []
    assert escalation_steps(offered, NOON + timedelta(minutes=10), POLICY) == [Step.REOFFER]
    assert escalation_steps(offered, NOON + timedelta(minutes=180), POLICY) == [Step.HAND_TO_STAFF]
    late = escalation_steps(offered, NOON + timedelta(minutes=241), POLICY)
    assert late == [Step.HAND_TO_STAFF, Step.BREACH_FIRST_RESPONSE]


def test_a_breach_is_recorded_once():
    view = _view(target=Target.STAFF, breaches=frozenset({"first_response"}))
    assert escalation_steps(view, NOON + timedelta(minutes=300), POLICY) == []


def test_staff_items_are_never_reoffered_but_can_breach():
    view = _view(target=Target.STAFF, state=ThreadState.ESCALATED)
    assert escalation_steps(view, NOON + timedelta(minutes=241), POLICY) == [Step.BREACH_FIRST_RESPONSE]


def test_an_expired_lease_returns_the_thread_and_it_is_reoffered():
    view = _view(state=ThreadState.CLAIMED, claim_expires=NOON + timedelta(minutes=30), last_offer_at=NOON)
    assert escalation_steps(view, NOON + timedelta(minutes=29), POLICY) == []
    assert escalation_steps(view, NOON + timedelta(minutes=30), POLICY) == [Step.EXPIRE_LEASE, Step.REOFFER]


def test_answered_items_stop_the_first_response_clock_but_not_resolution():
    view = _view(state=ThreadState.ANSWERED, first_response_at=NOON + timedelta(minutes=10))
    assert escalation_steps(view, NOON + timedelta(minutes=1441), POLICY) == [Step.BREACH_RESOLUTION]


def test_the_clock_starts_at_the_first_post_and_a_rule_sla_replaces_the_target():
    clock = SlaClock.start(NOON, SlaTarget(240, 1440), first_response_minutes=30)
    assert clock.first_response_due == NOON + timedelta(minutes=30)
    assert clock.resolution_due == NOON + timedelta(minutes=1440)
