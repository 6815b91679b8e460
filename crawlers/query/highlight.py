"""Mark the words a query matched, as plain text (``[[word]]``) or escaped HTML (``<mark>word</mark>``)."""
from __future__ import annotations

import html

from crawlers.query.result import MatchResult


def highlight(text: str, result: MatchResult, *, field: str = "text", html_output: bool = False) -> str:
    """Return ``text`` (the post's ``field``) with the matched spans marked; overlapping spans merge."""
    return _mark(text, [(s.start, s.end) for s in result.spans if s.field == field], html_output)


def snippet(text: str, result: MatchResult, *, field: str = "text", width: int = 200) -> str:
    """Return about ``width`` characters of ``text`` around the first match, marked with ``[[…]]``."""
    spans = sorted((s.start, s.end) for s in result.spans if s.field == field)
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 3)
    if start:  # begin at a word
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    inside = [(a - start, b - start) for a, b in spans if a >= start and b <= end]
    return ("…" if start else "") + _mark(text[start:end], inside, False) + ("…" if end < len(text) else "")


def _mark(text: str, spans: list[tuple[int, int]], html_output: bool) -> str:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    escape = html.escape if html_output else str
    opening, closing = ("<mark>", "</mark>") if html_output else ("[[", "]]")
    out, cursor = [], 0
    for start, end in merged:
        out.append(escape(text[cursor:start]))
        out.append(opening + escape(text[start:end]) + closing)
        cursor = end
    out.append(escape(text[cursor:]))
    return "".join(out)
