"""What a match reports: the query parts found in a post, and their character spans."""
from __future__ import annotations

from dataclasses import dataclass

from crawlers.query.document import TEXT_OFFSET, PreparedDoc


@dataclass(frozen=True, slots=True)
class Span:
    """Characters ``start:end`` of the post's ``field`` ("title" or "text") matched by query part ``term``."""

    field: str
    start: int
    end: int
    term: str


class MatchResult:
    """Why a post matched: the query parts found (``terms``) and where (``spans``), worked out on first use."""

    __slots__ = ("_root", "_doc", "_explained")

    def __init__(self, root, doc: PreparedDoc) -> None:
        self._root, self._doc, self._explained = root, doc, None

    def _explain(self) -> tuple[tuple[str, ...], tuple[Span, ...]]:
        if self._explained is None:
            self._explained = explain(self._root, self._doc)
            self._root = self._doc = None
        return self._explained

    @property
    def terms(self) -> tuple[str, ...]:
        """Return the query parts found in the post, as written in the query."""
        return self._explain()[0]

    @property
    def spans(self) -> tuple[Span, ...]:
        """Return where in the title and text the parts were found."""
        return self._explain()[1]

    def as_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return {"terms": list(self.terms),
                "spans": [{"field": s.field, "start": s.start, "end": s.end, "term": s.term} for s in self.spans]}

    def __repr__(self) -> str:
        return f"MatchResult(terms={self.terms!r}, spans={self.spans!r})"


def explain(root, doc: PreparedDoc) -> tuple[tuple[str, ...], tuple[Span, ...]]:
    """List the positive query parts found in a matching post and their character spans."""
    terms: list[str] = []
    spans: list[Span] = []
    for part in _positive_parts(root):
        if not part.test(doc):
            continue
        terms.append(part.label)
        for first, last in getattr(part, "explain_spans", getattr(part, "spans", lambda d: []))(doc):
            if (first < TEXT_OFFSET) != (last < TEXT_OFFSET):
                continue
            try:
                start, end = doc.char_span(first), doc.char_span(last)
            except IndexError:  # a text whose words split differently once decomposed: no span, still a match
                continue
            spans.append(Span(start[0], start[1], end[2], part.label))
    return tuple(dict.fromkeys(terms)), tuple(sorted(set(spans), key=lambda s: (s.field, s.start)))


def _positive_parts(matcher):
    """Yield the leaves of AND/OR groups (they have ``parts``), skipping NOT (it has a single ``part``)."""
    if hasattr(matcher, "parts"):
        for part in matcher.parts:
            yield from _positive_parts(part)
    elif not hasattr(matcher, "part"):
        yield matcher
