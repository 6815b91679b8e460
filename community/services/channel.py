"""Answer in the channel: post a published answer where the question was asked, when the source allows it."""
from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from community.domain.errors import ChannelError
from community.domain.model import ThreadEvent
from community.ports import Clock, UnitOfWork


class ChannelPublisher(Protocol):
    """Posts a reply on a source; returns the reply's id and URL, or None when the source is not answered automatically."""

    def reply(self, source: str, url: str, body: str) -> dict | None: ...


def answer_in_channel(uow_factory: Callable[[], UnitOfWork], publisher: ChannelPublisher, thread_id: int,
                      clock: Clock) -> dict | None:
    """Post the thread's published answer as a reply to its first mention; record the outcome in the history.

    Returns the reply (id, url) when it was posted, None when the source is not answered automatically or the
    answer is not published yet; a refusal by the source is recorded and raised as ChannelError.
    """
    with uow_factory() as uow:
        answer = uow.routing.latest_answer(thread_id)
        posts = uow.posts.for_thread(thread_id)
    if answer is None or answer.status != "published" or not posts:
        return None
    first = posts[0]
    try:
        reply = publisher.reply(first.source, first.url, answer.body)
    except ChannelError as exc:
        _record(uow_factory, thread_id, "channel_reply_failed", clock, str(exc), source=first.source)
        raise
    if reply is not None:
        _record(uow_factory, thread_id, "posted_to_channel", clock, reply.get("url", ""), source=first.source,
                answer_id=answer.id, reply_id=reply.get("id"))
    return reply


def _record(uow_factory, thread_id: int, kind: str, clock: Clock, body: str, **data) -> None:
    with uow_factory() as uow:
        uow.threads.add_event(ThreadEvent(thread_id, kind, clock.now(), body=body, data=data))
        uow.commit()
