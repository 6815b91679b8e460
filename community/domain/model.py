"""Plain data for the flow of one mention: post → analysis → decision → thread → work."""
from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import lru_cache


class Role(StrEnum):
    """What a platform user may do; checked on every route and API call."""

    ADMIN = "admin"
    MANAGER = "manager"
    STAFF = "staff"
    SUPERUSER = "superuser"


class Target(StrEnum):
    """Who should answer a thread."""

    COMMUNITY = "community"
    STAFF = "staff"
    TRIAGE = "triage"


class ThreadState(StrEnum):
    """Lifecycle of a thread: new → routed → claimed → answered → resolved | escalated | dismissed."""

    NEW = "new"
    ROUTED = "routed"
    CLAIMED = "claimed"
    ANSWERED = "answered"
    RESOLVED = "resolved"
    ESCALATED = "escalated"
    DISMISSED = "dismissed"


OPEN_STATES = frozenset({ThreadState.NEW, ThreadState.ROUTED, ThreadState.CLAIMED, ThreadState.ESCALATED})


@dataclass(frozen=True, slots=True)
class RawPost:
    """One normalised post as any connector delivers it, before it is stored."""

    source: str
    external_id: str
    url: str
    title: str
    text: str
    author: str = ""
    published: datetime | None = None
    thread_key: str | None = None
    lang_hint: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """Hash of the normalised title and text: equal for the same words, whatever the spacing or case."""
        return content_hash(self.title, self.text)


def normalise_text(text: str) -> str:
    """Lower-case, strip accents (ä→a, ß→ss) and collapse white space, for comparing texts."""
    folded = text.casefold()
    if not folded.isascii():  # drop the combining marks NFKD split off; test each distinct character once
        folded = unicodedata.normalize("NFKD", folded)
        for mark in [ch for ch in set(folded) if unicodedata.combining(ch)]:  # a few; replace is fast, translate not
            folded = folded.replace(mark, "")
    return " ".join(folded.split())


@lru_cache(maxsize=2048)  # ingest asks for a post's hash several times (lookups, placing, the row)
def content_hash(title: str, text: str) -> str:
    """SHA-256 over the normalised title and text."""
    return hashlib.sha256(normalise_text(f"{title}\n{text}").encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the NLP (or the keyword rules) read from a post."""

    language: str = "other"
    topic: str = "other"
    topic_confidence: float = 0.0
    topic_source: str = "rules"
    tags: tuple[str, ...] = ()
    urgency_score: int = 0
    urgency_level: str = "normal"
    urgency_signals: tuple[str, ...] = ()
    sentiment_label: str = "neutral"
    sentiment_score: float = 0.0
    entities: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return {
            "language": self.language,
            "topic": self.topic,
            "confidence": round(self.topic_confidence, 4),
            "topic_source": self.topic_source,
            "tags": list(self.tags),
            "urgency": {
                "level": self.urgency_level,
                "score": self.urgency_score,
                "signals": list(self.urgency_signals),
            },
            "sentiment": {"label": self.sentiment_label, "score": round(self.sentiment_score, 4)},
            "entities": list(self.entities),
        }


@dataclass(frozen=True, slots=True)
class Decision:
    """Where a thread goes and why; stored with the thread."""

    target: Target
    queue: str
    priority: str = "normal"
    rule: str = "default"
    explanation: tuple[str, ...] = ()
    candidates: tuple[dict, ...] = ()
    sla_first_response_minutes: int | None = None
    tags: tuple[str, ...] = ()
    required_skills: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return {
            "target": str(self.target),
            "queue": self.queue,
            "priority": self.priority,
            "rule": self.rule,
            "explanation": list(self.explanation),
            "candidates": list(self.candidates),
            "sla_first_response_minutes": self.sla_first_response_minutes,
            "tags": list(self.tags),
            "required_skills": list(self.required_skills),
        }


@dataclass(slots=True)
class User:
    """A platform user: manager, staff agent or super-user (external identities are kept apart)."""

    id: int | None
    name: str
    role: Role
    display_name: str = ""
    languages: tuple[str, ...] = ("de", "en")
    expertise: dict[str, int] = field(default_factory=dict)
    capacity: int = 3
    active: bool = True
    timezone: str = "Europe/Berlin"
    availability: tuple[str, ...] = ()


@dataclass(slots=True)
class Thread:
    """A conversation to be answered: one or more mentions of the same question."""

    id: int | None
    key: str
    title: str
    state: ThreadState = ThreadState.NEW
    target: Target | None = None
    queue: str = ""
    priority: str = "normal"
    topic: str = "other"
    language: str = "other"
    created_at: datetime | None = None
    first_response_due: datetime | None = None
    claimed_by: int | None = None
    claim_expires: datetime | None = None
    staff_only: bool = False
    decision: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StoredPost:
    """A stored mention with its analysis."""

    id: int
    source: str
    external_id: str
    url: str
    title: str
    text: str
    author: str
    published: datetime | None
    thread_id: int | None
    analysis: dict


@dataclass(frozen=True, slots=True)
class PendingPost:
    """A stored post waiting for the analysis stage, with the thread it joined or opened."""

    id: int
    post: RawPost
    thread_id: int | None
    thread_key: str = ""
    thread_title: str = ""
    thread_state: ThreadState | None = None
    thread_created: datetime | None = None  # when the post opened or joined it: the SLA clock starts there


@dataclass(frozen=True, slots=True)
class ThreadEvent:
    """One entry of a thread's history (routing, claim, answer, hand-on, note), kept across hands."""

    thread_id: int
    kind: str
    at: datetime
    actor_id: int | None = None
    body: str = ""
    data: dict = field(default_factory=dict)
