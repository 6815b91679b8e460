"""Run a work action for the current user inside one unit of work."""
from __future__ import annotations

from collections.abc import Callable

from flask import flash
from flask_login import current_user

from community.domain.errors import ChannelError
from community.services.channel import answer_in_channel
from web.services import services


def run_action(action: Callable, thread_id: int, *args, **kwargs):
    """Call ``action(uow, thread_id, user, *args, clock=...)`` and commit; domain errors propagate."""
    svc = services()
    with svc.uow() as uow:
        result = action(uow, thread_id, current_user.user, *args, clock=svc.clock, **kwargs)
        uow.commit()
    return result


def list_threads(**filters):
    """Return threads matching ``filters`` (see ThreadRepository.list)."""
    with services().uow() as uow:
        return uow.threads.list(**filters)


def post_in_channel(thread_id: int) -> None:
    """Post a published answer where the question was asked (when the source allows it) and say what happened."""
    svc = services()
    try:
        reply = answer_in_channel(svc.uow, svc.publisher, thread_id, svc.clock)
    except ChannelError as exc:
        flash(f"The answer is saved, but it could not be posted on the source: {exc}", "error")
        return
    if reply is not None:
        flash(f"Posted on the source: {reply.get('url') or reply.get('id')}", "ok")
