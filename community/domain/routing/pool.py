"""A ranking pool over super-user profiles: availability and language indexes rebuilt once a minute, so ranking
one thread only looks at the people who could take it (10,000 decisions over 200 users in about a second)."""
from __future__ import annotations

import heapq
from collections.abc import Iterable
from datetime import datetime

from community.domain.routing.matching import (
    NEVER,
    SCORE_BAND,
    Need,
    SuperUserProfile,
    Verdict,
    exclusion,
    expertise_factor,
    why_verdict,
)

STAFF_ONLY = "staff-only item: never offered to super-users"


class CandidatePool:
    """Super-user profiles prepared for ranking; profiles stay live objects (their load may change)."""

    def __init__(self, profiles: Iterable[SuperUserProfile]) -> None:
        self.profiles = list(profiles)
        self._track = {p.user_id: p.track.factor() for p in self.profiles}
        self._minute: datetime | None = None

    def _refresh(self, now: datetime) -> None:
        minute = now.replace(second=0, microsecond=0)
        if minute == self._minute:
            return
        self._minute = minute
        self._paused, self._off, self._ready = [], [], []
        self._by_language: dict[str, list[SuperUserProfile]] = {}
        for p in self.profiles:
            if not p.active:
                self._paused.append(p)
            elif not p.availability.is_available(minute):
                self._off.append(p)
            else:
                self._ready.append(p)
                for language in p.languages:
                    self._by_language.setdefault(language, []).append(p)

    def rank(self, need: Need, now: datetime, *, top_n: int = 3, hourly_cap: int = 0,
             shown_not_chosen: int = 5) -> tuple[list[Verdict], dict[str, int]]:
        """Return verdicts (the chosen top N, the best runners-up, then excluded people) and reason counts.

        Order: score in bands of SCORE_BAND, then least recently offered (fairness), then user id.
        Excluded: paused, off hours (own time zone), language, author, skills, capacity (claims + open offers),
        fairness cap. Staff-only needs exclude everybody.
        """
        if need.staff_only:
            shown = [Verdict(p.user_id, p.name, 0.0, False, STAFF_ONLY) for p in self.profiles[:shown_not_chosen]]
            return shown, {"staff-only item": len(self.profiles), "eligible": 0}
        self._refresh(now)
        excluded: list[Verdict] = []
        counts: dict[str, int] = {}

        def exclude(p: SuperUserProfile, why: str) -> None:
            kind = why.split(" (")[0]
            counts[kind] = counts.get(kind, 0) + 1
            if len(excluded) < shown_not_chosen:
                excluded.append(Verdict(p.user_id, p.name, 0.0, False, why))

        for p in self._paused[:shown_not_chosen]:
            excluded.append(Verdict(p.user_id, p.name, 0.0, False, "paused"))
        for p in self._off[:shown_not_chosen - len(excluded)]:
            excluded.append(Verdict(p.user_id, p.name, 0.0, False, f"off hours ({p.availability.timezone})"))
        counts.update((k, n) for k, n in (("paused", len(self._paused)), ("off hours", len(self._off))) if n)
        if need.language == "other":
            speakers = self._ready
        else:
            speakers = self._by_language.get(need.language, [])
            if len(speakers) < len(self._ready):
                silent = f"does not speak {need.language!r}"
                counts[silent] = len(self._ready) - len(speakers)
                for p in self._ready:
                    if len(excluded) >= shown_not_chosen:
                        break
                    if need.language not in p.languages:
                        excluded.append(Verdict(p.user_id, p.name, 0.0, False, silent))
        # score = expertise × language × free capacity × track record; availability and language were filtered
        eligible = []
        topic, skills, author, track = need.topic, need.skills, need.author, self._track
        language = 0.5 if need.language == "other" else 1.0
        for p in speakers:
            load, capacity = p.open_claims + p.open_offers, p.capacity
            if (load >= capacity or (hourly_cap and p.assignments_last_hour >= hourly_cap)
                    or (author and p.name == author) or (skills and not all(p.expertise.get(k, 0) > 0 for k in skills))):
                exclude(p, exclusion(p, need, hourly_cap) or "excluded")
                continue
            t = track[p.user_id]
            s = expertise_factor(p.expertise.get(topic, 0)) * language * (0.5 + 0.5 * (capacity - load) / capacity) * t
            eligible.append((-int(s / SCORE_BAND), p.last_offered or NEVER, p.user_id, s, t, p))
        best = heapq.nsmallest(top_n + shown_not_chosen, eligible)  # user ids are unique: tuples never tie
        verdicts = [Verdict(p.user_id, p.name, s, i < top_n, why_verdict(p, need, s, t, i < top_n))
                    for i, (_band, _offered, _id, s, t, p) in enumerate(best)]
        counts["eligible"] = len(eligible)
        return verdicts + excluded[: max(0, shown_not_chosen - max(0, len(best) - top_n))], counts


def rank(need: Need, profiles: Iterable[SuperUserProfile] | CandidatePool, now: datetime, *, top_n: int = 3,
         hourly_cap: int = 0, shown_not_chosen: int = 5) -> tuple[list[Verdict], dict[str, int]]:
    """Rank super-users for a thread (a pool is reused as is; a list is wrapped in a fresh pool)."""
    pool = profiles if isinstance(profiles, CandidatePool) else CandidatePool(profiles)
    return pool.rank(need, now, top_n=top_n, hourly_cap=hourly_cap, shown_not_chosen=shown_not_chosen)
