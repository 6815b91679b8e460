"""Rerank BM25 candidates: reward documents that cover more of the query, especially in the title."""
from __future__ import annotations

from community.adapters.search.fts5_query import Group, ParsedQuery

BM25_SHARE = 0.55
COVERAGE_SHARE = 0.35
TITLE_SHARE = 0.10


def _covers(group: Group, terms: set[str], text: str) -> bool:
    if group.kind == "prefix":
        return any(t.startswith(tuple(group.alternatives)) for t in terms)
    if group.kind == "phrase":
        return " ".join(group.alternatives) in text
    return bool(terms.intersection(group.alternatives)) or bool(group.parts) and terms.issuperset(group.parts)


def rerank(parsed: ParsedQuery, candidates: list[tuple]) -> list[tuple[int, float]]:
    """Return (row id, score) best first; score mixes normalised BM25, query coverage, title coverage and boost."""
    if not candidates:
        return []
    best = max(-row[1] for row in candidates) or 1.0
    groups = parsed.groups
    scored = []
    for rid, bm25, title, body, answer, tags, boost in candidates:
        text = f"{title} {body} {answer} {tags}"
        terms, title_terms = set(text.split()), set(title.split())
        covered = sum(_covers(g, terms, text) for g in groups) / len(groups)
        in_title = sum(_covers(g, title_terms, title) for g in groups) / len(groups)
        score = BM25_SHARE * (-bm25 / best) + COVERAGE_SHARE * covered + TITLE_SHARE * in_title
        scored.append((rid, round(score * (boost or 1.0), 6)))
    scored.sort(key=lambda item: -item[1])
    return scored
