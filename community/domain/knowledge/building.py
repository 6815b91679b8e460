"""Build an article from a resolved thread: public posts only, personal data masked, sources linked."""
from __future__ import annotations

from datetime import datetime

from community.domain.knowledge.article import Article
from community.domain.knowledge.importing import ImportRecord
from community.domain.knowledge.privacy import mask_personal_data
from community.domain.model import StoredPost, Thread

_MAX_QUESTION = 4000


def question_text(posts: list[StoredPost]) -> str:
    """Return the cleaned question: the first post's text (the asker's words), masked and trimmed."""
    if not posts:
        return ""
    text = " ".join(posts[0].text.split())
    return mask_personal_data(text)[:_MAX_QUESTION]


def article_from_thread(thread: Thread, posts: list[StoredPost], answer: str, *, author_id: int | None,
                        now: datetime) -> Article:
    """Create an article from a resolved thread; staff-only threads give an unpublished draft for review."""
    title = mask_personal_data(" ".join((thread.title or (posts[0].title if posts else "")).split()))
    tags = tuple(dict.fromkeys(t for p in posts for t in p.analysis.get("tags", ()) if isinstance(t, str)))
    return Article(
        id=None, title=title or "(untitled question)", question=question_text(posts),
        answer=mask_personal_data(answer.strip()), topic=thread.topic, language=thread.language, tags=tags,
        sources=tuple(dict.fromkeys(p.url for p in posts if p.url)), author_id=author_id, thread_id=thread.id,
        created_at=now, updated_at=now, published=not thread.staff_only,
    )


def attach_sources(article: Article, posts: list[StoredPost], now: datetime) -> Article:
    """Return the article with the new posts' links added to its sources."""
    sources = tuple(dict.fromkeys((*article.sources, *(p.url for p in posts if p.url))))
    return article.with_changes(sources=sources, updated_at=now) if sources != article.sources else article


def article_from_import(record: ImportRecord, existing: Article | None, now: datetime) -> Article:
    """Create or update the article of an import line (idempotent by the imported id)."""
    fields = dict(title=record.title, question=record.body, answer=record.answer, topic=record.topic,
                  language=record.language, tags=record.tags, url=record.url, external_id=record.external_id)
    if existing is None:
        return Article(id=None, created_at=now, updated_at=now, **fields)
    if all(getattr(existing, key) == value for key, value in fields.items()):
        return existing
    return existing.with_changes(updated_at=now, **fields)
