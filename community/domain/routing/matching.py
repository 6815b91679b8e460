"""Rank super-users for a thread: expertise × language × availability × free capacity × track record, then fairness."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from community.domain.routing.availability import Availability

NEVER = datetime(1970, 1, 1, tzinfo=UTC)
SCORE_BAND = 0.05  # scores this close count as equal, so fairness decides between them


@dataclass(frozen=True, slots=True)
class TrackRecord:
    """How a super-user has done so far."""

    answers: int = 0
    accepted_rate: float = 0.0
    median_response_minutes: float | None = None

    def factor(self) -> float:
        """Return 0.5..1.0: newcomers get a fair 0.75, then acceptance and speed count."""
        if self.answers < 5:
            return 0.75
        speed = 1.0 if not self.median_response_minutes else min(1.0, max(0.5, 30 / self.median_response_minutes))
        return (0.5 + 0.5 * max(0.0, min(1.0, self.accepted_rate))) * (0.5 + 0.5 * speed)


@dataclass(slots=True)
class SuperUserProfile:
    """What matching needs to know about one super-user, including current load."""

    user_id: int
    name: str
    languages: frozenset[str]
    expertise: dict[str, int]
    availability: Availability
    capacity: int = 3
    active: bool = True
    track: TrackRecord = field(default_factory=TrackRecord)
    open_claims: int = 0
    open_offers: int = 0
    assignments_last_hour: int = 0
    last_offered: datetime | None = None
    _checked: tuple = field(default=(None, True), repr=False, compare=False)

    def available(self, now: datetime) -> bool:
        """Tell whether ``now`` is inside the user's windows (memoised per minute: ranking asks often)."""
        minute = now.replace(second=0, microsecond=0)
        if self._checked[0] != minute:
            self._checked = (minute, self.availability.is_available(minute))
        return self._checked[1]

    @property
    def load(self) -> int:
        """Return claims plus outstanding offers (what capacity limits)."""
        return self.open_claims + self.open_offers


@dataclass(frozen=True, slots=True)
class Need:
    """What a thread asks of its answerer."""

    topic: str
    language: str
    skills: tuple[str, ...] = ()
    staff_only: bool = False
    author: str = ""


@dataclass(frozen=True, slots=True)
class Verdict:
    """One candidate and why they were (not) chosen."""

    user_id: int
    name: str
    score: float
    chosen: bool
    reason: str

    def as_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return {"user_id": self.user_id, "name": self.name, "score": round(self.score, 3),
                "chosen": self.chosen, "reason": self.reason}


def exclusion(profile: SuperUserProfile, need: Need, hourly_cap: int) -> str | None:
    """Return why an active, available super-user who speaks the language still cannot be offered this thread."""
    if need.author and profile.name == need.author:
        return "wrote the post"
    missing = [s for s in need.skills if profile.expertise.get(s, 0) <= 0]
    if missing:
        return f"lacks required skills {missing}"
    if profile.load >= profile.capacity:
        return f"at capacity ({profile.load}/{profile.capacity})"
    if hourly_cap and profile.assignments_last_hour >= hourly_cap:
        return f"fairness cap reached ({profile.assignments_last_hour} assignments in the last hour)"
    return None


def expertise_factor(level: int) -> float:
    """Return 1/6 (no expertise) … 1.0 (level 5)."""
    return (1 + (5 if level > 5 else level if level > 0 else 0)) / 6


def why_verdict(p: SuperUserProfile, need: Need, s: float, track: float, chosen: bool) -> str:
    """Return the reason text of a ranked (offered or runner-up) candidate."""
    level = p.expertise.get(need.topic, 0)
    offered = p.last_offered.isoformat(timespec="minutes") if p.last_offered else "never"
    detail = (f"score {s:.2f}: expertise {need.topic} {level}/5, load {p.load}/{p.capacity}, "
              f"track {track:.2f}, last offered {offered}")
    return f"offered ({detail})" if chosen else f"ranked lower ({detail})"
