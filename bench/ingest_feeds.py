"""Benchmark: feed ingestion, entries/s through parse → match → dedupe → store (goal ≥ 2,000/s, SQLite, one core).

A generated corpus of 10,000 RSS entries (20 feeds × 500; German and English brand mentions of varied topics,
~30 % not about the brand, ~5 % cross-posted with another greeting) goes through the real path: feedparser +
sanitising (crawlers.feeds), the listening query (crawlers.query), then the ingest service's store stage
(idempotent store, exact and near-duplicate threads) on a fresh SQLite database. The second stage — reading
every stored post (classification) and routing the new threads (community.services.analysis) — runs after it
and is reported on its own line and in an end-to-end figure; it is not part of the goal's pipeline.
Each stage is timed in wall-clock seconds and in CPU seconds of this process (time.process_time); on a shared
machine the CPU figure is the one-core rate, the wall figure includes waiting for the other processes.
``--fans N`` adds N super-users first, so community threads are also offered (the router's per-thread path);
``--model`` reads with the trained model in a models directory instead of the keyword rules.
Run: .venv/bin/python bench/ingest_feeds.py [--entries N] [--batch N] [--fans N] [--models DIR]
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from html import escape
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from community.domain.dedupe_batch import sketch_batch  # noqa: E402
from community.domain.model import Role, User  # noqa: E402
from community.services.analysis import analyse_pending  # noqa: E402
from community.services.ingest import store  # noqa: E402
from crawlers.feeds import parse  # noqa: E402
from crawlers.http import HttpResponse  # noqa: E402
from crawlers.query import compile_matcher  # noqa: E402
from crawlers.query import parse as parse_query  # noqa: E402
from superfan.bootstrap import build_services  # noqa: E402
from superfan.settings import SourceSettings, load_settings  # noqa: E402

GOAL = 2_000
FEEDS = 20
QUERY = 'Kolibri OR "Pulse Watch" OR "Aero Buds" OR "Home Hub" NOT Vogel'
PRODUCTS = ["Kolibri Pulse Watch", "Aero Buds", "Aero Buds Pro", "Kolibri Home Hub", "Kolibri App", "Kolibri Plus"]
OPENERS = ["Hallo zusammen,", "Hi all,", "Moin,", "", "Kurze Frage:", "Quick question:"]
ISSUES = [
    "mir wurde die Bestellung doppelt abgebucht und der Support antwortet nicht",
    "the battery drains within a day since the last firmware update",
    "wie stelle ich das Ziffernblatt auf 24 Stunden um",
    "is it worth upgrading from the old model, or should I wait for the next one",
    "die Lieferung ist seit zwei Wochen unterwegs und die Sendungsverfolgung zeigt nichts",
    "I want to cancel my subscription but the button in the app does nothing",
    "welches Modell würdet ihr als Geschenk für einen Läufer empfehlen",
    "pairing with my phone fails with error E42 every single time",
    "das Display hat nach drei Tagen einen Riss bekommen, ohne dass es runtergefallen ist",
    "great product, the sound quality surprised me for the price",
]
OTHER = ["Der Kolibri ist ein kleiner Vogel, der im Flug stehen kann", "Mein Fahrrad quietscht seit gestern",
         "Best hiking trails near Munich in autumn?", "Suche Tipps für Sauerteigbrot mit Dinkel"]
COMMON = ("ich habe schon alles probiert neu gestartet zurückgesetzt und die App aktualisiert aber nichts "
          "hilft really annoying because I use it every day for running and sleep tracking").split()
_SYLLABLES = ["ka", "lo", "mi", "ter", "sch", "en", "ung", "ver", "bar", "li", "no", "ra", "ste", "gu", "wa", "do"]
# Real posts share few 3-word runs: draw most words from a large vocabulary, some from common phrases.
VOCAB = sorted({"".join(random.Random(n).choices(_SYLLABLES, k=3)) for n in range(4000)}) + COMMON * 20


def entry(rng: random.Random, i: int, pool: list[str]) -> tuple[str, str]:
    """Return (title, html body) of one realistic entry; some repeat an earlier question with another greeting."""
    if pool and rng.random() < 0.05:
        body = f"{rng.choice(OPENERS)} {rng.choice(pool)} Danke! Gruß"
        return f"Re: {body[:40]}", f"<p>{escape(body)}</p>"
    if rng.random() < 0.3:
        text = f"{rng.choice(OTHER)}. " + " ".join(rng.choices(VOCAB, k=rng.randint(10, 40)))
        return text[:50], f"<p>{escape(text)}</p>"
    product = rng.choice(PRODUCTS)
    text = (f"{rng.choice(OPENERS)} meine {product}: {rng.choice(ISSUES)} (Fall {i}). "
            + " ".join(rng.choices(VOCAB, k=rng.randint(15, 60))))
    pool.append(text)
    return f"{product}: {rng.choice(ISSUES)[:40]}", f"<p>{escape(text)}</p><p>Gesendet von <b>meinem Handy</b></p>"


def corpus(entries: int, seed: int = 7) -> list[bytes]:
    """Return FEEDS RSS documents holding ``entries`` entries in all."""
    rng, pool, feeds = random.Random(seed), [], []
    per_feed = entries // FEEDS
    for f in range(FEEDS):
        items = []
        for n in range(per_feed):
            title, body = entry(rng, f * per_feed + n, pool)
            items.append(f"<item><title>{escape(title)}</title><link>https://forum{f}.example/t/{n}?utm_source=rss"
                         f"</link><guid>f{f}-{n}</guid><pubDate>Wed, 25 Nov 2026 {n % 24:02d}:{n % 60:02d}:00 +0000"
                         f"</pubDate><description><![CDATA[{body}]]></description></item>")
        feeds.append(f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Forum {f}</title>'
                     f'<language>de</language>{"".join(items)}</channel></rss>'.encode())
    return feeds


def _stage_line(name: str, entries: int, wall: float, cpu_s: float) -> str:
    return (f"  {name:<8} wall {wall:6.2f} s ({entries / wall if wall else float('inf'):7,.0f} entries/s)   "
            f"CPU {cpu_s:6.2f} s ({entries / cpu_s if cpu_s else float('inf'):7,.0f} entries per CPU-second)")


def main() -> None:
    """Run the benchmark and print entries/s per stage and overall against the goal."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--fans", type=int, default=0, help="super-users to offer community threads to")
    parser.add_argument("--models", help="read with the trained model in this directory (default: keyword rules)")
    args = parser.parse_args()
    feeds = corpus(args.entries)
    with tempfile.TemporaryDirectory() as tmp:
        environ = {"SUPERFAN_APP_DATA_DIR": tmp, "SUPERFAN_DATABASE_URL": f"sqlite:///{tmp}/b.db"}
        if args.models:
            environ["SUPERFAN_NLP_MODELS_DIR"] = str(Path(args.models).resolve())
        settings = load_settings(Path(__file__).resolve().parents[1] / "settings.toml", environ=environ)
        services = build_services(settings)
        services.migrate()
        with services.uow() as uow:
            for n in range(args.fans):
                uow.users.add(User(id=None, name=f"fan{n}", role=Role.SUPERUSER, languages=("de", "en"),
                                   expertise={"usage": 1 + n % 3, "connectivity": 1 + n % 2}, capacity=3), "x")
            uow.commit()
        classifier = services.classifier  # loaded before the clock starts
        matcher = compile_matcher(parse_query(QUERY))
        sources = [SourceSettings(name=f"forum{f}", kind="rss", url=f"https://forum{f}.example/feed") for f in range(FEEDS)]
        timings = {stage: [0.0, 0.0] for stage in ("parse", "match", "store")}  # wall, CPU seconds
        total = stored = matched = 0
        start, cpu_start = time.perf_counter(), time.process_time()
        for source, body in zip(sources, feeds, strict=True):
            marks = [(time.perf_counter(), time.process_time())]
            _, posts, _ = parse(source, HttpResponse(source.url, 200, {"Content-Type": "application/rss+xml"}, body))
            marks.append((time.perf_counter(), time.process_time()))
            keep = [p for p in posts if matcher(p) is not None]
            marks.append((time.perf_counter(), time.process_time()))
            report = store(services.uow, keep, clock=services.clock, batch_size=args.batch)
            marks.append((time.perf_counter(), time.process_time()))
            for stage, before, after in zip(timings, marks[:-1], marks[1:], strict=True):
                timings[stage][0] += after[0] - before[0]
                timings[stage][1] += after[1] - before[1]
            total, matched, stored = total + len(posts), matched + len(keep), stored + report.new
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        read_start, read_cpu = time.perf_counter(), time.process_time()
        analysed = analyse_pending(services.uow, classifier=classifier, router=services.router, clock=services.clock,
                                   batch_size=args.batch)
        read_wall, read_cpu = time.perf_counter() - read_start, time.process_time() - read_cpu
        with services.uow() as uow:
            threads = len(uow.threads.list(limit=100_000))
            offers = uow.session.execute(text("SELECT count(*) FROM offers")).scalar_one()
        sample = parse(sources[0], HttpResponse("x", 200, {}, feeds[0]))[1]
        t0 = time.perf_counter()
        for start in range(0, len(sample), args.batch):  # as the store stage sketches: a batch at once
            sketch_batch([f"{post.title}\n{post.text}" for post in sample[start:start + args.batch]])
        per_entry_sketch = (time.perf_counter() - t0) / len(sample)
        services.engine.dispose()
    rate = total / elapsed
    print(f"entries: {total}, matched the query: {matched}, stored: {stored}, threads: {threads} "
          f"(cross-posts folded into existing threads: {stored - threads}), fans: {args.fans}, offers: {offers}, "
          f"reader: {type(classifier).__name__}")
    for stage, (wall, cpu_s) in timings.items():
        print(_stage_line(stage, total, wall, cpu_s))
    print(f"  (of store: near-duplicate sketch ~{per_entry_sketch * 1e6:,.0f} µs/entry; the rest: exists/hash/near "
          "lookups, thread + post + sketch rows)")
    print(f"parse → match → dedupe → store, wall: {elapsed:.2f} s → {rate:,.0f} entries/s; goal {GOAL:,}/s → "
          f"ratio {rate / GOAL:.2f}")
    print(f"  CPU: {cpu:.2f} s → {total / cpu:,.0f} entries per CPU-second (the one-core figure on a shared "
          f"machine); ratio {total / cpu / GOAL:.2f}")
    print(f"second stage, read + route {analysed.analysed} stored posts ({analysed.routed} threads routed):")
    print(_stage_line("read", analysed.analysed, read_wall, read_cpu).replace("entries", "posts"))
    print(f"end to end (both stages), wall: {elapsed + read_wall:.2f} s → {total / (elapsed + read_wall):,.0f} "
          f"entries/s; CPU {cpu + read_cpu:.2f} s → {total / (cpu + read_cpu):,.0f} entries per CPU-second")


if __name__ == "__main__":
    main()
