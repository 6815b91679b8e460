"""Read the many ways forums write a post's date."""
from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

FORMATS = ("%d.%m.%Y, %H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
           "%a %b %d, %Y %I:%M %p", "%b %d, %Y %I:%M %p", "%d %b %Y, %H:%M", "%B %d, %Y", "%m/%d/%Y %I:%M %p")


def parse_date(text: str | None, fmt: str | None = None) -> datetime | None:
    """Parse a forum date (ISO 8601, RFC 2822, the given format or a common one); naive times count as UTC."""
    text = " ".join((text or "").split())
    if not text:
        return None
    candidates = [fmt] if fmt else []
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        when = None
    if when is None:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            when = None
    for pattern in (*candidates, *FORMATS):
        if when is not None:
            break
        try:
            when = datetime.strptime(text, pattern)
        except ValueError:
            continue
    if when is None:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)
