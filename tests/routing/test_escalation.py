"""The SLA job with a fake clock: quiet claimers lose the lease, unclaimed items are re-offered, then handed
to staff; breaches are recorded once with an alert."""
from __future__ import annotations

from community.domain.model import Target, ThreadState
from community.services import work
from community.services.escalation import run_escalation
from superfan.routing import sla_policy


def _run(world):
    svc = world.services
    return run_escalation(svc.uow, svc.router, sla_policy(svc.settings.sla), svc.clock)


def test_unclaimed_item_is_reoffered_then_handed_to_staff_without_restarting_its_clock(world, clock):
    fans = [world.user(f"fan{i}", expertise={"usage": 3}) for i in range(7)]
    tid = world.thread(minutes=240)
    due = world.get(tid).first_response_due
    assert _run(world)["reoffer"] == 1
    with world.services.uow() as uow:
        first = {o.user_id for o in uow.routing.offers(tid)}
    assert len(first) == 3 and first <= {f.id for f in fans}
    clock.advance(minutes=5)
    assert not _run(world)
    clock.advance(minutes=5)
    assert _run(world)["reoffer"] == 1
    with world.services.uow() as uow:
        offers = uow.routing.offers(tid)
    assert len({o.user_id for o in offers}) == 6 and max(o.round for o in offers) == 2
    clock.advance(minutes=170)  # 180 of 240 minutes: at risk
    assert _run(world)["hand_to_staff"] == 1
    thread = world.get(tid)
    assert (thread.state, thread.target, thread.first_response_due) == (ThreadState.ESCALATED, Target.STAFF, due)
    assert "handed_to_staff" in world.events(tid)
    with world.services.uow() as uow:
        assert all(o.status == "withdrawn" for o in uow.routing.offers(tid))


def test_breaches_are_recorded_once_with_an_alert(world, clock):
    tid = world.thread(target=Target.STAFF, queue="billing", topic="payment", priority="high", minutes=60)
    clock.advance(minutes=61)
    assert _run(world)["breach_first_response"] == 1
    assert not _run(world)
    assert world.events(tid)[-1] == "sla_breach"
    with world.services.uow() as uow:
        assert [b["kind"] for b in uow.routing.breaches()] == ["first_response"]
        alerts = uow.routing.alerts("sla_breach")
    assert len(alerts) == 1 and alerts[0]["data"]["thread_id"] == tid


def test_a_quiet_claimer_loses_the_lease_and_the_thread_is_reoffered(world, clock):
    fan, other = world.user("sofia"), world.user("ben")
    tid = world.thread()
    world.do(work.claim, tid, fan)
    clock.advance(minutes=31)
    taken = _run(world)
    assert taken["expire_lease"] == 1 and taken["reoffer"] == 1
    thread = world.get(tid)
    assert thread.state == ThreadState.ROUTED and thread.claimed_by is None
    with world.services.uow() as uow:
        assert [o.user_id for o in uow.routing.offers(tid)] == [other.id]  # the quiet claimer is not asked again
    assert world.do(work.claim, tid, other).claimed_by == other.id
