"""The append-only points ledger: awards, reversals and redemptions are entries; balances are sums."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

REDEMPTION = "redemption"


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One line of the ledger: who got (or lost) how many points, when, by which rule, and why."""

    user_id: int
    at: datetime
    rule: str
    points: int
    reason: str = ""
    thread_id: int | None = None
    article_id: int | None = None
    reverses_id: int | None = None
    topic: str | None = None
    language: str | None = None
    activity_id: int | None = None
    id: int | None = None

    @property
    def earned(self) -> bool:
        """Tell whether the entry counts for leaderboards and ranks (everything but spending points)."""
        return self.rule != REDEMPTION


def balance(entries: Iterable[LedgerEntry], user_id: int) -> int:
    """Return a user's balance: the sum of their entries."""
    return sum(e.points for e in entries if e.user_id == user_id)


def balances(entries: Iterable[LedgerEntry]) -> dict[int, int]:
    """Return every user's balance."""
    totals: dict[int, int] = defaultdict(int)
    for entry in entries:
        totals[entry.user_id] += entry.points
    return dict(totals)


def reversed_ids(entries: Iterable[LedgerEntry]) -> set[int]:
    """Return the ids of entries that a later entry reversed."""
    return {e.reverses_id for e in entries if e.reverses_id is not None}


def open_awards(entries: Iterable[LedgerEntry], *, thread_id: int | None = None,
                user_id: int | None = None, rules: Iterable[str] | None = None) -> list[LedgerEntry]:
    """Return the positive, not yet reversed entries matching a thread, a user and rules."""
    entries = list(entries)
    done = reversed_ids(entries)
    wanted = set(rules) if rules is not None else None
    return [e for e in entries
            if e.points > 0 and e.id is not None and e.id not in done and e.reverses_id is None
            and (thread_id is None or e.thread_id == thread_id)
            and (user_id is None or e.user_id == user_id)
            and (wanted is None or e.rule in wanted)]


def reversal(entry: LedgerEntry, at: datetime, reason: str, activity_id: int | None = None) -> LedgerEntry:
    """Return the entry that cancels an earlier award (same rule, opposite points, linked by id)."""
    if entry.id is None:
        raise ValueError("only a stored entry (with an id) can be reversed")
    return replace(entry, id=None, at=at, points=-entry.points, reason=reason, reverses_id=entry.id,
                   activity_id=activity_id)
