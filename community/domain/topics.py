"""Keyword-rule topics (Brandwatch-style categories): the first reading of a post, before any model."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from community.domain.model import Analysis, normalise_text


@lru_cache(maxsize=256)  # routing folds the same text for several keyword rules in a row
def _fold(text: str) -> str:
    """Fold for matching: accents off, ß→ss, and German ae/oe/ue spellings made equal to ä/ö/ü."""
    folded = normalise_text(text)
    return folded.replace("ae", "a").replace("oe", "o").replace("ue", "u")


@lru_cache(maxsize=4096)
def _keyword_pattern(keyword: str) -> re.Pattern:
    folded = _fold(keyword.strip())
    prefix = folded.endswith("*")
    body = re.escape(folded.rstrip("*")).replace(r"\ ", r"\s+")
    tail = "" if prefix else r"(?!\w)"
    return re.compile(r"(?<!\w)" + body + tail)


def matched_keywords(text: str, keywords: Sequence[str]) -> list[str]:
    """Return the keywords (case/accent-insensitive; trailing * = prefix) that occur in ``text``."""
    return _matched_in_folded(_fold(text), tuple(keywords))


@lru_cache(maxsize=512)
def _rules(keywords: tuple[str, ...]) -> tuple[tuple[str, str, re.Pattern], ...]:
    """Return (keyword, its first folded word, pattern): a match needs that word as a plain substring."""
    return tuple((kw, (_fold(kw.strip()).rstrip("*").split() or [""])[0], _keyword_pattern(kw))
                 for kw in keywords if kw.strip())


def _matched_in_folded(folded: str, keywords: tuple[str, ...]) -> list[str]:
    # The substring test is much cheaper than a regex scan and rules out most keywords of most texts.
    return [kw for kw, word, pattern in _rules(keywords) if word in folded and pattern.search(folded)]


@lru_cache(maxsize=512)
def _any_pattern(keywords: tuple[str, ...]) -> re.Pattern | None:
    start = r"(?<!\w)"  # every keyword pattern starts at a word boundary: test it once, then the alternatives
    parts = [_keyword_pattern(kw).pattern.removeprefix(start) for kw in keywords if kw.strip()]
    return re.compile(start + "(?:" + "|".join(parts) + ")") if parts else None


def any_keyword(text: str, keywords: Sequence[str]) -> bool:
    """Tell whether any keyword occurs in ``text`` (same rules as ``matched_keywords``, one regex pass)."""
    pattern = _any_pattern(tuple(keywords))
    return pattern is not None and pattern.search(_fold(text)) is not None


def rule_topic(text: str, topics: Mapping[str, Sequence[str]]) -> tuple[str | None, list[str]]:
    """Pick the topic whose keyword rules match most often (first in order on ties).

    ``topics`` maps topic name → keywords, in the taxonomy's order. Returns (topic or None, matched keywords).
    """
    best, best_hits, folded = None, [], _fold(text)  # fold once for every topic
    for topic, keywords in topics.items():
        hits = _matched_in_folded(folded, tuple(keywords))
        if len(hits) > len(best_hits):
            best, best_hits = topic, hits
    return best, best_hits


class KeywordClassifier:
    """A Classifier that reads only the keyword rules (used when no trained model is available)."""

    def __init__(self, topics: Mapping[str, Sequence[str]]) -> None:
        self.topics = dict(topics)

    def analyse(self, post) -> Analysis:
        """Return an Analysis with the rule topic (or 'other') and the post's language hint."""
        topic, hits = rule_topic(f"{post.title}\n{post.text}", self.topics)
        return Analysis(language=post.lang_hint or "other", topic=topic or "other",
                        topic_confidence=1.0 if topic else 0.0, topic_source="rules",
                        tags=tuple(f"keyword:{kw}" for kw in hits))
