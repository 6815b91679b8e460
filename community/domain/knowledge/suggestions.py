"""Rank suggestions for someone writing an answer: the asker's language first, the other one as a labelled fallback."""
from __future__ import annotations

from dataclasses import dataclass

from community.domain.knowledge.search import SearchHit
from community.domain.knowledge.similarity import coverage

LANGUAGE_NAMES = {"de": "German", "en": "English"}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A suggested article with the passage that matched; ``fallback`` marks another language than the asker's."""

    hit: SearchHit
    relevance: float
    fallback: bool = False

    @property
    def label(self) -> str:
        """Return the label shown beside a fallback suggestion ("in English"), or ""."""
        if not self.fallback:
            return ""
        return f"in {LANGUAGE_NAMES.get(self.hit.language, self.hit.language)}"


def relevance(question: str, hit: SearchHit) -> float:
    """Return how well a hit answers the question, 0..1, from the words they share (comparable across backends)."""
    return round(max(coverage(question, hit.title), coverage(question, f"{hit.title} {hit.passage}")), 4)


def rank_suggestions(question: str, preferred: list[SearchHit], other: list[SearchHit], *,
                     limit: int = 5, good_enough: float = 0.34) -> list[Suggestion]:
    """Return up to ``limit`` suggestions: good hits in the asker's language; if none is good, other-language ones."""
    own = [Suggestion(hit, relevance(question, hit)) for hit in preferred]
    good = [s for s in own if s.relevance >= good_enough]
    if good:
        return good[:limit]
    foreign = [Suggestion(hit, relevance(question, hit), fallback=True) for hit in other]
    picked = [s for s in foreign if s.relevance >= good_enough] or foreign[:1]
    return (picked + own)[:limit]
