"""Anti-gaming checks: an activity that breaks one earns nothing, and the reason is kept."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from community.domain.gamification.similarity import similarity

if TYPE_CHECKING:
    from community.domain.gamification.points import Activity

_ANSWERING = frozenset({"answer", "accepted", "fast_response", "hand_on"})
_REVIEWED = frozenset({"accepted", "helpful_vote"})
_CLAIMING = frozenset({"answer", "fast_response", "hand_on"})


@dataclass(frozen=True, slots=True)
class AntiGaming:
    """Limits below or above which an activity earns no points."""

    min_answer_chars: int = 40
    near_copy_similarity: float = 0.8
    max_claim_releases: int = 2


def refusal(activity: Activity, limits: AntiGaming, earlier_fingerprints: Iterable[tuple[int, ...]]) -> str | None:
    """Return why an activity must not earn points, or None when it may."""
    if activity.kind in _ANSWERING and activity.user_id in activity.thread_author_ids:
        return "answering one's own post earns no points"
    if activity.kind in _REVIEWED and activity.actor_id == activity.user_id:
        return "reviewing one's own answer earns no points"
    if activity.kind in _CLAIMING and activity.claim_releases >= limits.max_claim_releases:
        return f"claim-and-release loop ({activity.claim_releases} releases of this thread)"
    if activity.kind == "answer":
        if activity.length < limits.min_answer_chars:
            return f"answer under {limits.min_answer_chars} characters"
        for earlier in earlier_fingerprints:
            if similarity(activity.fingerprint, earlier) >= limits.near_copy_similarity:
                return "near-copy of an earlier answer by the same user"
    return None
