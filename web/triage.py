"""The community manager's triage inbox: every open mention, how it was routed and why."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from community.domain.model import OPEN_STATES
from community.services import work
from web.actions import list_threads, run_action
from web.auth import roles_required
from web.services import services

bp = Blueprint("triage", __name__)


@bp.get("/triage")
@roles_required("manager", "admin")
def inbox():
    target = request.args.get("target") or None
    threads = list_threads(states=OPEN_STATES, target=target)
    with services().uow() as uow:
        health = uow.sources.health()
    return render_template("triage.html", threads=threads, target=target, health=health)


@bp.post("/threads/<int:thread_id>/dismiss")
@roles_required("manager", "admin")
def dismiss(thread_id: int):
    run_action(work.dismiss, thread_id, request.form.get("reason", "not relevant"))
    return redirect(url_for("triage.inbox"))
