"""One thread: mentions, history across hands, SLA, the routing decision with candidates, reviews and actions."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from community.domain.model import Target
from community.domain.routing.sla import phase
from community.services import review, work
from web.actions import post_in_channel, run_action
from web.auth import roles_required
from web.services import services

bp = Blueprint("threads", __name__)
MANAGERS = ("manager", "admin")


def work_rules():
    """Return the lease, fairness cap and review policies from the wired router."""
    return services().router.work_rules


def _sla(thread, first, now) -> dict | None:
    if thread.first_response_due is None or thread.created_at is None:
        return None
    state = phase(thread.created_at, thread.first_response_due, now, first, services().settings.sla.at_risk_fraction)
    minutes = int((thread.first_response_due - now).total_seconds() // 60)
    return {"phase": str(state), "due": thread.first_response_due, "minutes_left": minutes, "answered_at": first}


@bp.get("/threads/<int:thread_id>")
@roles_required("superuser", "staff", "manager", "admin")
def detail(thread_id: int):
    user, now = current_user.user, services().clock.now()
    with services().uow() as uow:
        thread = uow.threads.get(thread_id)
        if not work.can_see(user, thread):
            abort(403, description="This thread is handled by staff.")
        posts, events = uow.posts.for_thread(thread_id), uow.threads.events(thread_id)
        answer = uow.routing.latest_answer(thread_id)
        votes = uow.routing.votes(answer.id) if answer else []
        first_response_at, _resolved_at = uow.routing.times(thread_id)
        names = {u.id: u.display_name or u.name for u in uow.users.list()}
        offers = uow.routing.offers(thread_id) if current_user.role in MANAGERS else []
        decisions = uow.routing.decisions(thread_id) if current_user.role in MANAGERS else []
    policy = work_rules().review_for(thread)
    may_review = (answer is not None and answer.status == "pending_review" and answer.author_id != user.id
                  and all(v.reviewer_id != user.id for v in votes))
    return render_template("thread.html", thread=thread, posts=posts, events=events, now=now, names=names,
                           is_manager=current_user.role in MANAGERS, answer=answer, votes=votes, policy=policy,
                           may_review=may_review, offers=offers, decisions=decisions, sla=_sla(thread, first_response_at, now),
                           targets=[str(t) for t in Target])


@bp.post("/threads/<int:thread_id>/renew")
@roles_required("superuser", "staff", "manager", "admin")
def renew(thread_id: int):
    thread = run_action(work.renew, thread_id, rules=work_rules())
    flash(f"Claim renewed until {thread.claim_expires:%H:%M} UTC.", "ok")
    return redirect(url_for("threads.detail", thread_id=thread_id))


@bp.post("/threads/<int:thread_id>/review")
@roles_required("superuser", "staff", "manager", "admin")
def review_answer(thread_id: int):
    verdict = request.form.get("verdict", "")
    run_action(review.review, thread_id, verdict, request.form.get("note", ""), rules=work_rules())
    flash("Thank you for the review." if verdict == "approve" else "Sent back to its author with your note.", "ok")
    post_in_channel(thread_id)
    return redirect(url_for("threads.reviews"))


@bp.get("/reviews")
@roles_required("superuser", "staff", "manager", "admin")
def reviews():
    with services().uow() as uow:
        pending = review.pending_for(uow, current_user.user)
    return render_template("threads/reviews.html", pending=pending)


@bp.post("/threads/<int:thread_id>/retarget")
@roles_required("manager", "admin")
def retarget(thread_id: int):
    svc = services()
    with svc.uow() as uow:
        thread = work.retarget(uow, thread_id, current_user.user, request.form.get("target", ""),
                               request.form.get("queue", ""), clock=svc.clock)
        offered = svc.router.reoffer(uow, thread, round=1) if thread.target == Target.COMMUNITY else []
        uow.commit()
    flash(f"Sent to {thread.target}/{thread.queue}" + (f", offered to {len(offered)} fans." if offered else "."), "ok")
    return redirect(url_for("threads.detail", thread_id=thread_id))


@bp.post("/threads/<int:thread_id>/reopen")
@roles_required("manager", "admin")
def reopen(thread_id: int):
    run_action(work.reopen, thread_id)
    return redirect(url_for("threads.detail", thread_id=thread_id))

