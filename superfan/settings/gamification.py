"""Settings of the super-user programme: points, caps, anti-gaming, badges, ranks, decay, rewards, discovery."""
from __future__ import annotations

from datetime import time
from typing import Literal

from pydantic import Field, field_validator

from community.domain.gamification.antigaming import AntiGaming
from community.domain.gamification.badges import TIERS, BadgeDef, NightHours
from community.domain.gamification.discovery import DiscoveryWeights
from community.domain.gamification.points import RULE_OF_KIND, PointsRule, PointsTable
from community.domain.gamification.programme import Programme
from community.domain.gamification.ranks import Decay, Rank
from community.domain.gamification.rewards import KINDS, Reward
from superfan.settings.base import Section

RULES = tuple(RULE_OF_KIND.values())


class PointsRuleSettings(Section):
    points: int = Field(ge=0, le=10_000, description="Points the rule pays each time.")
    daily_cap: int = Field(0, ge=0, description="Most points one user may earn from this rule per UTC day (0 = no cap).")


def _default_points() -> dict[str, PointsRuleSettings]:
    pays = {"answer": (10, 60), "accepted_answer": (25, 100), "fast_response": (5, 25), "hand_on": (5, 20),
            "kb_article": (30, 90), "helpful_vote": (2, 20)}
    return {name: PointsRuleSettings(points=p, daily_cap=c) for name, (p, c) in pays.items()}


class BadgeSettings(Section):
    title: str = Field(description="Name shown on profiles.")
    description: str = Field("", description="What the badge is for.")
    counter: str = Field(description="Counter the badge watches: a points rule, night_answers, streak_days or points.")
    tiers: dict[Literal["bronze", "silver", "gold"], int] = Field(description="Threshold of the counter per tier.")
    per_topic: bool = Field(False, description="Earned separately in each topic (e.g. expert in a topic).")

    @field_validator("counter")
    @classmethod
    def _known_counter(cls, value: str) -> str:
        if value not in RULES + ("night_answers", "streak_days", "points"):
            raise ValueError(f"unknown counter; expected one of {', '.join(RULES)}, night_answers, streak_days, points")
        return value


class RankSettings(Section):
    name: str = Field(description="Name of the rank.")
    min_points: int = Field(ge=0, description="Effective (decayed) points needed.")
    claim_capacity: int = Field(3, ge=1, le=50, description="Open claims a super-user of this rank may hold.")
    max_topics: int = Field(3, ge=0, description="Topics a super-user of this rank may take (0 = all).")
    can_mentor: bool = Field(False, description="May mentor new super-users.")


class DecaySettings(Section):
    grace_days: int = Field(30, ge=0, description="Days without earning before rank points start to fade.")
    half_life_days: int = Field(60, ge=1, description="Days in which faded rank points halve after the grace period.")
    floor: float = Field(0.25, ge=0.0, le=1.0, description="Share of rank points never lost to inactivity.")


class RewardSettings(Section):
    name: str = Field(description="Name of the perk (unique).")
    kind: Literal["product_test", "discount", "event_invitation", "merchandise", "other"] = Field(
        "other", description="Kind of perk: " + ", ".join(KINDS) + ".")
    price: int = Field(ge=1, description="Price in points.")
    stock: int = Field(ge=0, description="How many can be given out (synced into the catalogue when created).")
    description: str = Field("", description="What the super-user gets.")


class DiscoverySettings(Section):
    activity: float = Field(1.0, ge=0, description="Weight of how much an author posts (log of the count).")
    replies: float = Field(2.0, ge=0, description="Weight of replies to other people's questions (log of the count).")
    sentiment: float = Field(1.0, ge=0, description="Weight of the author's mean sentiment score (-1..1).")
    topics: float = Field(0.5, ge=0, description="Weight per distinct topic the author covers.")
    reach: float = Field(0.5, ge=0, description="Weight of the author's reach (log10 of followers/karma).")
    recency: float = Field(1.5, ge=0, description="Weight of how recently the author posted.")
    recency_half_life_days: float = Field(30.0, gt=0, description="Days after which the recency signal halves.")
    min_posts: int = Field(2, ge=1, description="Fewest posts that make an author a candidate.")
    min_replies: int = Field(1, ge=0, description="Fewest replies to others that make an author a candidate.")
    evidence: int = Field(3, ge=1, le=10, description="How many of the best posts are linked as evidence.")


