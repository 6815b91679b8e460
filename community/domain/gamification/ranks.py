"""Ranks from points thresholds, with the privileges they unlock, decaying with inactivity."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from community.domain.gamification.ledger import LedgerEntry


@dataclass(frozen=True, slots=True)
class Rank:
    """One step of the ladder: the points it needs and what it unlocks."""

    name: str
    min_points: int
    claim_capacity: int = 3
    max_topics: int = 3
    can_mentor: bool = False


@dataclass(frozen=True, slots=True)
class Decay:
    """How rank points fade without activity: untouched for grace_days, then halved every half_life_days."""

    grace_days: int = 30
    half_life_days: int = 60
    floor: float = 0.25


@dataclass(frozen=True, slots=True)
class Standing:
    """A user's rank now: earned and effective (decayed) points, the rank and the next one."""

    earned: int
    effective: int
    rank: Rank
    next_rank: Rank | None
    inactive_days: int

    @property
    def to_next(self) -> int | None:
        """Return the effective points still missing for the next rank."""
        return None if self.next_rank is None else self.next_rank.min_points - self.effective


def decay_factor(inactive_days: float, decay: Decay) -> float:
    """Return the share of rank points kept after this many days without earning."""
    if inactive_days <= decay.grace_days:
        return 1.0
    kept = 0.5 ** ((inactive_days - decay.grace_days) / max(decay.half_life_days, 1))
    return max(decay.floor, kept)


def rank_for(points: int, ranks: Sequence[Rank]) -> tuple[Rank, Rank | None]:
    """Return the highest rank the points reach and the rank after it."""
    ladder = sorted(ranks, key=lambda r: r.min_points)
    if not ladder:
        raise ValueError("at least one rank must be configured")
    current, following = ladder[0], None
    for index, rank in enumerate(ladder):
        if points >= rank.min_points:
            current = rank
            following = ladder[index + 1] if index + 1 < len(ladder) else None
    return current, following


def standing(entries: Iterable[LedgerEntry], user_id: int, ranks: Sequence[Rank], decay: Decay,
             now: datetime) -> Standing:
    """Return a user's standing from their earned points (spent points do not lower a rank)."""
    mine = [e for e in entries if e.user_id == user_id and e.earned]
    earned = sum(e.points for e in mine)
    active = [e.at for e in mine if e.points > 0]
    inactive = (now - max(active)).total_seconds() / 86400 if active else 0.0
    effective = int(earned * decay_factor(inactive, decay)) if earned > 0 else earned
    rank, following = rank_for(effective, ranks)
    return Standing(earned=earned, effective=effective, rank=rank, next_rank=following, inactive_days=int(inactive))
