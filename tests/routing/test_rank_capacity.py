"""Rank privileges raise a super-user's claim capacity, for claims and for offers alike."""
from __future__ import annotations

from datetime import timedelta

import pytest

from community.domain.errors import Conflict
from community.domain.gamification.ledger import LedgerEntry
from community.domain.gamification.programme import Programme
from community.domain.gamification.ranks import Rank
from community.services import leaderboards, work
from community.services.routing import Router
from community.services.work import WorkRules

RULES = WorkRules(programme=Programme(ranks=(Rank("Newcomer", 0, claim_capacity=1),
                                             Rank("Expert", 100, claim_capacity=3))))


def _earn(world, user, points: int, *, days_ago: int = 0, rule: str = "answer") -> None:
    with world.services.uow() as uow:
        at = world.services.clock.now() - timedelta(days=days_ago)
        uow.gamification.append([LedgerEntry(user.id, at, rule, points)], {})
        uow.commit()


def _claims(world, user, thread_ids) -> int:
    """Claim the threads one after another until capacity stops the user; return how many were claimed."""
    for held, tid in enumerate(thread_ids):
        try:
            world.do(work.claim, tid, user, rules=RULES)
        except Conflict as exc:
            assert "capacity" in str(exc)
            return held
    return len(thread_ids)


def test_a_rank_that_grants_more_capacity_lets_its_holder_claim_more(any_world):
    expert, novice = any_world.user("erik", capacity=2), any_world.user("nina", capacity=2)
    _earn(any_world, expert, 150)
    threads = [any_world.thread(f"Frage {i}") for i in range(8)]
    assert _claims(any_world, expert, threads[:4]) == 3  # Expert rank: 3 open claims
    assert _claims(any_world, novice, threads[4:]) == 2  # Newcomer grants 1: the profile's 2 stand
    with pytest.raises(Conflict, match="capacity is 3"):
        any_world.do(work.claim, threads[7], expert, rules=RULES)


def test_offers_follow_the_same_effective_capacity(world, clock):
    expert, novice = world.user("erik", capacity=2), world.user("nina", capacity=2)
    _earn(world, expert, 150)
    for user in (expert, novice):
        for i in range(2):
            world.do(work.claim, world.thread(f"{user.name} {i}"), user, rules=RULES)
    tid = world.thread("Noch eine Frage")
    router = Router(world.services.router.engine, clock, work_rules=RULES)
    with world.services.uow() as uow:
        assert {p.name: p.capacity for p in router.pool(uow).profiles} == {"erik": 3, "nina": 2}
        assert router.reoffer(uow, uow.threads.get(tid), round=1) == [expert.id]  # nina is at capacity (2/2)


def test_the_privilege_fades_with_the_rank(world, clock):
    expert = world.user("erik", capacity=2)
    _earn(world, expert, 150)
    with world.services.uow() as uow:
        assert work.capacity_of(uow, expert.id, 2, clock.now(), RULES) == 3
        assert work.capacity_of(uow, expert.id, 2, clock.now() + timedelta(days=400), RULES) == 2
        assert work.capacity_of(uow, expert.id, 2, clock.now(), WorkRules()) == 2  # no programme: profile only


def test_ranks_read_for_many_users_at_once_match_the_programmes_current_rank(world, clock):
    ladder = WorkRules(programme=Programme(ranks=(Rank("Newcomer", 0, claim_capacity=1),
                                                  Rank("Helper", 50, claim_capacity=2),
                                                  Rank("Expert", 100, claim_capacity=3))))
    fans = [world.user(f"fan{i}", capacity=1) for i in range(4)]
    _earn(world, fans[0], 120, days_ago=100)  # faded since
    _earn(world, fans[1], 80, days_ago=3)
    _earn(world, fans[1], 40, days_ago=1)
    _earn(world, fans[1], -40)  # a reversal
    _earn(world, fans[2], 150)
    _earn(world, fans[2], -120, rule="redemption")  # spending points does not lower a rank
    seen = []
    for later in (0, 45, 200):
        now = clock.now() + timedelta(days=later)
        with world.services.uow() as uow:
            one_by_one = {f.id: max(1, leaderboards.current_rank(uow, ladder.programme, f.id, now).claim_capacity)
                          for f in fans}
            assert work.capacities(uow, {f.id: 1 for f in fans}, now, ladder) == one_by_one
        seen.append([one_by_one[f.id] for f in fans])
    assert seen[0] == [2, 2, 3, 1] and seen[-1] == [1, 1, 1, 1]  # ranks differ, then fade
