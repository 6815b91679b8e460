"""Settings of routing, claims, reviews and SLAs (issue: routing and the work on a thread)."""
from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator, model_validator

from community.domain.errors import ValidationError as DomainValidationError
from community.domain.routing.defaults import DEFAULT_TOPIC_WEIGHTS, INTENT_KEYWORDS, default_rules
from community.domain.routing.rules import RuleBook
from superfan.settings.base import Section


class RuleSettings(Section):
    name: str = Field(min_length=1, description="Unique name of the rule; shown in every decision it makes.")
    description: str = Field("", description="Why the rule exists (shown in the explanation view).")
    when: dict[str, Any] = Field(default_factory=dict, description="Conditions that must all hold (empty = always); see settings.toml for the keys.")
    then: dict[str, Any] = Field(description="Actions: target, queue, priority, sla_minutes, skills, tags.")


class ValueSettings(Section):
    topic_weights: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_TOPIC_WEIGHTS), description="Value signal per topic (0..1).")
    default_topic_weight: float = Field(0.3, ge=0, le=1, description="Value signal of a topic missing from topic_weights.")
    topic: float = Field(1.0, ge=0, description="Weight of the topic signal.")
    reach: float = Field(1.0, ge=0, description="Weight of the author's reach (log-scaled followers/karma).")
    intent: float = Field(1.0, ge=0, description="Weight of purchase intent (any intent keyword in the text).")
    engagement: float = Field(0.5, ge=0, description="Weight of thread engagement (log-scaled replies and score).")
    intent_keywords: list[str] = Field(default_factory=lambda: list(INTENT_KEYWORDS), description="Keywords that signal purchase intent (trailing * = prefix).")
    window: int = Field(1000, ge=10, le=100_000, description="How many recent items the rolling value quantile looks at.")
    min_samples: int = Field(50, ge=1, description="Items needed before the value split starts (until then nobody is 'high value').")


class ReviewSettings(Section):
    applies_to: str = Field(pattern=r"^(topic|target):[a-z0-9_-]+$", description="Where the policy applies: 'topic:<name>' or 'target:<name>' (topic wins).")
    peer_reviews: int = Field(0, ge=0, le=10, description="Approvals by other super-users needed before an answer is published.")
    staff_approval: bool = Field(False, description="Whether a staff member must approve the answer too.")


class RoutingSettings(Section):
    claim_lease_minutes: int = Field(30, ge=1, le=1440, description="How long a claim lasts before the thread returns to the pool (renewable).")
    staff_share: float = Field(0.30, ge=0.0, le=1.0, description="Share of the highest-value items that go to staff even when the topic suits the community.")
    offer_top_n: int = Field(3, ge=1, le=50, description="How many super-users are offered a community thread at first.")
    reoffer_more: int = Field(3, ge=1, le=50, description="How many more super-users each re-offer reaches.")
    offer_minutes: int = Field(20, ge=1, le=1440, description="How long an offer stands (it counts against the user's capacity meanwhile).")
    hourly_cap: int = Field(6, ge=0, le=1000, description="Fairness cap: claims per super-user per hour (0 = no cap).")
    value: ValueSettings = Field(default_factory=ValueSettings, description="Value estimate and the rolling quantile behind staff_share.")
    review: list[ReviewSettings] = Field(default_factory=list, description="Review-before-publishing policies per topic or target.")
    rules: list[RuleSettings] = Field(default_factory=lambda: [RuleSettings(**r) for r in default_rules()], description="Routing rules, evaluated in order; the first match wins; a final rule without conditions is the default.")

    @model_validator(mode="after")
    def _rules_compile(self) -> RoutingSettings:
        try:
            RuleBook.from_tables(r.model_dump() for r in self.rules)
        except DomainValidationError as exc:
            raise ValueError(str(exc)) from None
        return self


class SlaOverride(Section):
    first_response_minutes: int = Field(ge=1, description="First-response target in minutes.")
    resolution_minutes: int = Field(ge=1, description="Resolution target in minutes.")


class SlaSettings(Section):
    critical_minutes: int = Field(15, ge=1, description="First-response target for critical items.")
    high_minutes: int = Field(60, ge=1, description="First-response target for high-priority items.")
    normal_minutes: int = Field(240, ge=1, description="First-response target for normal items.")
    low_minutes: int = Field(1440, ge=1, description="First-response target for low-priority items.")
    critical_resolution_minutes: int = Field(240, ge=1, description="Resolution target for critical items.")
    high_resolution_minutes: int = Field(480, ge=1, description="Resolution target for high-priority items.")
    normal_resolution_minutes: int = Field(1440, ge=1, description="Resolution target for normal items.")
    low_resolution_minutes: int = Field(4320, ge=1, description="Resolution target for low-priority items.")
    at_risk_fraction: float = Field(0.75, gt=0, le=1, description="Share of the first-response time after which an unclaimed community item is handed to staff.")
    reoffer_after_minutes: int = Field(10, ge=1, description="Minutes an unclaimed community item waits before it is offered to more super-users.")
    check_every_minutes: int = Field(1, ge=1, le=60, description="How often the escalation job runs in the scheduler.")
    overrides: dict[str, SlaOverride] = Field(default_factory=dict, description="Targets per 'target', 'target/queue', 'target/*/priority' or 'target/queue/priority'.")

    @field_validator("overrides")
    @classmethod
    def _override_keys(cls, value: dict) -> dict:
        for key in value:
            parts = key.split("/")
            if parts[0] not in ("community", "staff", "triage") or len(parts) > 3:
                raise ValueError(f"override {key!r}: expected 'target', 'target/queue' or 'target/queue/priority'")
        return value

    def minutes_for(self, priority: str) -> int:
        """Return the first-response target in minutes for a priority."""
        return getattr(self, f"{priority}_minutes", self.normal_minutes)

