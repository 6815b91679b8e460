"""Availability windows in the super-user's own time zone, e.g. ``mon-fri 18:00-22:00`` or ``sat,sun 10:00-02:00``."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from community.domain.errors import ValidationError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WINDOW = re.compile(r"^(?:(?P<days>[a-z,\-]+)\s+)?(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})$")


@dataclass(frozen=True, slots=True)
class Window:
    """Days of the week (0 = Monday) and a span of minutes; ``end <= start`` runs past midnight."""

    days: frozenset[int]
    start: int
    end: int

    def contains(self, weekday: int, minute: int) -> bool:
        """Tell whether a local weekday and minute of the day fall in the window."""
        if self.start < self.end:
            return weekday in self.days and self.start <= minute < self.end
        return (weekday in self.days and minute >= self.start) or ((weekday - 1) % 7 in self.days and minute < self.end)


def _minutes(text: str, spec: str) -> int:
    hours, minutes = (int(part) for part in text.split(":"))
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise ValidationError(f"availability {spec!r}: {text} is not a time of day")
    return hours * 60 + minutes


def _days(text: str | None, spec: str) -> frozenset[int]:
    if not text or text in ("daily", "every"):
        return frozenset(range(7))
    days: set[int] = set()
    for part in text.split(","):
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise ValidationError(f"availability {spec!r}: days are written mon..sun, e.g. mon-fri or sat,sun")
        a, b = DAYS.index(first), DAYS.index(last or first)
        days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    return frozenset(days)


def parse_window(spec: str) -> Window:
    """Parse one window; a malformed one raises ValidationError naming it."""
    text = " ".join(spec.lower().split())
    text = re.sub(r"^daily\s+|^every day\s+", "", text)
    match = _WINDOW.match(text)
    if match is None:
        raise ValidationError(f"availability {spec!r}: expected e.g. 'mon-fri 18:00-22:00'")
    return Window(_days(match["days"], spec), _minutes(match["start"], spec), _minutes(match["end"], spec) % 1440)


@lru_cache(maxsize=256)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"unknown time zone {name!r}") from None


@dataclass(frozen=True, slots=True)
class Availability:
    """A user's windows in their time zone; no windows means always available."""

    timezone: str
    windows: tuple[Window, ...]

    @classmethod
    def parse(cls, timezone: str, specs: Iterable[str]) -> Availability:
        """Parse a time zone name and window specs."""
        _zone(timezone)
        return cls(timezone, tuple(parse_window(s) for s in specs if s.strip()))

    def is_available(self, at: datetime) -> bool:
        """Tell whether an aware UTC instant falls in one of the windows (local time)."""
        if not self.windows:
            return True
        local = at.astimezone(_zone(self.timezone))
        minute = local.hour * 60 + local.minute
        return any(w.contains(local.weekday(), minute) for w in self.windows)
