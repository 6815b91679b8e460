"""Benchmark: routing decisions per second for 10,000 items over 200 super-users (goal ≥ 5,000/s, one core).

Each decision is the full engine: value estimate and rolling staff-share split, every rule of the default rule
book with its trace, priority and SLA, and (for community items) ranking all 200 super-users with reasons.
Run: .venv/bin/python bench/routing.py [--items N] [--users N]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from community.domain.model import Target  # noqa: E402
from community.domain.routing.availability import Availability  # noqa: E402
from community.domain.routing.facts import AuthorFacts, RoutingFacts  # noqa: E402
from community.domain.routing.matching import SuperUserProfile, TrackRecord  # noqa: E402
from community.domain.routing.pool import CandidatePool  # noqa: E402
from superfan.routing import build_engine  # noqa: E402
from superfan.settings import load_settings  # noqa: E402

GOAL = 5_000
TOPICS = ["payment", "shipping", "returns", "account", "cancellation", "technical", "defect", "usage", "usage",
          "comparison", "recommendation", "praise", "other", "usage", "comparison"]
TEXTS = ["Wie stelle ich das Ziffernblatt ein?", "Lohnt sich der Kauf der Aero Buds?", "Mir wurde doppelt abgebucht",
         "How do I pair the buds with my phone?", "Which one should I buy as a gift?", "Tolles Produkt, danke!"]
WINDOWS = [[], ["mon-fri 08:00-18:00"], ["mon-fri 18:00-23:00", "sat,sun 10:00-22:00"], ["daily 20:00-02:00"]]
ZONES = ["Europe/Berlin", "Europe/London", "America/New_York", "Asia/Tokyo"]


def users(n: int, rng: random.Random) -> list[SuperUserProfile]:
    """Return n varied super-user profiles."""
    return [SuperUserProfile(
        i, f"fan{i}", frozenset(rng.sample(["de", "en", "fr"], rng.randint(1, 2))),
        {t: rng.randint(0, 5) for t in rng.sample(TOPICS, 4)},
        Availability.parse(rng.choice(ZONES), rng.choice(WINDOWS)), rng.randint(1, 6), rng.random() > 0.1,
        TrackRecord(rng.randint(0, 300), rng.random(), rng.uniform(5, 600)), rng.randint(0, 2), 0, rng.randint(0, 3),
        None) for i in range(n)]


def items(n: int, rng: random.Random) -> list[RoutingFacts]:
    """Return n varied items."""
    return [RoutingFacts(
        text=f"{rng.choice(TEXTS)} #{i}", topic=rng.choice(TOPICS), topic_confidence=rng.uniform(0.2, 1.0),
        urgency_level=rng.choices(["low", "normal", "high", "critical"], [2, 6, 2, 0.3])[0],
        urgency_score=rng.randint(0, 9), sentiment_label=rng.choice(["negative", "neutral", "positive"]),
        sentiment_score=rng.uniform(-1, 1), language=rng.choice(["de", "en", "de", "fr", "other"]),
        source=rng.choice(["reddit", "forum", "rss"]), author=AuthorFacts(reach=int(rng.paretovariate(1.2) * 50)),
        engagement=rng.randint(0, 80)) for i in range(n)]


def main() -> None:
    """Run the benchmark and print decisions/s against the goal."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(42)
    settings = load_settings(Path(__file__).resolve().parents[1] / "settings.toml", environ={})
    engine = build_engine(settings.routing, settings.sla)
    pool, batch = CandidatePool(users(args.users, rng)), items(args.items, rng)
    start_at = datetime(2026, 11, 26, 17, 30, tzinfo=UTC)
    targets: dict[str, int] = {}
    offered = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for i, facts in enumerate(batch):
        decision = engine.decide(facts, pool, start_at + timedelta(milliseconds=i))  # a 10-second burst
        targets[str(decision.target)] = targets.get(str(decision.target), 0) + 1
        offered += sum(1 for c in decision.candidates if c["chosen"])
        assert decision.explanation and (decision.target == Target.COMMUNITY or not decision.candidates)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    rate, wall_rate = args.items / cpu, args.items / elapsed
    print(f"routing: {args.items} items over {args.users} super-users in {cpu:.2f} s CPU ({elapsed:.2f} s wall)")
    print(f"  {rate:,.0f} decisions/s per core (goal {GOAL:,}/s: {rate / GOAL:.2f}x) — {1e6 / rate:.0f} µs per decision;"
          f" wall clock {wall_rate:,.0f}/s on this (shared) machine")
    print("  targets: " + ", ".join(f"{k} {v} ({v / args.items:.0%})" for k, v in sorted(targets.items())))
    print(f"  offers made: {offered} (top {engine.top_n} per community item)")


if __name__ == "__main__":
    main()
