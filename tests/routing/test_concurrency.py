"""Two (or fifty) super-users clicking "claim" at the same moment produce exactly one claim."""
from __future__ import annotations

import threading

from community.domain.errors import Conflict
from community.domain.model import ThreadState
from community.services import work

WORKERS = 12


def _race(world, plan) -> dict[int, list[int]]:
    """Run one worker per (fan, thread ids) at once, each with its own connection; return the winners per thread."""
    barrier = threading.Barrier(len(plan))
    wins: dict[int, list[int]] = {tid: [] for _, tids in plan for tid in tids}
    errors: list[BaseException] = []
    lock = threading.Lock()

    def claimer(fan, thread_ids):
        barrier.wait()
        for tid in thread_ids:
            try:
                world.do(work.claim, tid, fan)
            except Conflict:
                continue
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                continue
            with lock:
                wins[tid].append(fan.id)

    workers = [threading.Thread(target=claimer, args=step) for step in plan]
    for t in workers:
        t.start()
    for t in workers:
        t.join(timeout=120)
    assert not errors, errors[:3]
    return wins


def test_parallel_claimers_produce_exactly_one_claim(any_world):
    fans = [any_world.user(f"fan{i}", capacity=50) for i in range(WORKERS)]
    thread_ids = [any_world.thread(f"Frage {i}") for i in range(5)]
    wins = _race(any_world, [(fan, thread_ids) for fan in fans])
    for tid, winners in wins.items():
        assert len(winners) == 1, f"thread {tid} claimed by {winners}"
        thread = any_world.get(tid)
        assert thread.state == ThreadState.CLAIMED and thread.claimed_by == winners[0]
        assert any_world.events(tid).count("claimed") == 1


def test_an_expired_lease_can_be_won_by_exactly_one_other(any_world, clock):
    fans = [any_world.user(f"fan{i}", capacity=50) for i in range(WORKERS)]
    tid = any_world.thread()
    any_world.do(work.claim, tid, fans[0])
    clock.advance(minutes=31)
    wins = _race(any_world, [(fan, [tid]) for fan in fans[1:]])
    assert len(wins[tid]) == 1 and any_world.get(tid).claimed_by == wins[tid][0]


def test_one_user_racing_for_many_threads_never_exceeds_capacity(any_world):
    fan = any_world.user("sofia", capacity=1)
    thread_ids = [any_world.thread(f"Frage {i}") for i in range(10)]
    wins = _race(any_world, [(fan, [tid]) for tid in thread_ids])  # one user clicking ten threads at once
    won = [tid for tid, winners in wins.items() if winners]
    assert len(won) == 1, f"capacity 1 but claimed {won}"
    assert [tid for tid in thread_ids if any_world.get(tid).claimed_by == fan.id] == won
