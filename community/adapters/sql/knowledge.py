"""SQLAlchemy implementation of the ``KnowledgeRepository`` port over ``kb_articles`` and ``kb_feedback``."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from community.adapters.sql.tables import KBArticleRow, KBFeedbackRow
from community.domain.errors import NotFound, ValidationError
from community.domain.knowledge import Article, ArticleFeedback

FEEDBACK_KINDS = {"insert": "inserts", "dismiss": "dismissals", "helpful": "helpful", "not_helpful": "not_helpful"}
_FIELDS = ("title", "answer", "topic", "language", "url", "external_id", "author_id", "thread_id", "created_at",
           "updated_at", "helpful", "not_helpful", "views", "published", "merged_into", "stale",
           "unresolved_questions")


def _article(row: KBArticleRow) -> Article:
    return Article(id=row.id, question=row.body, tags=tuple(row.tags or ()), sources=tuple(row.sources or ()),
                   stale_reasons=tuple(row.stale_reasons or ()),
                   feedback=ArticleFeedback(inserts=row.inserts or 0, dismissals=row.dismissals or 0),
                   **{name: getattr(row, name) for name in _FIELDS})


def _fill(row: KBArticleRow, article: Article) -> None:
    for name in _FIELDS:
        if name not in ("helpful", "not_helpful", "views"):  # counters only change through record_*
            setattr(row, name, getattr(article, name))
    row.body, row.tags, row.sources = article.question, list(article.tags), list(article.sources)
    row.stale_reasons = list(article.stale_reasons)


class SqlKnowledgeRepository:
    """KB articles in the relational store; every call runs in its own short transaction."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def _session(self) -> Session:
        return self._sessions.begin()

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        """A read-only transaction (a plain BEGIN on SQLite), so it reads while an ingest batch holds the write lock."""
        with self._engine.connect() as conn:
            conn.info["write"] = False  # read by the SQLite "begin" hook of community.adapters.sql.db
            try:
                with Session(conn, expire_on_commit=False) as session, session.begin():
                    yield session
            finally:
                conn.info.pop("write", None)

    def add(self, article: Article) -> Article:
        """Store a new article and return it with its id."""
        with self._session() as session:
            row = KBArticleRow(helpful=article.helpful, not_helpful=article.not_helpful, views=article.views,
                               inserts=article.feedback.inserts, dismissals=article.feedback.dismissals)
            _fill(row, article)
            session.add(row)
            session.flush()
            return _article(row)

    def save(self, article: Article) -> Article:
        """Update a stored article's content and flags (not its counters)."""
        with self._session() as session:
            row = session.get(KBArticleRow, article.id)
            if row is None:
                raise NotFound(f"article {article.id} does not exist")
            _fill(row, article)
            session.flush()
            return _article(row)

    def get(self, article_id: int) -> Article:
        """Return one article or raise ``NotFound``."""
        with self._reading() as session:
            row = session.get(KBArticleRow, article_id)
            if row is None:
                raise NotFound(f"article {article_id} does not exist")
            return _article(row)

    def _one(self, condition) -> Article | None:
        with self._session() as session:
            row = session.scalar(select(KBArticleRow).where(condition).order_by(KBArticleRow.id).limit(1))
            return _article(row) if row else None

    def by_external_id(self, external_id: str) -> Article | None:
        """Return the article imported with this id."""
        return self._one(KBArticleRow.external_id == external_id)

    def by_thread(self, thread_id: int) -> Article | None:
        """Return the article created from this thread."""
        return self._one(KBArticleRow.thread_id == thread_id)

    def list(self, *, published: bool | None = None, stale: bool | None = None, limit: int = 100,
             offset: int = 0) -> list[Article]:
        """Return articles, most recently updated first."""
        stmt = select(KBArticleRow).order_by(KBArticleRow.updated_at.desc(), KBArticleRow.id.desc())
        if published is not None:
            stmt = stmt.where(KBArticleRow.published.is_(published))
        if stale is not None:
            stmt = stmt.where(KBArticleRow.stale.is_(stale))
        with self._session() as session:
            return [_article(r) for r in session.scalars(stmt.limit(limit).offset(offset))]

    def iter_all(self, batch: int = 1000) -> Iterator[Article]:
        """Yield every article in id order, a batch per transaction."""
        last = 0
        while True:
            with self._session() as session:
                rows = list(session.scalars(select(KBArticleRow).where(KBArticleRow.id > last)
                                            .order_by(KBArticleRow.id).limit(batch)))
                articles = [_article(r) for r in rows]
            if not articles:
                return
            yield from articles
            last = articles[-1].id

    def record_view(self, article_id: int) -> None:
        """Count one view."""
        with self._session() as session:
            row = session.get(KBArticleRow, article_id)
            if row is not None:
                row.views = (row.views or 0) + 1

    def record_feedback(self, article_id: int, kind: str, *, user_id: int | None, thread_id: int | None,
                        at: datetime) -> Article:
        """Log an insert, dismissal or vote and bump the article's counter; return the updated article."""
        if kind not in FEEDBACK_KINDS:
            raise ValidationError(f"unknown feedback {kind!r}")
        with self._session() as session:
            row = session.get(KBArticleRow, article_id)
            if row is None:
                raise NotFound(f"article {article_id} does not exist")
            counter = FEEDBACK_KINDS[kind]
            setattr(row, counter, (getattr(row, counter) or 0) + 1)
            session.add(KBFeedbackRow(article_id=article_id, kind=kind, user_id=user_id, thread_id=thread_id, at=at))
            session.flush()
            return _article(row)

    def count(self, *, published: bool | None = None) -> int:
        """Return how many articles are stored."""
        stmt = select(func.count()).select_from(KBArticleRow)
        if published is not None:
            stmt = stmt.where(KBArticleRow.published.is_(published))
        with self._session() as session:
            return session.scalar(stmt) or 0
