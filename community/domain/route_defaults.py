"""The default topic → community/staff table from the design, as a pure routing function."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from community.domain.model import Analysis, Decision, Target

STAFF_TOPICS = frozenset({"payment", "shipping", "returns", "account", "cancellation", "technical", "defect"})
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


def route_by_topic(analysis: Analysis, table: Mapping[str, TopicRoute]) -> Decision:
    """Route by topic; critical urgency always goes to staff. Unknown topics go to the community."""
    route = table.get(analysis.topic)
    reasons = [f"topic '{analysis.topic}' ({analysis.topic_source}, confidence {analysis.topic_confidence:.2f})"]
    if analysis.urgency_level == "critical":
        reasons.append("critical urgency always goes to staff")
        return Decision(Target.STAFF, route.queue if route and route.target == Target.STAFF else "staff",
                        priority="critical", rule="critical-urgency", explanation=tuple(reasons))
    if route is None:
        reasons.append("topic suits the community (default)")
        return Decision(Target.COMMUNITY, "community", priority=analysis.urgency_level,
                        rule="default-community", explanation=tuple(reasons))
    reasons.append(f"topic table: {analysis.topic} → {route.target} / {route.queue}")
    return Decision(route.target, route.queue, priority=analysis.urgency_level, rule=f"topic:{analysis.topic}",
                    explanation=tuple(reasons))


class TopicTableRouter:
    """Router port implementation over the default topic table (the routing engine replaces it)."""

    def __init__(self, table: Mapping[str, TopicRoute], sla_minutes: Mapping[str, int]) -> None:
        self.table = dict(table)
        self.sla_minutes = dict(sla_minutes)

    def decide(self, post, analysis: Analysis) -> Decision:
        """Return the routing decision for one analysed post."""
        decision = route_by_topic(analysis, self.table)
        minutes = self.sla_minutes.get(decision.priority, self.sla_minutes.get("normal"))
        return Decision(decision.target, decision.queue, decision.priority, decision.rule, decision.explanation,
                        sla_first_response_minutes=minutes)
