"""The routing engine: value → rules → priority and SLA → candidates, as one Decision with its explanation."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from community.domain.model import Decision, Target
from community.domain.route_defaults import TopicRoute, default_table
from community.domain.routing.facts import RoutingFacts
from community.domain.routing.matching import Need, SuperUserProfile
from community.domain.routing.pool import CandidatePool, rank
from community.domain.routing.rules import RuleBook
from community.domain.routing.sla import SlaPolicy
from community.domain.routing.value import RollingQuantile, ValueModel


@dataclass
class RoutingEngine:
    """Pure routing: give it facts, super-user profiles and the time; it returns an explained Decision."""

    rules: RuleBook
    sla: SlaPolicy
    value: ValueModel
    quantile: RollingQuantile
    staff_share: float = 0.30
    top_n: int = 3
    hourly_cap: int = 0
    topic_routes: Mapping[str, TopicRoute] = field(default_factory=default_table)

    def decide(self, facts: RoutingFacts, profiles: Iterable[SuperUserProfile] | CandidatePool, now: datetime, *,
               learn: bool = True, author: str = "") -> Decision:
        """Route one item; ``learn`` adds its value to the rolling window (off for dry runs)."""
        route = self.topic_routes.get(facts.topic)
        value, parts = self.value.estimate(facts)
        threshold = self.quantile.threshold(self.staff_share)
        facts = facts.completed(route=str(route.target) if route else str(Target.COMMUNITY),
                                queue=route.queue if route else "community", value=value, threshold=threshold)
        if learn:
            self.quantile.add(value)
        match = self.rules.evaluate(facts)
        action = match.rule.action
        target, queue = action.destination(facts)
        priority = action.priority_for(facts.urgency_level)
        sla_target, sla_key = self.sla.target_for(target, queue, priority)
        minutes = action.sla_minutes or sla_target.first_response_minutes
        lines = [_inputs_line(facts), _value_line(value, parts, threshold, self.staff_share, len(self.quantile)),
                 *match.trace,
                 f"decision: {target} / {queue}"
                 + (" (from the topic table)" if action.target is None else "") + f", priority {priority}"
                 + (f" (raised from {action.priority} by urgency)" if action.priority and action.priority != priority
                    else ""),
                 f"SLA: first response within {minutes} min"
                 + (" (set by the rule)" if action.sla_minutes else f" (target for {sla_key})")]
        candidates: tuple[dict, ...] = ()
        if target == Target.COMMUNITY:
            need = Need(facts.topic, facts.language, action.skills, staff_only=False, author=author)
            verdicts, counts = rank(need, profiles, now, top_n=self.top_n, hourly_cap=self.hourly_cap)
            candidates = tuple(v.as_dict() for v in verdicts)
            chosen = [v.name for v in verdicts if v.chosen]
            others = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()) if k != "eligible") or "none"
            lines.append(f"candidates: {counts['eligible']} eligible, offered to {', '.join(chosen) or 'nobody'}; "
                         f"excluded: {others}")
        else:
            lines.append(f"candidates: none — {target} items are never offered to super-users")
        return Decision(target, queue, priority, match.rule.name, tuple(lines), candidates, minutes,
                        action.tags, action.skills)


def _inputs_line(f: RoutingFacts) -> str:
    author = f.author
    who = (f"author {author.handle or '?'} (known customer: {'yes' if author.known_customer else 'no'}, "
           f"super-user: {'yes' if author.superuser else 'no'}, reach {author.reach})")
    return (f"inputs: topic {f.topic} (confidence {f.topic_confidence:.2f}, {f.topic_source}), "
            f"urgency {f.urgency_level} ({f.urgency_score}), sentiment {f.sentiment_label} "
            f"({f.sentiment_score:+.2f}), language {f.language}, source {f.source or '?'}, "
            f"queries {list(f.queries) or 'none'}, {who}, engagement {f.engagement}")


def _value_line(value: float, parts: dict, threshold: float | None, share: float, seen: int) -> str:
    detail = " + ".join(f"{name} {part:.2f}" for name, part in parts.items())
    if threshold is None:
        verdict = f"value split warming up ({seen} items seen)"
    elif value > threshold:
        verdict = f"above {threshold:.2f}: in the top {share:.0%} by value"
    else:
        verdict = f"not above {threshold:.2f} (top {share:.0%} by value)"
    return f"value {value:.2f} = {detail}; {verdict}"
