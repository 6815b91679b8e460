"""Run a work action for the current user inside one unit of work."""
from __future__ import annotations

from collections.abc import Callable

from flask_login import current_user

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
