"""Managers correct the topic/urgency the NLP read from a thread; corrections become training examples."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from community.domain.errors import NotFound, ValidationError
from web.auth import roles_required
from web.services import services

bp = Blueprint("nlp_feedback", __name__)
MANAGERS = ("manager", "admin")
URGENCY_LEVELS = ("low", "normal", "high", "critical")


def _examples():
    """Return the labeled-examples store wired by bootstrap (``services.extras['labeled_examples']``)."""
    store = services().extras.get("labeled_examples")
    if store is None:
        abort(503, description="Corrections are not available: the labeled-examples store is not wired.")
    return store


def _topics() -> tuple[str, ...]:
    return tuple(services().settings.topics) or ("other",)


@bp.get("/nlp/corrections")
@roles_required(*MANAGERS)
def corrections():
    store = _examples()
    return render_template("nlp/corrections.html", rows=store.recent(), total=store.count())


@bp.get("/threads/<int:thread_id>/nlp")
@roles_required(*MANAGERS)
def correct_form(thread_id: int):
    try:
        thread, posts = _examples().thread_posts(thread_id)
    except NotFound as exc:
        abort(404, description=str(exc))
    return render_template("nlp/correct.html", thread=thread, posts=posts, topics=_topics(),
                           levels=URGENCY_LEVELS)


@bp.post("/threads/<int:thread_id>/nlp")
@roles_required(*MANAGERS)
def correct(thread_id: int):
    topic = request.form.get("topic") or None
    urgency = request.form.get("urgency") or None
    post_id = request.form.get("post_id", type=int)
    try:
        stored = _examples().correct(thread_id, topic=topic, urgency=urgency, user_id=int(current_user.id),
                                     topics=_topics(), post_id=post_id)
    except NotFound as exc:
        abort(404, description=str(exc))
    except ValidationError as exc:
        flash(str(exc), "error")
        return redirect(url_for("nlp_feedback.correct_form", thread_id=thread_id))
    flash(f"Correction saved for {stored} post(s); the next `superfan train` learns from it.", "info")
    return redirect(url_for("nlp_feedback.correct_form", thread_id=thread_id))
