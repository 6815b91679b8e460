"""Benchmark: claim throughput under 50 concurrent claimers on PostgreSQL, with zero double claims (verified).

Each claimer is a thread with its own connection, picking random waiting threads and calling the real work
service (``work.claim``: checks, atomic conditional UPDATE, claim log, offers closed, history entry).
Run: .venv/bin/python bench/claims.py [--url postgresql://…] [--claimers 50] [--threads 2000]
     .venv/bin/python bench/claims.py --sqlite   (the same on an SQLite file, for comparison)
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402

from community.adapters.sql.tables import ClaimRow, ThreadEventRow  # noqa: E402
from community.domain.errors import Conflict  # noqa: E402
from community.domain.model import Role, Target, Thread, ThreadState, User  # noqa: E402
from community.services import work  # noqa: E402
from superfan.bootstrap import build_services  # noqa: E402
from superfan.settings import load_settings  # noqa: E402

DEFAULT_URL = "postgresql://superfan:superfan@127.0.0.1:5432/superfan_test"
ROOT = Path(__file__).resolve().parents[1]


def fresh_postgres(url: str) -> tuple[str, callable]:
    """Create a throw-away database next to ``url``; return its URL and a function that drops it."""
    base = make_url(url).set(drivername="postgresql+psycopg")
    name = f"superfan_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False), drop


def setup(services, claimers: int, threads: int) -> tuple[list[User], list[int]]:
    """Create the claimers (super-users) and the waiting community threads."""
    now = services.clock.now()
    with services.uow() as uow:
        fans = []
        for i in range(claimers):
            fan = User(id=None, name=f"fan{i}", role=Role.SUPERUSER, capacity=10_000)
            uow.users.add(fan, "x")
            fans.append(fan)
        ids = []
        for i in range(threads):
            thread = Thread(id=None, key=f"bench:{i}", title=f"Frage {i}", state=ThreadState.ROUTED,
                            target=Target.COMMUNITY, queue="community", topic="usage", language="de", created_at=now)
            ids.append(uow.threads.add(thread))
        uow.commit()
    return fans, ids


def race(services, fans: list[User], ids: list[int]) -> tuple[int, int, float]:
    """Let every claimer claim random waiting threads until all are taken; return (claims, conflicts, seconds).

    Claimers see the queue as a page would show it: a thread disappears once anybody has claimed it, but many
    claimers still pick the same thread at the same moment.
    """
    waiting, wins, conflicts, lock = list(ids), [0], [0], threading.Lock()
    barrier = threading.Barrier(len(fans))

    def claimer(fan: User, seed: int) -> None:
        rng = random.Random(seed)
        barrier.wait()
        while True:
            with lock:
                if not waiting:
                    return
                tid = rng.choice(waiting[:20])  # the top of the queue page: most claimers go for the same few
            try:
                with services.uow() as uow:
                    work.claim(uow, tid, fan, services.clock)
                    uow.commit()
                won = True
            except Conflict:
                won = False
            with lock:
                wins[0] += won
                conflicts[0] += not won
                if tid in waiting:
                    waiting.remove(tid)

    workers = [threading.Thread(target=claimer, args=(fan, i)) for i, fan in enumerate(fans)]
    t0 = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return wins[0], conflicts[0], time.perf_counter() - t0


def verify(services, ids: list[int]) -> int:
    """Return how many threads were claimed more than once (must be 0)."""
    with services.uow() as uow:
        s = uow.session
        logged = dict(s.execute(select(ClaimRow.thread_id, func.count()).group_by(ClaimRow.thread_id)).all())
        events = dict(s.execute(select(ThreadEventRow.thread_id, func.count())
                                .where(ThreadEventRow.kind == "claimed").group_by(ThreadEventRow.thread_id)).all())
    return sum(1 for tid in ids if logged.get(tid, 0) != 1 or events.get(tid, 0) != 1)


def main() -> None:
    """Run the benchmark and print claims/s with the double-claim check."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default=os.environ.get("SUPERFAN_TEST_POSTGRES_URL", DEFAULT_URL))
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--claimers", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2000)
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    if args.sqlite:
        url, drop = f"sqlite:///{tmp.name}/claims.db", (lambda: None)
    else:
        url, drop = fresh_postgres(args.url)
    try:
        settings = load_settings(ROOT / "settings.toml", environ={"SUPERFAN_DATABASE_URL": url,
                                                                  "SUPERFAN_APP_DATA_DIR": tmp.name})
        services = build_services(settings)
        services.migrate()
        if not args.sqlite:  # one connection per claimer
            services.engine.dispose()
            services.engine = create_engine(make_url(url), pool_size=args.claimers + 5, max_overflow=0)
            services.session_factory = sessionmaker(services.engine, expire_on_commit=False)
        fans, ids = setup(services, args.claimers, args.threads)
        claims, conflicts, seconds = race(services, fans, ids)
        doubles = verify(services, ids)
        services.engine.dispose()
    finally:
        drop()
        tmp.cleanup()
    engine = "SQLite" if args.sqlite else "PostgreSQL"
    print(f"claims on {engine}: {args.claimers} concurrent claimers racing for {args.threads} threads")
    print(f"  {claims} claims, {conflicts} refused as already claimed, in {seconds:.2f} s")
    print(f"  {claims / seconds:,.0f} claims/s, {(claims + conflicts) / seconds:,.0f} claim attempts/s")
    print(f"  double claims: {doubles} (goal 0) — every thread claimed exactly once: {claims == args.threads}")
    if doubles or claims != args.threads:
        sys.exit(1)


if __name__ == "__main__":
    main()
