"""Rules for a failing source: how long to back off, and when it counts as dead."""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

GONE_PREFIX = "gone: "
DEAD_ALERT = "source.dead"


@dataclass(frozen=True, slots=True)
class BackoffPolicy:
    """Exponential backoff with jitter after failed crawls; a source is dead after ``dead_after`` failures."""

    base_minutes: float = 5.0
    max_minutes: float = 360.0
    dead_after: int = 5

    def delay(self, failures: int, retry_after_seconds: float | None = None,
              jitter: Callable[[], float] = random.random) -> timedelta:
        """Return how long to wait after the ``failures``-th failure in a row (±25 % jitter, Retry-After honoured)."""
        exponential = min(self.max_minutes, self.base_minutes * 2 ** max(0, failures - 1))
        minutes = exponential * (0.75 + 0.5 * jitter())
        if retry_after_seconds:
            minutes = max(minutes, retry_after_seconds / 60)
        return timedelta(minutes=min(minutes, self.max_minutes * 1.25))

    def is_dead(self, failures: int, last_error: str | None) -> bool:
        """Tell whether a source with this record is dead (gone, or failing too often)."""
        return failures >= self.dead_after or bool(last_error and last_error.startswith(GONE_PREFIX))


def waiting(backoff_until: datetime | None, now: datetime) -> bool:
    """Tell whether a source is still backing off."""
    return backoff_until is not None and now < backoff_until


def lag(last_success: datetime | None, newest_post: datetime | None, now: datetime) -> timedelta | None:
    """Return how far behind a source is: time since its newest stored post, or since its last success."""
    reference = newest_post or last_success
    return now - reference if reference else None
