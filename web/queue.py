"""The super-user's queue: community threads that fit, claim, answer, hand on to staff."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from community.domain.model import ThreadState
from community.services import work
from web.actions import list_threads, post_in_channel, run_action
from web.auth import roles_required
from web.services import services

bp = Blueprint("queue", __name__)


@bp.get("/queue")
@roles_required("superuser")
def inbox():
    user = current_user.user
    open_threads = [t for t in list_threads(states=[ThreadState.ROUTED], target="community")
                    if work.can_see(user, t) and (not user.languages or t.language in user.languages
                                                  or t.language == "other")]
    mine = list_threads(states=[ThreadState.CLAIMED], claimed_by=user.id)
    with services().uow() as uow:  # threads offered to this fan by routing come first
        offered = set(uow.routing.offered_threads(user.id, services().clock.now()))
    open_threads.sort(key=lambda t: t.id not in offered)
    return render_template("queue.html", threads=open_threads, mine=mine, offered=offered)


@bp.post("/threads/<int:thread_id>/claim")
@roles_required("superuser", "staff", "manager", "admin")
def claim(thread_id: int):
    lease = services().settings.routing.claim_lease_minutes
    run_action(work.claim, thread_id, lease_minutes=lease, rules=services().router.work_rules)
    flash(f"Claimed: the thread is yours for the next {lease} minutes.", "ok")
    return redirect(url_for("threads.detail", thread_id=thread_id))


@bp.post("/threads/<int:thread_id>/answer")
@roles_required("superuser", "staff", "manager", "admin")
def answer(thread_id: int):
    run_action(work.answer, thread_id, request.form.get("body", ""), rules=services().router.work_rules)
    flash("Answer saved. Thank you!", "ok")
    post_in_channel(thread_id)
    return redirect(url_for(_home()))


@bp.post("/threads/<int:thread_id>/hand-on")
@roles_required("superuser", "staff", "manager", "admin")
def hand_on(thread_id: int):
    run_action(work.hand_on, thread_id, request.form.get("note", ""))
    flash("Forwarded to an advisor. The customer's wait keeps counting, so staff see it first.", "ok")
    return redirect(url_for(_home()))


@bp.post("/threads/<int:thread_id>/release")
@roles_required("superuser", "staff", "manager", "admin")
def release(thread_id: int):
    run_action(work.release, thread_id)
    return redirect(url_for(_home()))


def _home() -> str:
    from web.auth import HOME_BY_ROLE

    return HOME_BY_ROLE[current_user.role]
