"""What goes into a search index and what comes out of it, the same for every backend."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class SearchDocument:
    """One searchable article as every search backend indexes it."""

    id: str
    title: str
    body: str
    answer: str = ""
    language: str = "other"
    topic: str = "other"
    tags: tuple[str, ...] = ()
    source: str = "kb"
    url: str = ""
    external_id: str | None = None
    updated_at: datetime | None = None
    published: bool = True
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A search: free text with "phrases" and prefix* terms, plus filters that every backend applies."""

    text: str
    language: str | None = None
    topic: str | None = None
    source: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 10
    published_only: bool = True
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result: the document id, its score, and the matching passage with <mark>ed terms."""

    id: str
    title: str
    score: float
    snippet: str
    language: str = "other"
    topic: str = "other"
    url: str = ""
    external_id: str | None = None
    passage: str = field(default="", compare=False)

    @property
    def public_id(self) -> str:
        """Return the id users know: the imported id when there is one, else the article id."""
        return self.external_id or self.id
