"""Settings of routing, claims and SLAs (issue: routing and the work on a thread)."""
from __future__ import annotations

from pydantic import Field

from superfan.settings.base import Section


class RoutingSettings(Section):
    claim_lease_minutes: int = Field(30, ge=1, le=1440, description="How long a claim lasts before the thread returns to the pool (renewable).")
    staff_share: float = Field(0.30, ge=0.0, le=1.0, description="Share of the highest-value items that go to staff even when the topic suits the community.")
    min_topic_confidence: float = Field(0.0, ge=0.0, le=1.0, description="Below this topic confidence an item goes to the manager's triage inbox.")


class SlaSettings(Section):
    critical_minutes: int = Field(15, ge=1, description="First-response target for critical items.")
    high_minutes: int = Field(60, ge=1, description="First-response target for high-priority items.")
    normal_minutes: int = Field(240, ge=1, description="First-response target for normal items.")
    low_minutes: int = Field(1440, ge=1, description="First-response target for low-priority items.")

    def minutes_for(self, priority: str) -> int:
        """Return the first-response target in minutes for a priority."""
        return getattr(self, f"{priority}_minutes", self.normal_minutes)
