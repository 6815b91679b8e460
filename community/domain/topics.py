"""Keyword-rule topics (Brandwatch-style categories): the first reading of a post, before any model."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
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


def _occurs(folded: str, word: str, pattern: re.Pattern) -> bool:
    """Tell whether the keyword's pattern matches, tried only where its first word occurs.

    Every match starts with that word spelled out, so matching at each of its occurrences finds what a
    search would, without the search's attempt at every position of a long text (the look-behind at the
    pattern's start keeps the regex engine from skipping ahead by itself).
    """
    if not word:
        return pattern.search(folded) is not None
    at = folded.find(word)
    while at >= 0:
        if pattern.match(folded, at):
            return True
        at = folded.find(word, at + 1)
    return False


def _matched_in_folded(folded: str, keywords: tuple[str, ...]) -> list[str]:
    return [kw for kw, word, pattern in _rules(keywords) if word in folded and _occurs(folded, word, pattern)]


def any_keyword(text: str, keywords: Sequence[str]) -> bool:
    """Tell whether any keyword occurs in ``text`` (same rules as ``matched_keywords``)."""
    folded = _fold(text)
    return any(word in folded and _occurs(folded, word, pattern) for _, word, pattern in _rules(tuple(keywords)))


def rule_topic(text: str, topics: Mapping[str, Sequence[str]]) -> tuple[str | None, list[str]]:
    """Pick the topic whose keyword rules match most often (first in order on ties).

    ``topics`` maps topic name → keywords, in the taxonomy's order. Returns (topic or None, matched keywords).
    """
    folded = _fold(text)  # once for every topic
    return _most_hits((topic, _matched_in_folded(folded, tuple(keywords))) for topic, keywords in topics.items())


def _most_hits(hits_by_topic: Iterable[tuple[str, list[str]]]) -> tuple[str | None, list[str]]:
    """Return the (topic, hits) with the most hits, the first in order on ties; (None, []) when none has any."""
    best, best_hits = None, []
    for topic, hits in hits_by_topic:
        if len(hits) > len(best_hits):
            best, best_hits = topic, hits
    return best, best_hits


# Keyword rules compiled once for a taxonomy: which keywords can match a text is told by a set lookup over its
# words (a keyword only matches where its first word, or for ``prefix*`` the start of a word, occurs); the
# topics are then tried in order with just those keywords, so the answer is exactly ``rule_topic``'s.
_WORD_RUN = re.compile(r"\w+")


class KeywordRules:
    """Apply the keyword rules of ``settings.topics`` (topic → keywords) to texts."""

    def __init__(self, topics: Mapping[str, Sequence[str]]) -> None:
        self.topics = {name: list(keywords) for name, keywords in topics.items()}
        # Per topic, in order: (keyword, its first folded word, pattern), as rule_topic checks them.
        self.checks = [(name, _rules(tuple(keywords))) for name, keywords in self.topics.items()]
        self.topics_of: dict[str, list[int]] = {}  # keyword → the indexes of the topics it is a rule of
        for index, (_, checks) in enumerate(self.checks):
            for keyword, _, _ in checks:
                self.topics_of.setdefault(keyword, []).append(index)
        self.tests = {kw: (word, pattern) for _, checks in self.checks for kw, word, pattern in checks}
        self.exact: dict[str, set[str]] = {}
        self.prefixes: dict[str, set[str]] = {}  # a prefix* keyword's word → the keywords
        self.always: set[str] = set()
        for keyword in (k for keywords in self.topics.values() for k in keywords if k.strip()):
            folded = _fold(keyword.strip())
            body = folded.rstrip("*")
            first = _WORD_RUN.search(body)
            if first is None:  # no word characters: always a candidate
                self.always.add(keyword)
            elif first.end() == len(body) and folded.endswith("*"):
                self.prefixes.setdefault(first.group(), set()).add(keyword)
            else:
                self.exact.setdefault(first.group(), set()).add(keyword)
        # A word opening with a prefix: the longest such prefix is found at each word start, every shorter one
        # that opens the word is a prefix of it (all are word characters, so "word start" means the same).
        ordered = sorted(self.prefixes, key=len, reverse=True)
        self.opening = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + ")") if ordered else None
        self.within = {p: set().union(*(self.prefixes[q] for q in ordered if p.startswith(q))) for p in ordered}

    def _candidates(self, folded: str) -> set[str]:
        found = set(self.always)
        if self.opening is not None:
            for opening in set(self.opening.findall(folded)):
                found |= self.within[opening]
        words = set(_WORD_RUN.findall(folded))
        for word in words & self.exact.keys():
            found |= self.exact[word]
        return found

    def __call__(self, text: str) -> tuple[str | None, list[str]]:
        """Return (topic or None, matched keywords) exactly as ``rule_topic`` over all keywords does."""
        if not self.topics:
            return None, []
        folded = _fold(text)
        candidates = self._candidates(folded)
        if not candidates:
            return None, []
        # (a candidate's first word occurs, or it has none: _occurs alone decides)
        matched = {keyword for keyword in candidates if _occurs(folded, *self.tests[keyword])}
        # Only topics with a matched keyword have hits; they are tried in order, each with its keywords in order.
        return _most_hits((self.checks[index][0], [kw for kw, _, _ in self.checks[index][1] if kw in matched])
                          for index in sorted({i for keyword in matched for i in self.topics_of[keyword]}))


class KeywordClassifier:
    """A Classifier that reads only the keyword rules (used when no trained model is available)."""

    def __init__(self, topics: Mapping[str, Sequence[str]]) -> None:
        self.topics = dict(topics)
        self.rules = KeywordRules(self.topics)

    def analyse(self, post) -> Analysis:
        """Return an Analysis with the rule topic (or 'other') and the post's language hint."""
        topic, hits = self.rules(f"{post.title}\n{post.text}")
        return Analysis(language=post.lang_hint or "other", topic=topic or "other",
                        topic_confidence=1.0 if topic else 0.0, topic_source="rules",
                        tags=tuple(f"keyword:{kw}" for kw in hits))
