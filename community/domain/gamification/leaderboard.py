"""Leaderboards: weekly, monthly and all-time, overall, per topic and per language, each with its weights.

Derived totals are a fold of ``contributions`` over the ledger, so a stored table of them can always be
rebuilt from the ledger and checked against it.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from community.domain.gamification.ledger import LedgerEntry

PERIODS = ("week", "month", "all")
Weights = Mapping[str, Mapping[str, float]]  # period → rule → multiplier (missing = 1)


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a leaderboard (equal points share a place)."""

    place: int
    user_id: int
    points: int


def period_key(period: str, at: datetime) -> str:
    """Return the key of the week (ISO), month or all-time bucket an instant falls in."""
    if period == "week":
        year, week, _ = at.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{at.year}-{at.month:02d}"
    if period == "all":
        return "all"
    raise ValueError(f"unknown period {period!r}; expected one of {', '.join(PERIODS)}")


def period_start(period: str, now: datetime) -> datetime | None:
    """Return when the current period began (None for all-time)."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "week":
        return midnight - timedelta(days=now.weekday())
    if period == "month":
        return midnight.replace(day=1)
    period_key(period, now)
    return None


def scope(topic: str | None = None, language: str | None = None) -> str:
    """Return the name of a board: overall, one topic or one language."""
    if topic and language:
        raise ValueError("a leaderboard is per topic or per language, not both")
    return f"topic:{topic}" if topic else f"lang:{language}" if language else "all"


def weighted(entry: LedgerEntry, period: str, weights: Weights) -> int:
    """Return an entry's points on a period's boards, multiplied by that board's weight for the rule."""
    return round(entry.points * weights.get(period, {}).get(entry.rule, 1.0))


def contributions(entry: LedgerEntry, weights: Weights, counted_at: datetime | None = None) -> list[tuple[str, str, str, int]]:
    """Return (period, period key, scope, points) for every board an entry counts on.

    A reversal counts in the periods of the award it reverses (``counted_at``), so taking back last week's
    points does not push this week's board below zero.
    """
    if not entry.earned:
        return []
    at = counted_at or entry.at
    scopes = ["all"] + ([scope(topic=entry.topic)] if entry.topic else []) + (
        [scope(language=entry.language)] if entry.language else [])
    return [(period, period_key(period, at), name, weighted(entry, period, weights))
            for period in PERIODS for name in scopes]


def totals(entries: Iterable[LedgerEntry], weights: Weights,
           award_times: Mapping[int, datetime] | None = None) -> dict[tuple[str, str, str, int], int]:
    """Return the derived totals keyed (period, period key, scope, user) — what a stored table must hold.

    ``award_times`` gives the time of awards reversed by these entries but not among them.
    """
    entries = list(entries)
    times = {**(award_times or {}), **{e.id: e.at for e in entries if e.id is not None}}
    out: dict[tuple[str, str, str, int], int] = defaultdict(int)
    for entry in entries:
        counted = times.get(entry.reverses_id) if entry.reverses_id is not None else None
        for period, key, name, points in contributions(entry, weights, counted):
            out[(period, key, name, entry.user_id)] += points
    return dict(out)


def ranked(points_by_user: Mapping[int, int], limit: int | None = None) -> list[Row]:
    """Return leaderboard rows, most points first; ties share a place (1, 2, 2, 4)."""
    order = sorted(points_by_user.items(), key=lambda item: (-item[1], item[0]))
    rows, place = [], 0
    for index, (user_id, points) in enumerate(order[:limit] if limit else order):
        if index == 0 or points != rows[-1].points:
            place = index + 1
        rows.append(Row(place=place, user_id=user_id, points=points))
    return rows


def leaderboard(entries: Iterable[LedgerEntry], period: str, now: datetime, weights: Weights,
                topic: str | None = None, language: str | None = None, limit: int | None = None) -> list[Row]:
    """Return a leaderboard computed straight from the ledger (the reference for any stored totals)."""
    key, board = period_key(period, now), scope(topic, language)
    found = totals(entries, weights)
    return ranked({user: pts for (p, k, s, user), pts in found.items() if (p, k, s) == (period, key, board)},
                  limit)
