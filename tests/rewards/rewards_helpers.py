"""Builders shared by the rewards tests: a points table, activities at an injected time, a ledger in memory."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from community.domain.gamification.antigaming import AntiGaming
from community.domain.gamification.ledger import LedgerEntry
from community.domain.gamification.points import Activity, PointsRule, PointsTable, score
from community.domain.gamification.similarity import fingerprint

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday morning
ANSWER_TEXT = ("Reset the router by holding the button on the back for ten seconds, then wait "
               "until the light turns green and log in again with the password on the sticker.")


def table(**caps: int) -> PointsTable:
    """Return the default points table; keyword arguments set a rule's daily cap, user= the user cap."""
    points = {"answer": 10, "accepted_answer": 25, "fast_response": 5, "hand_on": 5, "kb_article": 30,
              "helpful_vote": 2}
    rules = {name: PointsRule(name, pts, caps.get(name)) for name, pts in points.items()}
    return PointsTable(rules=rules, user_daily_cap=caps.get("user"), antigaming=AntiGaming())


def answer(user_id: int = 1, at: datetime = T0, thread_id: int = 100, text: str = ANSWER_TEXT, **kw) -> Activity:
    """Return an answer activity with its length and fingerprint."""
    return Activity(kind="answer", user_id=user_id, at=at, thread_id=thread_id, length=len(text),
                    fingerprint=fingerprint(text), **kw)


def unique_text(n: int) -> str:
    """Return an answer text that shares no three-word run with another n."""
    words = [f"w{n}x{i}" for i in range(12)]
    return "Here is how it works: " + " ".join(words)


class MemoryLedger:
    """A ledger in memory that scores activities like the service does (ids assigned on append)."""

    def __init__(self, points: PointsTable) -> None:
        self.points = points
        self.entries: list[LedgerEntry] = []
        self.answers: dict[int, list[tuple[int, ...]]] = {}

    def apply(self, activity: Activity):
        """Score one activity and append what it produced; return the Scored result."""
        history = [e for e in self.entries if e.user_id == activity.user_id or e.thread_id == activity.thread_id]
        scored = score(activity, self.points, history, self.answers.get(activity.user_id, []))
        if activity.kind == "answer":
            self.answers.setdefault(activity.user_id, []).append(activity.fingerprint)
        for entry in scored.entries:
            self.entries.append(replace(entry, id=len(self.entries) + 1))
        return scored


def later(minutes: int = 0, days: int = 0) -> datetime:
    """Return T0 shifted."""
    return T0 + timedelta(minutes=minutes, days=days)
