"""Matchers for the metadata filters: ``site:``, ``url:``, ``author:``, ``lang:``, ``source:``, ``subreddit:``."""
from __future__ import annotations

import re

from crawlers.query.document import fold_value, subreddit_name
from crawlers.query.nodes import Field, Wildcard, render


def glob_regex(pattern: str) -> re.Pattern:
    """Compile a ``*``/``?`` glob into a regular expression over the whole value."""
    return re.compile("".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern))


class FieldMatcher:
    """One metadata filter; ``test(doc)`` compares the post's value with the query's."""

    __slots__ = ("label", "test", "trigger")

    def __init__(self, node: Field) -> None:
        self.label = render(node)
        self.trigger = None
        self.test = _predicate(node.name, node.value.text, isinstance(node.value, Wildcard))


def _predicate(name: str, value: str, wildcard: bool):
    if name == "url":
        regex = glob_regex("*" + value.lower() + "*") if wildcard else None
        needle = value.lower()
        return (lambda d: regex.fullmatch(d.url.lower()) is not None) if regex else (lambda d: needle in d.url.lower())
    normalise, attribute = _NORMALISERS[name]
    wanted = normalise(value)
    if wildcard:
        regex = glob_regex(wanted)
        return lambda d: regex.fullmatch(getattr(d, attribute)) is not None
    if name == "site":
        suffix = "." + wanted.lstrip(".")
        return lambda d: d.host == wanted or d.host.endswith(suffix)
    return lambda d: getattr(d, attribute) == wanted


def site_host(value: str) -> str:
    """Accept ``reddit.com``, ``https://www.reddit.com/`` or ``reddit.com/r/x`` and keep the host."""
    value = value.strip().lower()
    value = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value)
    return value.split("/", 1)[0].rstrip(".")


_NORMALISERS = {
    "site": (site_host, "host"),
    "author": (fold_value, "author_folded"),
    "lang": (lambda v: v.strip().lower(), "lang"),
    "source": (lambda v: v.strip().lower(), "source"),
    "subreddit": (subreddit_name, "subreddit"),
}

