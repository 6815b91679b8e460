"""Badges with tiers, earned once when a counter over the ledger first reaches a tier's threshold."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from community.domain.gamification.ledger import LedgerEntry

TIERS = ("bronze", "silver", "gold")
# Counters a badge may use besides the points rules' names (answer, accepted_answer, kb_article, ...).
DERIVED_COUNTERS = ("night_answers", "streak_days", "points")


@dataclass(frozen=True, slots=True)
class BadgeDef:
    """A badge: the counter it watches, a threshold per tier, and whether it is earned per topic."""

    name: str
    counter: str
    tiers: Mapping[str, int]
    title: str = ""
    description: str = ""
    per_topic: bool = False


@dataclass(frozen=True, slots=True)
class Award:
    """A badge tier given to a user, with the date and the ledger entry that earned it."""

    user_id: int
    badge: str
    tier: str
    at: datetime
    reason: str
    points_event_id: int | None = None


@dataclass(frozen=True, slots=True)
class NightHours:
    """Local hours that count as night for the night-owl counter (start inclusive, end exclusive)."""

    start: time = time(22)
    end: time = time(5)

    def __contains__(self, moment: time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


@dataclass(slots=True)
class _Counters:
    counts: Counter = field(default_factory=Counter)
    last_day: date | None = None
    streak: int = 0

    def add(self, entry: LedgerEntry, zone: tzinfo | None, night: NightHours) -> None:
        step = -1 if entry.reverses_id is not None else 1
        if entry.reverses_id is None and entry.reason.startswith("recomputed"):
            step = 0  # corrections change points, not how often something happened
        for key in (entry.rule, (entry.rule, entry.topic)):
            self.counts[key] += step
        self.counts["points"] += entry.points if entry.earned else 0
        if entry.rule == "answer" and step == 1:
            local = entry.at.astimezone(zone) if zone else entry.at
            self.counts["night_answers"] += local.time() in night
            day = local.date()
            if day != self.last_day:
                self.streak = self.streak + 1 if self.last_day == day - timedelta(days=1) else 1
                self.last_day = day
            self.counts["streak_days"] = self.streak


def _reached(badge: BadgeDef, counters: _Counters, topic: str | None) -> Iterable[tuple[str, str, int]]:
    if badge.per_topic:
        if not topic:
            return
        value, name = counters.counts[(badge.counter, topic)], f"{badge.name}:{topic}"
    else:
        value, name = counters.counts[badge.counter], badge.name
    for tier in TIERS:
        if tier in badge.tiers and value >= badge.tiers[tier]:
            yield name, tier, badge.tiers[tier]


def evaluate(entries: Iterable[LedgerEntry], badges: Sequence[BadgeDef], held: Iterable[tuple[int, str, str]] = (),
             zones: Mapping[int, tzinfo] | None = None, night: NightHours = NightHours()) -> list[Award]:
    """Return the awards earned by replaying the ledger that are not already held (user, badge, tier)."""
    owned = set(held)
    counters: dict[int, _Counters] = {}
    awards = []
    for entry in sorted(entries, key=lambda e: (e.at, e.id or 0)):
        mine = counters.setdefault(entry.user_id, _Counters())
        mine.add(entry, (zones or {}).get(entry.user_id), night)
        for badge in badges:
            for name, tier, threshold in _reached(badge, mine, entry.topic):
                if (entry.user_id, name, tier) in owned:
                    continue
                owned.add((entry.user_id, name, tier))
                label = badge.title or badge.name
                awards.append(Award(user_id=entry.user_id, badge=name, tier=tier, at=entry.at,
                                    reason=f"{label} ({tier}): {badge.counter} reached {threshold}",
                                    points_event_id=entry.id))
    return awards
