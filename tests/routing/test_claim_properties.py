"""Invariants of claims over generated sequences of actions on a real SQLite database (hypothesis):
a thread has at most one active claim, and nobody holds more live claims than their capacity."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from community.adapters.sql.tables import ClaimRow
from community.domain.errors import SuperfanError
from community.domain.model import Role
from community.services import work
from superfan.bootstrap import build_services
from superfan.settings import load_settings
from tests.conftest import FakeClock
from tests.routing.conftest import World
from tests.shared_path import REPO

ACTIONS = ["claim", "claim", "claim", "release", "renew", "answer", "hand_on", "wait"]


@pytest.fixture(scope="module")
def shared_world(tmp_path_factory):
    path = tmp_path_factory.mktemp("claims")
    settings = load_settings(REPO / "settings.toml", environ={"SUPERFAN_APP_DATA_DIR": str(path),
                                                              "SUPERFAN_DATABASE_URL": f"sqlite:///{path / 'p.db'}"})
    services = build_services(settings, clock=FakeClock(datetime(2026, 11, 26, 9, tzinfo=UTC)))
    services.migrate()
    world = World(services)
    for i, capacity in enumerate([1, 2, 3]):
        world.user(f"fan{i}", capacity=capacity)
    world.user("stefan", Role.STAFF)
    yield world
    services.engine.dispose()


def _run(world, action, user, tid):
    args = {"answer": ("Antwort",), "hand_on": ("Notiz",)}.get(action, ())
    fn = {"claim": work.claim, "release": work.release, "renew": work.renew, "answer": work.answer,
          "hand_on": work.hand_on}[action]
    try:
        world.do(fn, tid, user, *args)
    except SuperfanError:
        pass  # refused moves are fine; the invariants must hold either way


def _check(world, thread_ids):
    now = world.services.clock.now()
    with world.services.uow() as uow:
        live = [(r.thread_id, r.user_id) for r in uow.session.scalars(
            select(ClaimRow).where(ClaimRow.thread_id.in_(thread_ids), ClaimRow.ended_at.is_(None),
                                   ClaimRow.expires_at > now))]
        threads = {tid: uow.threads.get(tid) for tid in thread_ids}
        everyone = {u.id: u for u in uow.users.list()}
        held: dict[int, int] = {}
        for t in uow.threads.list(states=["claimed"], limit=10_000):
            if t.claim_expires and t.claim_expires > now:
                held[t.claimed_by] = held.get(t.claimed_by, 0) + 1
    for tid in thread_ids:
        holders = [u for t, u in live if t == tid]
        assert len(holders) <= 1, f"thread {tid} has active claims by {holders}"
        thread = threads[tid]
        if thread.state == "claimed" and thread.claim_expires > now:
            assert holders == [thread.claimed_by]
    for user_id, n in held.items():
        assert n <= everyone[user_id].capacity, f"user {user_id} holds {n} claims"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 3), st.integers(0, 3),
                                st.integers(1, 40)), min_size=1, max_size=14))
def test_at_most_one_active_claim_per_thread_and_nobody_over_capacity(shared_world, steps):
    world = shared_world
    people = [world.users[n] for n in ("fan0", "fan1", "fan2", "stefan")]
    thread_ids = [world.thread(f"Frage {i}") for i in range(4)]
    for action, who, which, minutes in steps:
        if action == "wait":
            world.services.clock.advance(minutes=minutes)
        else:
            _run(world, action, people[who], thread_ids[which])
        _check(world, thread_ids)
    world.services.clock.advance(hours=2)  # let every lease of this example lapse before the next one
