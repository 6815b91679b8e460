"""One thread: its mentions, its history across hands, the routing decision and the actions allowed."""
from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from community.services import work
from web.auth import roles_required
from web.services import services

bp = Blueprint("threads", __name__)


@bp.get("/threads/<int:thread_id>")
@roles_required("superuser", "staff", "manager", "admin")
def detail(thread_id: int):
    with services().uow() as uow:
        thread = uow.threads.get(thread_id)
        if not work.can_see(current_user.user, thread):
            abort(403, description="This thread is handled by staff.")
        posts = uow.posts.for_thread(thread_id)
        events = uow.threads.events(thread_id)
    return render_template("thread.html", thread=thread, posts=posts, events=events,
                           is_manager=current_user.role in ("manager", "admin"),
                           now=services().clock.now())
