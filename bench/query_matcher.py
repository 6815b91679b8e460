"""Benchmark: posts per second through the listening-query matcher against 100 active queries (goal ≥ 20,000/s).

Posts are real texts from ../shared/data (banking77 in English, GermEval 2017 in German), with titles,
URLs and authors added; the 100 queries are generated from templates in the style of brand-monitoring
queries (boolean groups, exclusions, wildcards, phrases, proximity, field filters).
Run: .venv/bin/python bench/query_matcher.py [--posts N]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawlers.query import parse  # noqa: E402
from crawlers.query.bank import QueryBank  # noqa: E402
from crawlers.query.document import prepare  # noqa: E402

GOAL = 20_000
DATA = ROOT / ".." / "shared" / "data"
EN = ["card", "transfer", "refund", "account", "payment", "fee", "exchange", "rate", "top", "pin", "atm", "cash",
      "declined", "pending", "verify", "identity", "app", "phone", "stolen", "lost", "charge", "balance", "currency",
      "withdraw", "virtual", "salary", "password", "blocked", "wrong", "twice", "money", "received", "limit"]
DE = ["Bahn", "Zug", "Verspätung", "Ausfall", "Streik", "Ticket", "Fahrkarte", "Bahnhof", "Pendler", "Kunden",
      "Service", "WLAN", "Klimaanlage", "ICE", "Preis", "Kündigung", "Sparpreis", "BahnCard", "Baustelle",
      "Schaffner", "Anschluss", "Sitzplatz", "Reservierung", "Störung", "Strecke", "Gleis", "teuer", "pünktlich"]
PHRASES = ['"top up"', '"exchange rate"', '"card payment"', '"Deutsche Bahn"', '"zu spät"', '"kein WLAN"',
           '"apple pay"', '"direct debit"', '"S-Bahn"', '"lost card"']
STEMS = ["kündig*", "verspät*", "refund*", "transfer*", "bahnh*", "zugausf*", "streik*", "charg*", "verif*", "fahrk*"]
SITES = ["twitter.com", "reddit.com", "bahn.de", "community.example.com", "forum.example.de", "news.example.org"]
TEMPLATES = [
    "{a} AND ({b} OR {c} OR {p}) NOT {d}",
    "{s} AND ({a} OR {b})",
    '"{a} {b}"~3',
    "{a} NEAR/3 {b}",
    "({a} OR {b} OR {s}) lang:{lang}",
    "site:{site} AND ({a} OR {p})",
    "title:{a} OR {b} {c}",
    "{a} ONEAR/5 ({b} OR {c})",
    "-{d} {a} {s}",
    "{p} AND NOT ({c} OR {d})",
    "({a} OR {b}) AND ({c} OR {d}) <<< two groups >>>",
    "{p} NEAR/4 {s}",
]


def load_posts(limit: int, rng: random.Random) -> list[dict]:
    """Return up to ``limit`` posts built from the shared labelled texts."""
    texts = []
    for name, lang in (("banking77/train.jsonl", "en"), ("germeval2017/dev.jsonl", "de")):
        with open(DATA / name, encoding="utf-8") as handle:
            texts.extend((json.loads(line), lang) for line in handle)
    rng.shuffle(texts)
    posts = []
    for i, (record, lang) in enumerate(texts[:limit]):
        words = record["text"].split()
        posts.append({"title": " ".join(words[:6]) if i % 2 else "", "text": record["text"], "lang": lang,
                      "url": record.get("url") or f"https://{rng.choice(SITES)}/t/{i}",
                      "author": f"user{rng.randrange(500)}", "source": rng.choice(["reddit", "rss", "forum"])})
    while len(posts) < limit:
        posts.append(dict(posts[len(posts) % len(texts)]))
    return posts


def make_queries(count: int, rng: random.Random) -> list[str]:
    """Return ``count`` generated queries (each parses)."""
    queries = []
    for i in range(count):
        vocab, lang = (DE, "de") if i % 2 else (EN, "en")
        a, b, c, d = rng.sample(vocab, 4)
        queries.append(TEMPLATES[i % len(TEMPLATES)].format(a=a, b=b, c=c, d=d, p=rng.choice(PHRASES),
                                                            s=rng.choice(STEMS), site=rng.choice(SITES), lang=lang))
    return queries


def run(posts: list[dict], bank: QueryBank, explain: bool = False) -> tuple[float, int]:
    """Match every post; CPU seconds of this process (the machine is shared) and the number of matches."""
    start = time.process_time()
    matches = 0
    for post in posts:
        found = bank.match(post)
        matches += len(found)
        if explain:
            for _, result in found:
                result.spans  # noqa: B018 - force the explanation (terms and character spans)
    return time.process_time() - start, matches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=12_000)
    parser.add_argument("--queries", type=int, default=100)
    args = parser.parse_args()
    rng = random.Random(7)
    posts = load_posts(args.posts, rng)
    queries = make_queries(args.queries, rng)
    bank = QueryBank((i, parse(q)) for i, q in enumerate(queries))
    run(posts[:500], bank)  # warm the word-key cache as a long-running ingester would have it
    seconds, matches = min((run(posts, bank) for _ in range(3)), key=lambda r: r[0])
    explained_seconds, _ = min((run(posts, bank, explain=True) for _ in range(2)), key=lambda r: r[0])
    rate = len(posts) / seconds
    explained_rate = len(posts) / explained_seconds
    prepared = [prepare(p) for p in posts[:2000]]
    candidates = sum(len(bank.candidates(d)) for d in prepared) / len(prepared)
    print(f"posts: {len(posts)}, active queries: {len(bank)}, matches: {matches} "
          f"({matches / len(posts):.2f} per post), queries evaluated per post: {candidates:.1f}")
    print(f"query matcher: {rate:,.0f} posts/s (goal {GOAL:,}/s, ratio {rate / GOAL:.2f}x), "
          f"{seconds * 1e6 / len(posts):.1f} µs/post (CPU time)")
    print(f"with every match explained (terms + character spans): {explained_rate:,.0f} posts/s "
          f"(ratio {explained_rate / GOAL:.2f}x)")
    print(f"(CPU seconds of this one process; machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
