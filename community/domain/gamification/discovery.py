"""Finding new super-users: rank external authors who keep helping others, with evidence."""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

STATUSES = ("candidate", "invited", "joined", "not_a_fit")


@dataclass(frozen=True, slots=True)
class AuthorPost:
    """One crawled post by an external author, reduced to what discovery weighs."""

    source: str
    author: str
    url: str
    text: str
    published: datetime | None
    is_reply: bool = False
    reach: int = 0
    sentiment: float = 0.0
    topic: str = "other"


@dataclass(frozen=True, slots=True)
class DiscoveryWeights:
    """How much each signal counts, and the least activity that makes someone a candidate."""

    activity: float = 1.0
    replies: float = 2.0
    sentiment: float = 1.0
    topics: float = 0.5
    reach: float = 0.5
    recency: float = 1.5
    recency_half_life_days: float = 30.0
    min_posts: int = 2
    min_replies: int = 1
    evidence: int = 3


@dataclass(frozen=True, slots=True)
class Candidate:
    """An external author worth inviting: the score, its parts (the explanation) and best posts."""

    source: str
    author: str
    score: float
    parts: Mapping[str, float]
    posts: int
    replies: int
    topics: tuple[str, ...]
    last_seen: datetime | None
    evidence: tuple[str, ...]
    status: str = "candidate"


def _parts(posts: list[AuthorPost], now: datetime, w: DiscoveryWeights) -> dict[str, float]:
    replies = sum(p.is_reply for p in posts)
    dated = [p.published for p in posts if p.published]
    age = (now - max(dated)).total_seconds() / 86400 if dated else float("inf")
    return {
        "activity": w.activity * math.log1p(len(posts)),
        "replies": w.replies * math.log1p(replies),
        "sentiment": w.sentiment * sum(p.sentiment for p in posts) / len(posts),
        "topics": w.topics * len({p.topic for p in posts if p.topic != "other"}),
        "reach": w.reach * math.log10(1 + max(p.reach for p in posts)),
        "recency": w.recency * (0.5 ** (max(age, 0.0) / w.recency_half_life_days) if dated else 0.0),
    }


def _best(posts: list[AuthorPost], count: int) -> tuple[str, ...]:
    ordered = sorted(posts, key=lambda p: (p.is_reply, p.sentiment, len(p.text)), reverse=True)
    return tuple(p.url for p in ordered if p.url.startswith(("https://", "http://")))[:count]


def candidates(posts: Iterable[AuthorPost], now: datetime, weights: DiscoveryWeights = DiscoveryWeights(),
               statuses: Mapping[tuple[str, str], str] | None = None, limit: int = 50) -> list[Candidate]:
    """Return external authors ranked by score (highest first), skipping those below the minimum activity."""
    grouped: dict[tuple[str, str], list[AuthorPost]] = defaultdict(list)
    for post in posts:
        if post.author:
            grouped[(post.source, post.author)].append(post)
    found = []
    for (source, author), mine in grouped.items():
        replies = sum(p.is_reply for p in mine)
        if len(mine) < weights.min_posts or replies < weights.min_replies:
            continue
        parts = _parts(mine, now, weights)
        dated = [p.published for p in mine if p.published]
        found.append(Candidate(source=source, author=author, score=round(sum(parts.values()), 4),
                               parts={k: round(v, 4) for k, v in parts.items()}, posts=len(mine), replies=replies,
                               topics=tuple(sorted({p.topic for p in mine if p.topic != "other"})),
                               last_seen=max(dated) if dated else None, evidence=_best(mine, weights.evidence),
                               status=(statuses or {}).get((source, author), "candidate")))
    found.sort(key=lambda c: (-c.score, c.source, c.author))
    return found[:limit]