class GamificationSettings(Section):
    points: dict[str, PointsRuleSettings] = Field(default_factory=_default_points, description="Points rules by name.")
    user_daily_cap: int = Field(200, ge=0, description="Most points one user may earn per UTC day over all rules (0 = no cap).")
    min_answer_chars: int = Field(40, ge=0, description="Answers shorter than this earn no points.")
    near_copy_similarity: float = Field(0.8, gt=0, le=1, description="Similarity to an earlier answer of the same user from which an answer earns nothing.")
    max_claim_releases: int = Field(2, ge=1, description="Releases of the same thread from which its answer or hand-on earns nothing.")
    night_start_hour: int = Field(22, ge=0, le=23, description="Local hour at which the night-owl counter starts.")
    night_end_hour: int = Field(5, ge=0, le=23, description="Local hour at which the night-owl counter stops.")
    leaderboard_weights: dict[Literal["week", "month", "all"], dict[str, float]] = Field(
        default_factory=dict, description="Per leaderboard period, a multiplier per points rule (missing = 1).")
    badges: dict[str, BadgeSettings] = Field(default_factory=dict, description="Badge definitions by name.")
    ranks: list[RankSettings] = Field(default_factory=lambda: [RankSettings(name="Newcomer", min_points=0)],
                                      min_length=1, description="Ranks, from points thresholds.")
    decay: DecaySettings = Field(default_factory=DecaySettings, description="How ranks fade with inactivity.")
    rewards: list[RewardSettings] = Field(default_factory=list, description="Rewards catalogue (created by `superfan rewards sync`).")
    discovery: DiscoverySettings = Field(default_factory=DiscoverySettings, description="Weights of super-user discovery.")

    @field_validator("points")
    @classmethod
    def _known_rules(cls, value: dict) -> dict:
        unknown = sorted(set(value) - set(RULES))
        if unknown:
            raise ValueError(f"unknown points rule {', '.join(unknown)}; expected {', '.join(RULES)}")
        return value

    @field_validator("leaderboard_weights")
    @classmethod
    def _known_weighted_rules(cls, value: dict) -> dict:
        unknown = sorted({rule for weights in value.values() for rule in weights} - set(RULES))
        if unknown:
            raise ValueError(f"unknown points rule {', '.join(unknown)}; expected {', '.join(RULES)}")
        return value

    def programme(self) -> Programme:
        """Return the programme's configuration as domain data."""
        table = PointsTable(
            rules={n: PointsRule(n, r.points, r.daily_cap or None) for n, r in self.points.items()},
            user_daily_cap=self.user_daily_cap or None,
            antigaming=AntiGaming(self.min_answer_chars, self.near_copy_similarity, self.max_claim_releases))
        badges = tuple(BadgeDef(name, b.counter, {t: b.tiers[t] for t in TIERS if t in b.tiers}, b.title,
                                b.description, b.per_topic) for name, b in self.badges.items())
        return Programme(
            points=table, badges=badges,
            ranks=tuple(Rank(r.name, r.min_points, r.claim_capacity, r.max_topics, r.can_mentor) for r in self.ranks),
            decay=Decay(self.decay.grace_days, self.decay.half_life_days, self.decay.floor),
            weights={k: dict(v) for k, v in self.leaderboard_weights.items()},
            night=NightHours(time(self.night_start_hour), time(self.night_end_hour)),
            discovery=DiscoveryWeights(**self.discovery.model_dump()),
            catalogue=tuple(Reward(None, r.name, r.price, r.stock, r.kind, r.description) for r in self.rewards))
