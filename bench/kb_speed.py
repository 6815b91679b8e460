"""Search speed at scale: FTS5 (and OpenSearch/Elasticsearch when a node is named) on generated articles.

Generates N articles (default 100,000) whose words follow the word frequencies of the xquad-kb articles
(read from ../shared/data/xquad-kb), indexes them in bulk, then times queries over very frequent words,
rare words and mixed questions. Goals: FTS5 query p95 ≤ 20 ms, FTS5 indexing ≥ 2,000 articles/s.
Usage: .venv/bin/python bench/kb_speed.py [N]   (SUPERFAN_TEST_OPENSEARCH_URL=… adds OpenSearch side by side)
"""
from __future__ import annotations

import itertools
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from kb_quality import XQUAD, load  # noqa: E402

from community.adapters.search.analysis import is_stopword  # noqa: E402
from community.adapters.search.fts5 import Fts5Index  # noqa: E402
from community.domain.knowledge import SearchDocument, SearchQuery  # noqa: E402

QUERY_GOAL_MS, INDEX_GOAL = 20.0, 2000.0


def vocabulary() -> dict[str, Counter]:
    """Return word frequencies per language from the xquad-kb articles."""
    counts: dict[str, Counter] = {"de": Counter(), "en": Counter()}
    for article in load(XQUAD / "articles.jsonl"):
        counts[article["lang"]].update(re.findall(r"\w+", f"{article['title']} {article['body']}"))
    return counts


def generate(n: int, counts: dict[str, Counter], seed: int = 7):
    """Yield n articles with Zipf-like word use (the real frequencies of the sample)."""
    rng = random.Random(seed)
    tables = {lang: (list(c), list(itertools.accumulate(c.values()))) for lang, c in counts.items()}
    for i in range(n):
        lang = "de" if i % 2 else "en"
        words, cumulative = tables[lang]
        title = " ".join(rng.choices(words, cum_weights=cumulative, k=rng.randint(3, 8)))
        body = " ".join(rng.choices(words, cum_weights=cumulative, k=rng.randint(50, 120)))
        answer = " ".join(rng.choices(words, cum_weights=cumulative, k=rng.randint(10, 40)))
        yield SearchDocument(id=str(i), title=title, body=body, answer=answer, language=lang, topic=f"t{i % 12}")


def queries(counts: dict[str, Counter], seed: int = 11) -> dict[str, list[SearchQuery]]:
    """Return query sets: frequent words, rare words, and mixed 3-5 word questions."""
    rng = random.Random(seed)
    sets: dict[str, list[SearchQuery]] = {"frequent": [], "rare": [], "mixed": []}
    for lang, c in counts.items():
        ranked = [w for w, _ in c.most_common() if len(w) > 3 and not is_stopword(w, lang) and not w.isdigit()]
        frequent, rare = ranked[:60], [w for w in ranked if c[w] <= 2]
        for _ in range(60):
            sets["frequent"].append(SearchQuery(" ".join(rng.sample(frequent, 2)), language=lang))
            sets["rare"].append(SearchQuery(rng.choice(rare), language=lang))
            words = rng.sample(frequent, 2) + rng.sample(ranked[:3000], rng.randint(1, 3))
            sets["mixed"].append(SearchQuery(" ".join(words), language=lang))
    return sets


def time_queries(index, sets: dict[str, list[SearchQuery]]) -> dict[str, tuple[float, float, float]]:
    """Return (p50, p95 wall clock, p95 CPU of this process) in ms per query set, after a warm-up pass."""
    out = {}
    for name, qs in sets.items():
        for q in qs[:10]:
            index.search(q)
        wall, cpu = [], []
        for q in qs:
            started, used = time.perf_counter(), time.process_time()
            index.search(q)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
        out[name] = (statistics.median(wall), _p95(wall), _p95(cpu))
    return out


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def run(name: str, index, n: int, counts, sets) -> None:
    """Index n generated articles in bulk, then time the queries; print one block."""
    docs = list(generate(n, counts))
    started, cpu = time.perf_counter(), time.process_time()
    written = index.bulk(docs)
    rate, cpu_rate = written / (time.perf_counter() - started), written / (time.process_time() - cpu)
    print(f"\n{name}: indexed {written} articles at {rate:,.0f} articles/s wall clock"
          + (f" ({cpu_rate:,.0f}/s of this process's CPU time; goal ≥ {INDEX_GOAL:,.0f}: {rate / INDEX_GOAL:.1f}×)"
             if name == "fts5" else " (the node's CPU time is not counted)"))
    for set_name, (p50, p95, cpu95) in time_queries(index, sets).items():
        verdict = f"  (goal p95 ≤ {QUERY_GOAL_MS:.0f} ms: {'ok' if p95 <= QUERY_GOAL_MS else 'MISSED'})" \
            if name == "fts5" else ""
        print(f"  {set_name:<9} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   (CPU p95 {cpu95:6.2f} ms){verdict}")


def main() -> None:
    """Run FTS5 and any configured search cluster on the same generated articles and queries."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    counts = vocabulary()
    sets = queries(counts)
    print(f"{n} generated articles, {sum(len(q) for q in sets.values())} queries")
    with tempfile.TemporaryDirectory() as workdir:
        run("fts5", Fts5Index(Path(workdir) / "speed.db"), n, counts, sets)
    for name, env in (("opensearch", "SUPERFAN_TEST_OPENSEARCH_URL"),
                      ("elasticsearch", "SUPERFAN_TEST_ELASTICSEARCH_URL")):
        if os.environ.get(env):
            from community.adapters.search.cluster import ClusterIndex

            cluster = ClusterIndex.connect(name, os.environ[env], prefix="bench-speed")
            cluster.drop()
            try:
                run(name, cluster, n, counts, sets)
            finally:
                cluster.drop()


if __name__ == "__main__":
    main()
