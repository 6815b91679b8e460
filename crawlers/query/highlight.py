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
