"""Routing rules: ordered, first match wins, with a default; every evaluation leaves a readable trace."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from community.domain.errors import ValidationError
from community.domain.model import Target
from community.domain.routing.conditions import Condition, parse_condition
from community.domain.routing.facts import RoutingFacts

PRIORITIES = ("critical", "high", "normal", "low")
ACTION_KEYS = frozenset({"target", "queue", "priority", "sla_minutes", "skills", "tags"})


def priority_rank(priority: str) -> int:
    """Return 0 for critical … 3 for low (unknown levels count as normal)."""
    return PRIORITIES.index(priority) if priority in PRIORITIES else 2


@dataclass(frozen=True, slots=True)
class Action:
    """What a matching rule decides: target, queue/team, priority floor, SLA, required skills, tags.

    ``target = "topic"`` takes target and queue from the topic table (``[topics.<name>] route/queue``).
    """

    target: Target | None
    queue: str = ""
    priority: str | None = None
    sla_minutes: int | None = None
    skills: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @classmethod
    def parse(cls, table: Mapping, rule: str) -> Action:
        """Build an action from a rule's ``then`` table, naming the rule in any error."""
        unknown = set(table) - ACTION_KEYS
        if unknown:
            raise ValidationError(f"rule {rule!r}: unknown action {sorted(unknown)}; known: {sorted(ACTION_KEYS)}")
        try:
            target = None if table.get("target") == "topic" else Target(table.get("target", ""))
        except ValueError:
            raise ValidationError(f"rule {rule!r}: target must be community, staff, triage or topic") from None
        priority = table.get("priority")
        if priority is not None and priority not in PRIORITIES:
            raise ValidationError(f"rule {rule!r}: priority must be one of {', '.join(PRIORITIES)}")
        sla = table.get("sla_minutes")
        if sla is not None and (isinstance(sla, bool) or not isinstance(sla, int) or sla < 1):
            raise ValidationError(f"rule {rule!r}: sla_minutes must be a positive whole number")
        return cls(target, str(table.get("queue") or target or ""), priority, sla,
                   tuple(table.get("skills", ())), tuple(table.get("tags", ())))

    def destination(self, facts: RoutingFacts) -> tuple[Target, str]:
        """Return target and queue, resolving ``target = "topic"`` through the facts' topic route."""
        if self.target is not None:
            return self.target, self.queue
        target = Target(facts.topic_route or Target.COMMUNITY)
        return target, self.queue or facts.topic_queue or str(target)

    def priority_for(self, urgency_level: str) -> str:
        """Return the rule's priority, raised to the item's urgency when that is higher."""
        urgency = urgency_level if urgency_level in PRIORITIES else "normal"
        if self.priority is None:
            return urgency
        return min(self.priority, urgency, key=priority_rank)


@dataclass(frozen=True, slots=True)
class Rule:
    """A named rule: all conditions must hold (an empty list always matches)."""

    name: str
    conditions: tuple[Condition, ...]
    action: Action
    description: str = ""

    @classmethod
    def parse(cls, name: str, when: Mapping, then: Mapping, description: str = "") -> Rule:
        """Build a rule from settings tables; errors name the rule and the key."""
        if not name:
            raise ValidationError("every routing rule needs a name")
        try:
            conditions = tuple(parse_condition(key, value) for key, value in when.items())
        except ValidationError as exc:
            raise ValidationError(f"rule {name!r}: {exc}") from None
        return cls(name, conditions, Action.parse(then, name), description)

    def first_miss(self, facts: RoutingFacts) -> str | None:
        """Return why the rule does not match (the first failing condition), or None when it matches."""
        for condition in self.conditions:
            reason = condition.test(facts)
            if reason is not None:
                return reason
        return None


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """The rule that fired and the trace of every rule looked at before it."""

    rule: Rule
    trace: tuple[str, ...]


class RuleBook:
    """An ordered list of rules ending in an unconditional default."""

    def __init__(self, rules: Iterable[Rule], default: Action | None = None) -> None:
        self.rules = tuple(rules)
        names = [r.name for r in self.rules]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValidationError(f"routing rule names must be unique, repeated: {', '.join(repeated)}")
        if not self.rules or self.rules[-1].conditions:
            fallback = default or Action(Target.COMMUNITY, "community")
            self.rules += (Rule("default", (), fallback, "nothing more specific matched"),)

    @classmethod
    def from_tables(cls, tables: Iterable[Mapping]) -> RuleBook:
        """Build a rule book from ``[[routing.rules]]`` tables (name, when, then, description)."""
        return cls(Rule.parse(t.get("name", ""), t.get("when", {}), t.get("then", {}), t.get("description", ""))
                   for t in tables)

    def evaluate(self, facts: RoutingFacts) -> RuleMatch:
        """Return the first rule that matches, with why each earlier rule did not."""
        trace: list[str] = []
        for rule in self.rules:
            miss = rule.first_miss(facts)
            if miss is None:
                held = ", ".join(c.describe(facts) for c in rule.conditions) or "no conditions (default)"
                trace.append(f"rule '{rule.name}' fired: {held}")
                return RuleMatch(rule, tuple(trace))
            trace.append(f"rule '{rule.name}' skipped: {miss}")
        raise AssertionError("the default rule always matches")  # pragma: no cover
