"""Managers' corrections of topic/urgency stored as labeled examples (the NLP feedback loop)."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from community.adapters.sql.tables import LabeledExampleRow, PostRow, ThreadRow
from community.domain.errors import NotFound, ValidationError

URGENCY_LEVELS = ("low", "normal", "high", "critical")


class SqlLabeledExamples:
    """Record corrections for a thread's posts and hand them to training."""

    def __init__(self, session_factory: sessionmaker) -> None:
        self.session_factory = session_factory

    def thread_posts(self, thread_id: int) -> tuple[dict, list[dict]]:
        """Return the thread (id, title, topic, priority) and its posts with their current analysis."""
        with self.session_factory() as session:
            thread = session.get(ThreadRow, thread_id)
            if thread is None:
                raise NotFound(f"thread {thread_id} does not exist")
            posts = session.scalars(select(PostRow).where(PostRow.thread_id == thread_id).order_by(PostRow.id))
            return ({"id": thread.id, "title": thread.title, "topic": thread.topic, "priority": thread.priority},
                    [{"id": p.id, "title": p.title, "text": p.text, "language": p.language, "topic": p.topic,
                      "urgency": p.urgency_level, "sentiment": p.sentiment} for p in posts])

    def correct(self, thread_id: int, *, topic: str | None, urgency: str | None, user_id: int | None,
                topics: tuple[str, ...], post_id: int | None = None, at: datetime | None = None) -> int:
        """Store a correction for one post (default: every post of the thread); return how many were stored."""
        if topic is not None and topic not in topics:
            raise ValidationError(f"unknown topic {topic!r}")
        if urgency is not None and urgency not in URGENCY_LEVELS:
            raise ValidationError(f"unknown urgency {urgency!r}")
        if topic is None and urgency is None:
            raise ValidationError("choose a topic or an urgency")
        at = at or datetime.now(UTC)
        with self.session_factory() as session, session.begin():
            thread = session.get(ThreadRow, thread_id)
            if thread is None:
                raise NotFound(f"thread {thread_id} does not exist")
            query = select(PostRow).where(PostRow.thread_id == thread_id)
            if post_id is not None:
                query = query.where(PostRow.id == post_id)
            posts = list(session.scalars(query))
            if not posts:
                raise NotFound("no such post in this thread")
            for post in posts:
                session.add(LabeledExampleRow(
                    text="\n".join(part for part in (post.title, post.text) if part), lang=post.language or "other",
                    topic=topic, urgency=urgency, post_id=post.id, thread_id=thread_id, corrected_by=user_id,
                    created_at=at, previous={"topic": post.topic, "urgency": post.urgency_level}))
                post.topic = topic or post.topic
                post.urgency_level = urgency or post.urgency_level
            if topic is not None:
                thread.topic = topic
            return len(posts)

    def recent(self, limit: int = 50) -> list[dict]:
        """Return the latest corrections, newest first."""
        with self.session_factory() as session:
            rows = session.scalars(select(LabeledExampleRow).order_by(LabeledExampleRow.id.desc()).limit(limit))
            return [{"id": r.id, "thread_id": r.thread_id, "post_id": r.post_id, "text": r.text[:200],
                     "topic": r.topic, "urgency": r.urgency, "previous": r.previous, "at": r.created_at} for r in rows]

    def count(self) -> int:
        """Return how many corrections are stored."""
        with self.session_factory() as session:
            return session.scalar(select(func.count()).select_from(LabeledExampleRow)) or 0

    def training_rows(self) -> list[dict]:
        """Return the latest correction per text as a training row (text, lang, topic, urgency, sentiment)."""
        latest: dict[str, dict] = {}
        with self.session_factory() as session:
            for r in session.scalars(select(LabeledExampleRow).order_by(LabeledExampleRow.id)):
                row = latest.setdefault(r.text, {"text": r.text, "lang": r.lang, "topic": None, "urgency": None,
                                                 "sentiment": None})
                row.update({k: v for k, v in (("topic", r.topic), ("urgency", r.urgency),
                                              ("sentiment", r.sentiment)) if v is not None})
        return list(latest.values())
