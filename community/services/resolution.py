"""After a thread is resolved: its published answer becomes a knowledge-base article, credited to its author."""
from __future__ import annotations

from collections.abc import Callable

from community.domain.model import ThreadState
from community.ports import Clock, UnitOfWork
from community.services import rewards


def publish_resolution(uow_factory: Callable[[], UnitOfWork], knowledge, thread_id: int, clock: Clock):
    """Create, update or attach the thread's KB article from its published answer; return the Resolution or None.

    Staff-only threads become unpublished drafts for review (the knowledge service decides); an answer still
    under review, or a thread that is not resolved, publishes nothing. A new article earns its author points.
    """
    with uow_factory() as uow:
        thread = uow.threads.get(thread_id)
        answer = uow.routing.latest_answer(thread_id)
        posts = uow.posts.for_thread(thread_id)
    if thread.state != ThreadState.RESOLVED or answer is None or answer.status != "published":
        return None
    resolution = knowledge.resolve(thread, posts, answer.body, author_id=answer.author_id)
    if resolution.outcome == "created":
        with uow_factory() as uow:
            rewards.on_event(uow, "kb_article", thread_id, answer.author_id, clock.now(),
                             article_id=resolution.article.id)
            uow.commit()
    return resolution
