"""The whole programme's configuration as plain data, built from settings by the composition root."""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

from community.domain.gamification.badges import BadgeDef, NightHours
from community.domain.gamification.discovery import DiscoveryWeights
from community.domain.gamification.leaderboard import Weights
from community.domain.gamification.points import PointsRule, PointsTable
from community.domain.gamification.ranks import Decay, Rank
from community.domain.gamification.rewards import Reward

_DEFAULT_RULES = {"answer": 10, "accepted_answer": 25, "fast_response": 5, "hand_on": 5, "kb_article": 30,
                  "helpful_vote": 2}


def _default_table() -> PointsTable:
    return PointsTable(rules={n: PointsRule(n, p) for n, p in _DEFAULT_RULES.items()})


@dataclass(frozen=True, slots=True)
class Programme:
    """Points table, badges, ranks, decay, leaderboard weights, night hours, discovery weights, catalogue."""

    points: PointsTable = field(default_factory=_default_table)
    badges: tuple[BadgeDef, ...] = ()
    ranks: tuple[Rank, ...] = (Rank("newcomer", 0),)
    decay: Decay = field(default_factory=Decay)
    weights: Weights = field(default_factory=lambda: MappingProxyType({}))
    night: NightHours = field(default_factory=NightHours)
    discovery: DiscoveryWeights = field(default_factory=DiscoveryWeights)
    catalogue: tuple[Reward, ...] = ()
