"""The staff queue: what needs a professional (payment, shipping, returns, account, ... and hand-ons)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for

from community.domain.model import ThreadState
from community.services import work
from community.services.resolution import publish_resolution
from web.actions import list_threads, run_action
from web.auth import roles_required
from web.services import services

bp = Blueprint("staff", __name__)

STAFF_STATES = [ThreadState.ROUTED, ThreadState.ESCALATED, ThreadState.CLAIMED, ThreadState.ANSWERED]


@bp.get("/staff")
@roles_required("staff", "manager", "admin")
def inbox():
    return render_template("staff.html", threads=list_threads(states=STAFF_STATES, target="staff"))


@bp.post("/threads/<int:thread_id>/resolve")
@roles_required("staff", "manager", "admin")
def resolve(thread_id: int):
    run_action(work.resolve, thread_id)
    svc = services()
    resolution = publish_resolution(svc.uow, svc.knowledge, thread_id, svc.clock)
    if resolution is not None:
        flash(f"Resolved. Knowledge base: article {resolution.outcome}.", "ok")
    return redirect(url_for("staff.inbox"))
