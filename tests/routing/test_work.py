"""The work on a thread on a real database: leases, transitions with history, one SLA clock, capacity, cap."""
from __future__ import annotations

import pytest

from community.domain.errors import Conflict, Forbidden, InvalidTransition
from community.domain.model import Role, Target, ThreadState
from community.services import work
from community.services.work import WorkRules


def test_claim_answer_and_resolve_leave_a_history(any_world):
    w = any_world
    fan, staff = w.user("sofia"), w.user("stefan", Role.STAFF)
    tid = w.thread()
    thread = w.do(work.claim, tid, fan)
    assert thread.state == ThreadState.CLAIMED and thread.claimed_by == fan.id
    w.do(work.answer, tid, fan, "Lange auf die Krone drücken, dann Ziffernblatt wählen.")
    w.do(work.resolve, tid, staff)
    assert w.get(tid).state == ThreadState.RESOLVED
    assert w.events(tid) == ["routed", "claimed", "answered", "resolved"]
    with pytest.raises(InvalidTransition, match="cannot answer a thread that is resolved"):
        w.do(work.answer, tid, staff, "noch was")


def test_hand_on_keeps_the_history_and_the_customers_clock(world, clock):
    fan, staff = world.user("sofia"), world.user("stefan", Role.STAFF)
    tid = world.thread()
    due = world.get(tid).first_response_due
    world.do(work.claim, tid, fan)
    clock.advance(minutes=20)
    thread = world.do(work.hand_on, tid, fan, "Er hat schon alles zurückgesetzt, vermutlich ein Defekt.")
    assert (thread.state, thread.target, thread.queue, thread.staff_only) == (ThreadState.ESCALATED, Target.STAFF,
                                                                               "advisor", True)
    assert world.get(tid).first_response_due == due
    with world.services.uow() as uow:
        handed = [e for e in uow.threads.events(tid) if e.kind == "handed_on"][0]
    assert "Defekt" in handed.body and handed.data["came_from"] == "community/community"
    with pytest.raises(Forbidden):
        world.do(work.claim, tid, fan)
    world.do(work.claim, tid, staff)
    world.do(work.release, tid, staff)
    assert world.get(tid).state == ThreadState.ESCALATED  # back to staff, not to the community
    world.do(work.answer, tid, staff, "Wir tauschen das Gerät aus.")
    assert world.events(tid)[:3] == ["routed", "claimed", "handed_on"]


def test_a_second_claim_conflicts_until_the_lease_lapses(world, clock):
    a, b = world.user("sofia"), world.user("ben")
    tid = world.thread()
    world.do(work.claim, tid, a, lease_minutes=30)
    with pytest.raises(Conflict):
        world.do(work.claim, tid, b)
    clock.advance(minutes=29)
    world.do(work.renew, tid, a, rules=WorkRules(lease_minutes=30))
    clock.advance(minutes=29)
    with pytest.raises(Conflict):
        world.do(work.claim, tid, b)
    clock.advance(minutes=2)
    with pytest.raises(Conflict, match="claim the thread"):
        world.do(work.answer, tid, a, "zu spät")
    assert world.do(work.claim, tid, b).claimed_by == b.id


def test_release_returns_the_thread_to_the_pool(world):
    fan = world.user("sofia")
    tid = world.thread()
    world.do(work.claim, tid, fan)
    assert world.do(work.release, tid, fan).state == ThreadState.ROUTED
    with pytest.raises(InvalidTransition, match="cannot release a thread that is routed"):
        world.do(work.release, tid, fan)


def test_super_users_cannot_touch_staff_threads(world):
    fan = world.user("sofia")
    tid = world.thread(target=Target.STAFF, queue="billing", topic="payment")
    for action, args in [(work.claim, ()), (work.answer, ("x",)), (work.hand_on, ("x",))]:
        with pytest.raises(Forbidden):
            world.do(action, tid, fan, *args)


def test_capacity_and_the_hourly_fairness_cap(world, clock):
    fan = world.user("sofia", capacity=2)
    ids = [world.thread(f"Frage {i}") for i in range(4)]
    world.do(work.claim, ids[0], fan)
    world.do(work.claim, ids[1], fan)
    with pytest.raises(Conflict, match="capacity is 2"):
        world.do(work.claim, ids[2], fan)
    world.do(work.release, ids[0], fan)
    with pytest.raises(Conflict, match="fairness cap"):
        world.do(work.claim, ids[2], fan, rules=WorkRules(hourly_cap=2))
    clock.advance(minutes=61)
    world.do(work.release, ids[1], fan)
    assert world.do(work.claim, ids[2], fan, rules=WorkRules(hourly_cap=2)).claimed_by == fan.id


def test_only_managers_dismiss_and_reopen(world):
    fan, boss = world.user("sofia"), world.user("maria", Role.MANAGER)
    tid = world.thread()
    with pytest.raises(Forbidden):
        world.do(work.dismiss, tid, fan, "spam")
    world.do(work.dismiss, tid, boss, "spam")
    with pytest.raises(InvalidTransition, match="cannot dismiss a thread that is dismissed"):
        world.do(work.dismiss, tid, boss, "again")
    assert world.do(work.reopen, tid, boss).state == ThreadState.ROUTED


def test_triage_threads_are_routed_by_hand(world):
    boss, fan = world.user("maria", Role.MANAGER), world.user("sofia")
    tid = world.thread(target=Target.TRIAGE, queue="triage")
    with pytest.raises(Forbidden):
        world.do(work.claim, tid, fan)
    thread = world.do(work.retarget, tid, boss, "community", "community")
    assert thread.target == Target.COMMUNITY and not thread.staff_only
    assert world.do(work.claim, tid, fan).claimed_by == fan.id


def test_accepted_by_the_asker_resolves(world):
    fan = world.user("sofia")
    tid = world.thread()
    world.do(work.claim, tid, fan)
    world.do(work.answer, tid, fan, "So geht's.")
    assert world.do(work.accept, tid, None).state == ThreadState.RESOLVED
    with world.services.uow() as uow:
        assert uow.routing.latest_answer(tid).accepted
