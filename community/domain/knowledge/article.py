"""A knowledge-base article and the feedback it collects."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from community.domain.knowledge.search import SearchDocument


@dataclass(frozen=True, slots=True)
class ArticleFeedback:
    """Counts of what helpers did with an article when it was suggested."""

    inserts: int = 0
    dismissals: int = 0


@dataclass(frozen=True, slots=True)
class Article:
    """A question with its accepted answer, public once published."""

    id: int | None
    title: str
    question: str
    answer: str
    topic: str = "other"
    language: str = "other"
    tags: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    url: str = ""
    external_id: str | None = None
    author_id: int | None = None
    thread_id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    helpful: int = 0
    not_helpful: int = 0
    views: int = 0
    published: bool = True
    merged_into: int | None = None
    stale: bool = False
    stale_reasons: tuple[str, ...] = ()
    unresolved_questions: int = 0
    feedback: ArticleFeedback = field(default_factory=ArticleFeedback)

    @property
    def origin(self) -> str:
        """Return where the article came from: ``import`` or ``thread`` (a search filter)."""
        return "import" if self.external_id else "thread"

    def with_changes(self, **changes) -> Article:
        """Return a copy with some fields changed."""
        return replace(self, **changes)

    def document(self) -> SearchDocument:
        """Return the search document of this article; feedback nudges its ranking."""
        return SearchDocument(
            id=str(self.id), title=self.title, body=self.question, answer=self.answer, language=self.language,
            topic=self.topic, tags=self.tags, source=self.origin, url=self.url, external_id=self.external_id,
            updated_at=self.updated_at, published=self.published and self.merged_into is None,
            boost=feedback_boost(self.feedback, self.helpful, self.not_helpful),
        )


def feedback_boost(feedback: ArticleFeedback, helpful: int, not_helpful: int) -> float:
    """Turn inserts/dismissals and votes into a ranking factor between 0.7 and 1.3 (smoothed, so few votes barely move it)."""
    good = feedback.inserts + helpful
    bad = feedback.dismissals + not_helpful
    balance = (good - bad) / (good + bad + 5)
    return round(1.0 + 0.3 * balance, 4)
