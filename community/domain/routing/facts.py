"""The facts a routing rule may look at: one flat, immutable record per item."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from community.domain.model import Analysis, RawPost


@dataclass(frozen=True, slots=True)
class AuthorFacts:
    """What is known about the author of a post (an external identity, not a platform user)."""

    handle: str = ""
    known_customer: bool = False
    superuser: bool = False
    reach: int = 0


@dataclass(frozen=True, slots=True)
class RoutingFacts:
    """Everything the rules engine may test, taken from the post, its analysis and what is known around it."""

    text: str = ""
    topic: str = "other"
    topic_confidence: float = 0.0
    topic_source: str = "rules"
    topic_route: str = ""
    topic_queue: str = ""
    urgency_level: str = "normal"
    urgency_score: int = 0
    sentiment_label: str = "neutral"
    sentiment_score: float = 0.0
    language: str = "other"
    source: str = ""
    queries: tuple[str, ...] = ()
    author: AuthorFacts = field(default_factory=AuthorFacts)
    engagement: int = 0
    value: float = 0.0
    high_value: bool = False
    value_threshold: float | None = None
    answered_by: int | None = None  # a published KB article that closely matches the item (set at ingest)
    answered_by_title: str = ""

    def completed(self, *, route: str, queue: str, value: float, threshold: float | None) -> RoutingFacts:
        """Return a copy with the topic's default route and queue, the value and whether it is in the top share."""
        return replace(self, topic_route=route, topic_queue=queue, value=value,
                       high_value=threshold is not None and value > threshold, value_threshold=threshold)

    def inputs(self) -> dict:
        """Return the inputs as a JSON-ready dict (what the explanation shows)."""
        return {
            "topic": self.topic, "topic_confidence": round(self.topic_confidence, 3),
            "topic_source": self.topic_source, "topic_route": self.topic_route, "urgency_level": self.urgency_level,
            "urgency_score": self.urgency_score, "sentiment": self.sentiment_label,
            "sentiment_score": round(self.sentiment_score, 3), "language": self.language, "source": self.source,
            "queries": list(self.queries), "author": self.author.handle,
            "known_customer": self.author.known_customer, "author_superuser": self.author.superuser,
            "author_reach": self.author.reach, "engagement": self.engagement, "value": round(self.value, 3),
            "value_threshold": None if self.value_threshold is None else round(self.value_threshold, 3),
            "likely_answered_by": self.answered_by,
        }


def facts_from(post: RawPost, analysis: Analysis, *, author: AuthorFacts | None = None,
               queries: tuple[str, ...] = (), engagement: int | None = None) -> RoutingFacts:
    """Build the routing facts of an analysed post (value is added later by the value estimator)."""
    extra = post.extra or {}
    if engagement is None:  # connectors give one engagement figure; older posts only replies and score
        engagement = extra.get("engagement")
    if engagement is None:
        engagement = int(extra.get("replies", 0) or 0) + int(extra.get("score", 0) or 0)
    if author is None:
        author = author_from(post)
    return RoutingFacts(
        text=f"{post.title}\n{post.text}", topic=analysis.topic,
        topic_confidence=analysis.topic_confidence, topic_source=analysis.topic_source,
        urgency_level=analysis.urgency_level, urgency_score=analysis.urgency_score,
        sentiment_label=analysis.sentiment_label, sentiment_score=analysis.sentiment_score,
        language=analysis.language, source=post.source, queries=tuple(queries or extra.get("queries", ())),
        author=author, engagement=max(0, int(engagement)), **_answered_by(extra.get("likely_answered")),
    )


def _answered_by(article) -> dict:
    """Read ``extra["likely_answered"]`` (``{"id": …, "title": …}``, set by ingest) as facts."""
    if not isinstance(article, dict) or article.get("id") is None:
        return {}
    return {"answered_by": int(article["id"]), "answered_by_title": str(article.get("title") or "")}


def analysis_from_dict(data: dict) -> Analysis:
    """Rebuild an Analysis from its stored ``as_dict()`` form (missing parts fall back to defaults)."""
    urgency, sentiment = data.get("urgency") or {}, data.get("sentiment") or {}
    return Analysis(language=data.get("language", "other"), topic=data.get("topic", "other"),
                    topic_confidence=float(data.get("confidence", 0.0)), topic_source=data.get("topic_source", "rules"),
                    tags=tuple(data.get("tags", ())), urgency_score=int(urgency.get("score", 0)),
                    urgency_level=urgency.get("level", "normal"), urgency_signals=tuple(urgency.get("signals", ())),
                    sentiment_label=sentiment.get("label", "neutral"),
                    sentiment_score=float(sentiment.get("score", 0.0)), entities=tuple(data.get("entities", ())))


def author_from(post: RawPost) -> AuthorFacts:
    """Read what connectors tell about the author (``author_reach``, ``known_customer``, ``author_superuser``)."""
    extra = post.extra or {}
    reach = extra.get("author_reach", extra.get("followers", 0)) or 0
    return AuthorFacts(handle=post.author, known_customer=bool(extra.get("known_customer", False)),
                       superuser=bool(extra.get("author_superuser", False)), reach=int(reach))
