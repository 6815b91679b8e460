"""Points rules as data plus pure functions: which activity earns how much, within the daily caps."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from community.domain.gamification.antigaming import AntiGaming, refusal
from community.domain.gamification.ledger import LedgerEntry, open_awards, reversal

# Activity kind → the rule that pays for it.
RULE_OF_KIND = {
    "answer": "answer",
    "accepted": "accepted_answer",
    "fast_response": "fast_response",
    "hand_on": "hand_on",
    "kb_article": "kb_article",
    "helpful_vote": "helpful_vote",
}
# Activity kinds that take points back, and which rules they reverse (None = every rule on the thread).
REVERSES = {
    "rejected": frozenset({"answer", "accepted_answer", "fast_response"}),
    "spam": None,
}


@dataclass(frozen=True, slots=True)
class PointsRule:
    """Points one rule pays and the most a user may earn from it per day (None = no cap)."""

    name: str
    points: int
    daily_cap: int | None = None


@dataclass(frozen=True, slots=True)
class PointsTable:
    """Every points rule, the per-user daily cap and the anti-gaming limits."""

    rules: Mapping[str, PointsRule]
    user_daily_cap: int | None = None
    antigaming: AntiGaming = field(default_factory=AntiGaming)


@dataclass(frozen=True, slots=True)
class Activity:
    """Something a user did that the rules may pay for (or that takes points back)."""

    kind: str
    user_id: int
    at: datetime
    thread_id: int | None = None
    article_id: int | None = None
    topic: str | None = None
    language: str | None = None
    actor_id: int | None = None
    thread_author_ids: frozenset[int] = frozenset()
    length: int = 0
    fingerprint: tuple[int, ...] = ()
    claim_releases: int = 0
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Scored:
    """The ledger entries an activity produces, or why it earned nothing."""

    entries: tuple[LedgerEntry, ...] = ()
    refused: str | None = None


def _earned_today(history: Iterable[LedgerEntry], user_id: int, at: datetime, rule: str | None) -> int:
    day = at.date()
    return sum(e.points for e in history
               if e.user_id == user_id and e.points > 0 and e.reverses_id is None and e.earned
               and e.at.date() == day and (rule is None or e.rule == rule))


def capped(rule: PointsRule, table: PointsTable, activity: Activity,
           history: Iterable[LedgerEntry]) -> tuple[int, str]:
    """Return the points an award may still pay today (UTC day) under the rule's and the user's caps."""
    history = list(history)
    points, note = rule.points, ""
    if rule.daily_cap is not None:
        left = rule.daily_cap - _earned_today(history, activity.user_id, activity.at, rule.name)
        if left < points:
            points, note = max(0, left), f" (daily cap of {rule.daily_cap} for {rule.name} reached)"
    if table.user_daily_cap is not None:
        left = table.user_daily_cap - _earned_today(history, activity.user_id, activity.at, None)
        if left < points:
            points, note = max(0, left), f" (daily cap of {table.user_daily_cap} points reached)"
    return points, note


def _reason(activity: Activity, rule: str) -> str:
    where = f" on thread {activity.thread_id}" if activity.thread_id is not None else ""
    if activity.article_id is not None:
        where += f" (article {activity.article_id})"
    return f"{rule.replace('_', ' ')}{where}"


def score(activity: Activity, table: PointsTable, history: Iterable[LedgerEntry],
          earlier_fingerprints: Iterable[tuple[int, ...]] = ()) -> Scored:
    """Return the entries an activity adds to the ledger; history = the user's and the thread's entries."""
    history = list(history)
    if activity.kind in REVERSES:
        return _reverse(activity, history)
    rule_name = RULE_OF_KIND.get(activity.kind)
    rule = table.rules.get(rule_name) if rule_name else None
    if rule is None:
        return Scored(refused=f"no points rule for {activity.kind!r}")
    why = refusal(activity, table.antigaming, earlier_fingerprints)
    if why:
        return Scored(refused=why)
    points, note = capped(rule, table, activity, history)
    entry = LedgerEntry(user_id=activity.user_id, at=activity.at, rule=rule.name, points=points,
                        reason=_reason(activity, rule.name) + note, thread_id=activity.thread_id,
                        article_id=activity.article_id, topic=activity.topic, language=activity.language,
                        activity_id=activity.id)
    return Scored(entries=(entry,))


def _reverse(activity: Activity, history: list[LedgerEntry]) -> Scored:
    rules = REVERSES[activity.kind]
    user = activity.user_id if activity.kind == "rejected" else None
    targets = open_awards(history, thread_id=activity.thread_id, user_id=user, rules=rules)
    why = "answer rejected" if activity.kind == "rejected" else "thread dismissed as spam"
    return Scored(entries=tuple(reversal(e, activity.at, f"reversed ({why}): {e.reason}", activity.id)
                                for e in targets))
