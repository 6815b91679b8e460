"""Search quality of every KB search backend beside a plain BM25 baseline, in one run.

Data: ../shared/data/xquad-kb (480 articles, 1,174 queries; read from there, never copied) and
bench/data/kb_support_*.jsonl (our own harder set: support questions worded unlike the articles).
Prints MRR@10 and recall@5 per language and backend. Set SUPERFAN_TEST_OPENSEARCH_URL /
SUPERFAN_TEST_ELASTICSEARCH_URL to include the search cluster. Usage: .venv/bin/python bench/kb_quality.py
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from community.adapters.search.fts5 import Fts5Index  # noqa: E402
from community.domain.knowledge import SearchDocument, SearchQuery  # noqa: E402

XQUAD = ROOT / ".." / "shared" / "data" / "xquad-kb"
OWN = ROOT / "bench" / "data"


def load(path: Path) -> list[dict]:
    """Read a JSON-lines file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def documents(articles: list[dict]) -> list[SearchDocument]:
    """Turn import lines into search documents."""
    return [SearchDocument(id=a["id"], external_id=a["id"], title=a["title"], body=a["body"],
                           answer=a.get("answer", ""), language=a["lang"], topic=a.get("topic", "other"),
                           tags=tuple(a.get("tags", ())), url=a.get("url", "")) for a in articles]


class Baseline:
    """Plain BM25 over title + body in one FTS5 column: unicode61 tokens, no stemming, no boosts."""

    def __init__(self, docs: list[SearchDocument]) -> None:
        self.conn = sqlite3.connect(":memory:")
        self.conn.execute("CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, lang UNINDEXED, text)")
        self.conn.executemany("INSERT INTO t VALUES (?,?,?)", [(d.id, d.language, f"{d.title} {d.body} {d.answer}")
                                                               for d in docs])

    def search(self, query: SearchQuery) -> list[str]:
        """Return ids, best first: any query word may match (OR), BM25 ranks."""
        words = re.findall(r"\w+", query.text.lower())
        if not words:
            return []
        expression = " OR ".join(f'"{w}"' for w in words)
        rows = self.conn.execute("SELECT id FROM t WHERE t MATCH ? AND lang = ? ORDER BY rank LIMIT ?",
                                 (expression, query.language, query.limit)).fetchall()
        return [r[0] for r in rows]


def evaluate(search, queries: list[dict]) -> dict[str, dict[str, float]]:
    """Return MRR@10 and recall@5 per language (and mean query time in ms)."""
    per_lang: dict[str, list[tuple[float, float, float]]] = {}
    for q in queries:
        started = time.perf_counter()
        ids = search(SearchQuery(q["query"], language=q["lang"], limit=10))
        took = (time.perf_counter() - started) * 1000
        relevant = set(q["relevant"])
        rank = next((i for i, doc_id in enumerate(ids, 1) if doc_id in relevant), None)
        per_lang.setdefault(q["lang"], []).append((1 / rank if rank else 0.0, 1.0 if rank and rank <= 5 else 0.0,
                                                   took))
    return {lang: {"mrr@10": sum(r[0] for r in rows) / len(rows), "recall@5": sum(r[1] for r in rows) / len(rows),
                   "ms": sum(r[2] for r in rows) / len(rows), "n": len(rows)} for lang, rows in per_lang.items()}


def backends(docs: list[SearchDocument], workdir: str):
    """Yield (name, search function returning ids) for the baseline and every available backend."""
    yield "bm25-baseline", Baseline(docs).search
    fts = Fts5Index(Path(workdir) / f"fts5-{len(docs)}.db")
    fts.bulk(docs)
    yield "fts5", lambda q: [h.public_id for h in fts.search(q)]
    for name, env in (("opensearch", "SUPERFAN_TEST_OPENSEARCH_URL"), ("elasticsearch", "SUPERFAN_TEST_ELASTICSEARCH_URL")):
        if os.environ.get(env):
            from community.adapters.search.cluster import ClusterIndex

            cluster = ClusterIndex.connect(name, os.environ[env], prefix=f"bench-quality-{len(docs)}")
            cluster.reindex(docs)
            cluster.refresh()
            yield name, lambda q, c=cluster: [h.public_id for h in c.search(q)]
            cluster.drop()


def report(title: str, articles: list[dict], queries: list[dict], workdir: str) -> None:
    """Print one table: backend × language → MRR@10, recall@5, and the gain over the baseline."""
    print(f"\n{title}: {len(articles)} articles, {len(queries)} queries")
    print(f"{'backend':<15}{'lang':<6}{'n':>5}{'MRR@10':>9}{'R@5':>8}{'ΔMRR':>9}{'ms/q':>8}")
    base = None
    for name, search in backends(documents(articles), workdir):
        scores = evaluate(search, queries)
        base = base or scores
        for lang in sorted(scores):
            s = scores[lang]
            gain = (s["mrr@10"] / base[lang]["mrr@10"] - 1) * 100 if base[lang]["mrr@10"] else 0.0
            print(f"{name:<15}{lang:<6}{s['n']:>5}{s['mrr@10']:>9.3f}{s['recall@5']:>8.3f}{gain:>+8.1f}%{s['ms']:>8.2f}")


def main() -> None:
    """Run the xquad-kb set and our own support set."""
    with tempfile.TemporaryDirectory() as workdir:
        report("xquad-kb", load(XQUAD / "articles.jsonl"), load(XQUAD / "queries.jsonl"), workdir)
        own_articles, own_queries = OWN / "kb_support_articles.jsonl", OWN / "kb_support_questions.jsonl"
        if own_articles.exists() and own_queries.exists():
            report("support (own, harder)", load(own_articles), load(own_queries), workdir)


if __name__ == "__main__":
    main()
