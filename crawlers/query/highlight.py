"""Mark the words a query matched, as plain text (``[[word]]``) or escaped HTML (``<mark>word</mark>``)."""
from __future__ import annotations

import html

from crawlers.query.matcher import MatchResult


def highlight(text: str, result: MatchResult, *, field: str = "text", html_output: bool = False) -> str:
    """Return ``text`` (the post's ``field``) with the matched spans marked; overlapping spans merge."""
    merged: list[list[int]] = []
    for span in sorted((s for s in result.spans if s.field == field), key=lambda s: s.start):
        if merged and span.start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], span.end)
        else:
            merged.append([span.start, span.end])
    escape = html.escape if html_output else str
    opening, closing = ("<mark>", "</mark>") if html_output else ("[[", "]]")
    out, cursor = [], 0
    for start, end in merged:
        out.append(escape(text[cursor:start]))
        out.append(opening + escape(text[start:end]) + closing)
        cursor = end
    out.append(escape(text[cursor:]))
    return "".join(out)


def snippet(text: str, result: MatchResult, *, field: str = "text", width: int = 200) -> str:
    """Return about ``width`` characters of ``text`` around the first match, marked with ``[[…]]``."""
    first = min((s.start for s in result.spans if s.field == field), default=0)
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    if start:  # start at a word boundary
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    spans = tuple(s for s in result.spans if s.field != field or (s.start >= start and s.end <= end))
    clipped = [type(s)(s.field, s.start - start, s.end - start, s.term) if s.field == field else s for s in spans]
    marked = highlight(text[start:end], _Clipped(clipped), field=field)
    return ("…" if start else "") + marked + ("…" if end < len(text) else "")


class _Clipped:
    """A stand-in MatchResult holding spans shifted into a snippet."""

    def __init__(self, spans) -> None:
        self.spans = spans
