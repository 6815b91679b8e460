"""Rule conditions: each key of a rule's ``when`` table becomes a test with a readable reason when it fails."""
from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass

from community.domain.errors import ValidationError
from community.domain.routing.facts import RoutingFacts
from community.domain.topics import any_keyword, matched_keywords

Test = Callable[[RoutingFacts], str | None]  # None = satisfied, else why not


@dataclass(frozen=True, slots=True)
class Condition:
    """One parsed condition of a rule."""

    key: str
    expected: object
    test: Test

    def describe(self, facts: RoutingFacts | None = None) -> str:
        """Return the condition as it held, e.g. ``topic = ['payment']`` or ``keywords matched ['anwalt']``."""
        if self.key == "keywords" and facts is not None:
            return f"keywords matched {matched_keywords(facts.text, list(self.expected))}"
        if self.key == "likely_answered" and facts is not None and facts.answered_by is not None:
            return f"likely answered by KB article #{facts.answered_by} '{facts.answered_by_title}'"
        return f"{self.key} = {self.expected!r}"


def _names(value, key: str) -> frozenset[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(v, str) and v for v in items):
        raise ValidationError(f"condition {key!r} expects a name or a list of names, got {value!r}")
    return frozenset(v.strip().lower() for v in items)


def _number(value, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"condition {key!r} expects a number, got {value!r}")
    return float(value)


def _flag(value, key: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(f"condition {key!r} expects true or false, got {value!r}")
    return value


def _one_of(attr: str, label: str):
    def build(value, key):
        allowed = _names(value, key)
        shown = sorted(allowed)

        def test(f: RoutingFacts) -> str | None:
            got = getattr(f, attr)
            return None if got in allowed else f"{label} is {got!r}, not one of {shown}"
        return test
    return build


def _none_of(attr: str, label: str):
    def build(value, key):
        banned = _names(value, key)

        def test(f: RoutingFacts) -> str | None:
            got = getattr(f, attr)
            return f"{label} is {got!r}" if got in banned else None
        return test
    return build


def _at_least(getter: Callable[[RoutingFacts], float], label: str):
    def build(value, key):
        limit = _number(value, key)

        def test(f: RoutingFacts) -> str | None:
            got = getter(f)
            return None if got >= limit else f"{label} {got:g} is below {limit:g}"
        return test
    return build


def _below(getter: Callable[[RoutingFacts], float], label: str):
    def build(value, key):
        limit = _number(value, key)

        def test(f: RoutingFacts) -> str | None:
            got = getter(f)
            return None if got < limit else f"{label} {got:g} is not below {limit:g}"
        return test
    return build


def _is(getter: Callable[[RoutingFacts], bool], label: str):
    def build(value, key):
        wanted = _flag(value, key)

        def test(f: RoutingFacts) -> str | None:
            return None if getter(f) == wanted else f"{label}: {'yes' if getter(f) else 'no'}"
        return test
    return build


def _source(value, key):
    patterns = sorted(_names(value, key))

    def test(f: RoutingFacts) -> str | None:
        ok = any(fnmatch.fnmatchcase(f.source.lower(), p) for p in patterns)
        return None if ok else f"source {f.source!r} matches none of {patterns}"
    return test


def _query(value, key):
    wanted = _names(value, key)

    def test(f: RoutingFacts) -> str | None:
        ok = any(q.lower() in wanted for q in f.queries)
        return None if ok else f"listening queries {list(f.queries)} include none of {sorted(wanted)}"
    return test


def _keywords(value, key):
    words = tuple(sorted(_names(value, key)))

    def test(f: RoutingFacts) -> str | None:
        return None if any_keyword(f.text, words) else f"text contains none of the {len(words)} keywords"
    return test


def _regex(value, key):
    if not isinstance(value, str) or not value:
        raise ValidationError(f"condition {key!r} expects a regular expression, got {value!r}")
    try:
        pattern = re.compile(value, re.IGNORECASE)
    except re.error as exc:
        raise ValidationError(f"condition {key!r}: invalid regular expression {value!r}: {exc}") from exc

    def test(f: RoutingFacts) -> str | None:
        return None if pattern.search(f.text) else f"text does not match /{value}/"
    return test


BUILDERS: dict[str, Callable[[object, str], Test]] = {
    "topic": _one_of("topic", "topic"),
    "topic_not": _none_of("topic", "topic"),
    "topic_route": _one_of("topic_route", "the topic's default route"),
    "confidence_below": _below(lambda f: f.topic_confidence, "topic confidence"),
    "confidence_at_least": _at_least(lambda f: f.topic_confidence, "topic confidence"),
    "urgency": _one_of("urgency_level", "urgency"),
    "urgency_score_at_least": _at_least(lambda f: f.urgency_score, "urgency score"),
    "sentiment": _one_of("sentiment_label", "sentiment"),
    "sentiment_score_below": _below(lambda f: f.sentiment_score, "sentiment score"),
    "language": _one_of("language", "language"),
    "source": _source,
    "query": _query,
    "known_customer": _is(lambda f: f.author.known_customer, "author is a known customer"),
    "author_superuser": _is(lambda f: f.author.superuser, "author is a super-user"),
    "author_reach_at_least": _at_least(lambda f: f.author.reach, "author reach"),
    "keywords": _keywords,
    "regex": _regex,
    "value_at_least": _at_least(lambda f: f.value, "value"),
    "high_value": _is(lambda f: f.high_value, "value is in the top staff share"),
    "likely_answered": _is(lambda f: f.answered_by is not None, "a published KB article likely answers it"),
}


def parse_condition(key: str, value) -> Condition:
    """Parse one ``when`` entry; an unknown key or a malformed value raises ValidationError."""
    builder = BUILDERS.get(key)
    if builder is None:
        raise ValidationError(f"unknown rule condition {key!r}; known: {', '.join(sorted(BUILDERS))}")
    return Condition(key, value, builder(value, key))
