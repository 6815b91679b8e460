"""Benchmark: leaderboards for 10,000 users over 1,000,000 ledger entries (goal ≤ 200 ms).

Run: .venv/bin/python bench/leaderboard.py [--users 10000] [--entries 1000000] [--postgres URL]
PostgreSQL is measured too when --postgres or SUPERFAN_TEST_POSTGRES_URL is given (a scratch database is
created and dropped). Prints, per engine, the time of each board read from the derived totals, the same board
by aggregating the ledger directly, and the rebuild of the totals from the ledger.

Measured 2026-11-26 on the shared 2-core machine (load ~7), 10,000 users, 1,000,000 entries, median ms:
  derived totals  sqlite: week top 20 25.6, month/topic 25.2, all-time/lang 36.2, all 10,000 places 163.3
                  postgresql: 69.4, 85.7, 57.9, 98.3      → all within the 200 ms goal (ratio 0.13–0.82)
  direct GROUP BY sqlite: all-time 10,934, week 562; postgresql: all-time 760, week 218 → why the totals exist
  rebuild of the totals from the ledger: sqlite 194 s, postgresql 252 s (643,141 rows; a rare admin command)
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402

from community.adapters.sql.db import make_engine, upgrade  # noqa: E402
from community.adapters.sql.repositories import SqlUnitOfWork  # noqa: E402
from community.adapters.sql.tables import PointsEventRow, UserRow  # noqa: E402
from community.services.leaderboards import leaderboard  # noqa: E402

GOAL_MS = 200.0
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
RULES = [("answer", 10), ("accepted_answer", 25), ("fast_response", 5), ("hand_on", 5), ("kb_article", 30),
         ("helpful_vote", 2)]
TOPICS = ["usage", "tips", "comparison", "recommendation", "technical", "praise", "complaint", "other"]
WEIGHTS = {"week": {"accepted_answer": 1.5, "fast_response": 2.0}, "month": {"accepted_answer": 1.5}}


def populate(engine, users: int, entries: int) -> None:
    """Insert users and a year of random ledger entries."""
    rng = random.Random(7)
    with engine.begin() as conn:
        conn.execute(insert(UserRow), [{"name": f"fan{i}", "display_name": f"Fan {i}", "role": "superuser",
                                        "password_hash": "x", "languages": [], "expertise": {}, "capacity": 3,
                                        "active": True, "timezone": "Europe/Berlin", "availability": []}
                                       for i in range(users)])
        ids = list(conn.execute(select(UserRow.id)).scalars())
        chunk = 50_000
        for start in range(0, entries, chunk):
            rows = []
            for _ in range(min(chunk, entries - start)):
                rule, points = rng.choice(RULES)
                rows.append({"user_id": rng.choice(ids), "at": NOW - timedelta(seconds=rng.randrange(365 * 86400)),
                             "rule": rule, "points": points, "reason": "bench", "topic": rng.choice(TOPICS),
                             "language": rng.choice(("de", "en"))})
            conn.execute(insert(PointsEventRow), rows)


def timed(fn, repeat: int = 7) -> float:
    """Return the median wall time of fn() in milliseconds (after one warm-up)."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def direct(session, since: datetime | None, topic: str | None, limit: int):
    """Aggregate the ledger directly (no derived table): the comparison."""
    e = PointsEventRow
    stmt = select(e.user_id, func.sum(e.points).label("p")).where(e.rule != "redemption")
    if since is not None:
        stmt = stmt.where(e.at >= since)
    if topic is not None:
        stmt = stmt.where(e.topic == topic)
    return session.execute(stmt.group_by(e.user_id).order_by(text("p DESC")).limit(limit)).all()


def measure(name: str, url: str, users: int, entries: int) -> list[tuple[str, float]]:
    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    populate(engine, users, entries)
    print(f"[{name}] populated {users} users, {entries} entries in {time.perf_counter() - started:.1f} s")
    factory = sessionmaker(engine, expire_on_commit=False)
    with SqlUnitOfWork(factory) as uow:
        started = time.perf_counter()
        rows = uow.gamification.rebuild_totals(WEIGHTS, horizon=NOW - timedelta(days=62))
        uow.commit()
        print(f"[{name}] rebuilt {rows} leaderboard totals from the ledger in {time.perf_counter() - started:.1f} s")
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
    results = []
    with SqlUnitOfWork(factory) as uow:
        cases = [("week top 20 (with names)", lambda: leaderboard(uow, "week", NOW, limit=20)),
                 ("month top 20, topic usage", lambda: leaderboard(uow, "month", NOW, topic="usage", limit=20)),
                 ("all-time top 20, lang de", lambda: leaderboard(uow, "all", NOW, language="de", limit=20)),
                 ("all-time, all 10,000 places", lambda: uow.gamification.board("all", "all", "all", users))]
        for label, fn in cases:
            results.append((f"{name}: {label}", timed(fn)))
        session = uow.session
        week = NOW - timedelta(days=NOW.weekday())
        results.append((f"{name}: direct GROUP BY, all-time top 20", timed(lambda: direct(session, None, None, 20), 3)))
        results.append((f"{name}: direct GROUP BY, week top 20", timed(lambda: direct(session, week, None, 20), 3)))
    engine.dispose()
    return results


def scratch_postgres(url: str):
    """Create a scratch database; return its URL and a function that drops it."""
    base = make_url(url).set(drivername="postgresql+psycopg")
    name = f"superfan_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--postgres", default=os.environ.get("SUPERFAN_TEST_POSTGRES_URL", ""))
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results += measure("sqlite", f"sqlite:///{tmp}/bench.db", args.users, args.entries)
    if args.postgres:
        url, drop = scratch_postgres(args.postgres)
        try:
            results += measure("postgresql", url, args.users, args.entries)
        finally:
            drop()
    print(f"\nleaderboard latency, median ms (goal ≤ {GOAL_MS:.0f} ms; ratio = time / goal, ≤ 1 meets it)")
    for label, ms in results:
        print(f"  {label:<55} {ms:9.2f} ms   ratio {ms / GOAL_MS:6.3f}")


if __name__ == "__main__":
    main()
