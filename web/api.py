"""JSON API under /api/v1 (session auth, CSRF header on writes), described by an OpenAPI document."""
from __future__ import annotations

from flask import Blueprint, jsonify
from flask_login import current_user

from community.domain.model import OPEN_STATES
from community.services import work
from community.services.status import platform_status
from web.actions import list_threads, run_action
from web.auth import roles_required
from web.services import services

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def thread_json(thread) -> dict:
    """Return the public JSON form of a thread."""
    return {"id": thread.id, "title": thread.title, "state": str(thread.state),
            "target": str(thread.target) if thread.target else None, "queue": thread.queue,
            "priority": thread.priority, "topic": thread.topic, "language": thread.language,
            "created_at": thread.created_at.isoformat() if thread.created_at else None,
            "first_response_due": thread.first_response_due.isoformat() if thread.first_response_due else None}


@bp.get("/status")
@roles_required("manager", "admin")
def status():
    with services().uow() as uow:
        return jsonify(platform_status(uow))


@bp.get("/threads")
@roles_required("superuser", "staff", "manager", "admin")
def threads():
    visible = [t for t in list_threads(states=OPEN_STATES) if work.can_see(current_user.user, t)]
    return jsonify([thread_json(t) for t in visible])


@bp.post("/threads/<int:thread_id>/claim")
@roles_required("superuser", "staff", "manager", "admin")
def claim(thread_id: int):
    thread = run_action(work.claim, thread_id, lease_minutes=services().settings.routing.claim_lease_minutes,
                        rules=services().router.work_rules)
    return jsonify(thread_json(thread))


@bp.get("/openapi.json")
def openapi():
    path = lambda summary, method="get": {method: {"summary": summary, "responses": {  # noqa: E731
        "200": {"description": "OK"}, "401": {"description": "Not logged in"},
        "403": {"description": "Role not allowed"}, "409": {"description": "Invalid state transition"}}}}
    return jsonify({
        "openapi": "3.1.0",
        "info": {"title": "Superfan API", "version": "1"},
        "paths": {
            "/api/v1/status": path("Counts of sources, mentions, threads by state, users by role (managers)"),
            "/api/v1/threads": path("Open threads the current user may see"),
            "/api/v1/threads/{id}/claim": path("Claim a thread (lease); send the CSRF token as X-CSRFToken", "post"),
            "/api/v1/kb/search": path("Search the knowledge base: q, lang (de|en), limit, topic, source "
                                      "(import|thread), since (YYYY-MM-DD); hits with id, title, score, snippet"),
        },
    })
