"""The default topic → community/staff table from the design (the rules engine's `target = "topic"`)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from community.domain.model import Target

QUEUES = {"payment": "billing", "cancellation": "retention", "technical": "tech", "defect": "tech",
          "shipping": "logistics", "returns": "logistics", "account": "accounts"}


@dataclass(frozen=True, slots=True)
class TopicRoute:
    """Where one topic goes by default."""

    target: Target
    queue: str


def default_table(overrides: Mapping[str, TopicRoute] | None = None) -> dict[str, TopicRoute]:
    """Return the design's default table, with per-topic overrides from settings applied."""
    table = {topic: TopicRoute(Target.STAFF, queue) for topic, queue in QUEUES.items()}
    table.update(overrides or {})
    return table
