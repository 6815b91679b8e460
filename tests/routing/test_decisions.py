"""Every routing decision — by the rules, by hand, by a hand-on, by the SLA job — is kept with its explanation."""
from __future__ import annotations

from datetime import timedelta

from community.domain.model import Role, Target
from community.services import work
from community.services.escalation import run_escalation
from community.services.routing import replay
from superfan.routing import sla_policy
from tests.routing.test_ingest_routing import _ingest, _threads


def _decisions(world, tid):
    with world.services.uow() as uow:
        return uow.routing.decisions(tid)


def test_initial_routing_is_recorded_with_its_explanation(world):
    world.user("fan1", expertise={"usage": 3}, languages=("de",))
    _ingest(world.services)
    for thread in _threads(world.services).values():
        [decision] = _decisions(world, thread.id)
        assert (decision.target, decision.queue, decision.rule) == (str(thread.target), thread.queue,
                                                                    thread.decision["rule"])
        assert decision.explanation["explanation"] and decision.explanation == thread.decision


def test_routing_by_hand_and_hand_on_are_recorded(any_world):
    world = any_world
    boss, fan = world.user("maria", Role.MANAGER), world.user("sofia")
    tid = world.thread(target=Target.TRIAGE, queue="triage")
    world.do(work.retarget, tid, boss, "community", "community")
    world.do(work.claim, tid, fan)
    world.do(work.hand_on, tid, fan, "Rechnungsfrage, bitte übernehmen")
    by_hand, handed_on = _decisions(world, tid)
    assert (by_hand.target, by_hand.queue, by_hand.rule) == ("community", "community", "by_hand")
    assert by_hand.explanation["by"] == "maria"
    assert by_hand.explanation["explanation"] == ["routed by hand by maria: triage/triage → community/community"]
    assert (handed_on.target, handed_on.queue, handed_on.rule) == ("staff", "advisor", "handed_on")
    assert "Rechnungsfrage" in handed_on.explanation["explanation"][0]


def test_sla_escalation_is_recorded(world, clock):
    tid = world.thread(minutes=240)
    clock.advance(minutes=181)  # nobody took it and the first-response target is at risk
    svc = world.services
    assert run_escalation(svc.uow, svc.router, sla_policy(svc.settings.sla), clock)["hand_to_staff"] == 1
    [escalated] = _decisions(world, tid)
    assert (escalated.target, escalated.queue, escalated.rule) == ("staff", "advisor", "handed_to_staff")
    assert escalated.explanation["by"] is None
    assert escalated.explanation["explanation"][0].startswith("handed to staff by the SLA job")
    assert escalated.explanation["came_from"] == "community/community"


def test_replay_writes_no_decisions_and_compares_with_the_original_routing(world, clock):
    boss = world.user("maria", Role.MANAGER)
    _ingest(world.services)
    threads = _threads(world.services)
    usage = threads["Pulse Watch Ziffernblatt"]
    world.do(work.retarget, usage.id, boss, "staff", "tech")  # a later decision does not hide the original
    before = {t.id: len(_decisions(world, t.id)) for t in threads.values()}
    clock.advance(hours=1)
    with world.services.uow() as uow:
        report = replay(uow, world.services.router.engine, clock.now() - timedelta(days=1))
        uow.commit()
    assert (report.total, report.changed) == (4, 0)
    assert {t.id: len(_decisions(world, t.id)) for t in threads.values()} == before
