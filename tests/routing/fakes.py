"""Builders and fakes shared by the routing tests."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from community.domain.routing.availability import Availability
from community.domain.routing.defaults import DEFAULT_TOPIC_WEIGHTS, INTENT_KEYWORDS, default_rules
from community.domain.routing.engine import RoutingEngine
from community.domain.routing.facts import RoutingFacts
from community.domain.routing.matching import SuperUserProfile, TrackRecord
from community.domain.routing.rules import RuleBook
from community.domain.routing.sla import SlaPolicy, SlaTarget
from community.domain.routing.value import RollingQuantile, ValueModel

# A Thursday, 13:00 in Berlin
NOON = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

POLICY = SlaPolicy({"critical": SlaTarget(15, 240), "high": SlaTarget(60, 480), "normal": SlaTarget(240, 1440),
                    "low": SlaTarget(1440, 4320)})


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, now: datetime = NOON) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta) -> None:
        self.current += timedelta(**delta)


def facts(**kw) -> RoutingFacts:
    """Return routing facts with confident defaults for a German usage question."""
    base = {"text": "Wie koppele ich die Buds?", "topic": "usage", "topic_confidence": 0.9, "language": "de",
            "source": "forum"}
    base.update(kw)
    return RoutingFacts(**base)


def profile(user_id: int, *, languages=("de", "en"), expertise=None, windows=(), tz="Europe/Berlin", capacity=3,
            active=True, track=None, open_claims=0, open_offers=0, last_offered=None, hourly=0) -> SuperUserProfile:
    """Return a super-user profile."""
    return SuperUserProfile(user_id, f"fan{user_id}", frozenset(languages), dict(expertise or {"usage": 3}),
                            Availability.parse(tz, windows), capacity, active, track or TrackRecord(),
                            open_claims, open_offers, hourly, last_offered)


def engine(rules=None, *, share=0.3, min_samples=20, top_n=3, hourly_cap=0) -> RoutingEngine:
    """Return an engine over the default (or given) rules."""
    book = RuleBook.from_tables(rules if rules is not None else default_rules())
    model = ValueModel(DEFAULT_TOPIC_WEIGHTS, intent_keywords=INTENT_KEYWORDS)
    return RoutingEngine(book, POLICY, model, RollingQuantile(200, min_samples), share, top_n, hourly_cap)
