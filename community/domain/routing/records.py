"""Stored facts of the work on threads: offers, answers under review, SLA breaches, open-thread SLA views."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from community.domain.model import Thread


@dataclass(frozen=True, slots=True)
class Offer:
    """A thread offered to a super-user."""

    thread_id: int
    user_id: int
    offered_at: datetime
    expires_at: datetime
    round: int = 1
    status: str = "open"


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """An answer and where it stands: ``pending_review``, ``changes_requested``, ``published``."""

    id: int
    thread_id: int
    author_id: int
    body: str
    status: str
    created_at: datetime
    accepted: bool = False


@dataclass(frozen=True, slots=True)
class SlaRecord:
    """An open thread with what the escalation job needs beyond the thread itself."""

    thread: Thread
    first_response_at: datetime | None
    resolved_at: datetime | None
    last_offer_at: datetime | None
    offer_round: int
    breaches: frozenset[str]


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    """One routing decision of a thread (initial routing, by hand, hand-on or SLA escalation) with its reasons."""

    thread_id: int
    at: datetime
    target: str
    queue: str
    rule: str
    explanation: dict

    @classmethod
    def of(cls, thread_id: int, at: datetime, decision: dict) -> DecisionRecord:
        """Return the record of a decision in ``Decision.as_dict()`` shape (target, queue, rule, explanation …)."""
        return cls(thread_id, at, str(decision["target"]), decision["queue"], decision["rule"], decision)
