"""The staff queue: what needs a professional (payment, shipping, returns, account, ... and hand-ons)."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for

from community.domain.model import ThreadState
from community.services import work
from web.actions import list_threads, run_action
from web.auth import roles_required

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
    return redirect(url_for("staff.inbox"))
