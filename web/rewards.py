"""Leaderboards, profiles, the rewards catalogue with manager approval, and super-user discovery."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from community.services import discovery, leaderboards, redemptions
from web.auth import roles_required
from web.services import services

bp = Blueprint("rewards", __name__)
ANYONE = ("superuser", "staff", "manager", "admin")
MANAGERS = ("manager", "admin")


def _programme():
    return services().settings.gamification.programme()


def _now():
    return services().clock.now()


@bp.get("/leaderboard")
@roles_required(*ANYONE)
def leaderboard():
    period = request.args.get("period", "week")
    if period not in ("week", "month", "all"):
        abort(400, description="period must be week, month or all")
    topic = request.args.get("topic") or None
    language = None if topic else (request.args.get("lang") or None)
    with services().uow() as uow:
        rows = leaderboards.leaderboard(uow, period, _now(), topic=topic, language=language, limit=50)
    return render_template("rewards/leaderboard.html", rows=rows, period=period, topic=topic, language=language,
                           topics=sorted(services().settings.topics))


@bp.get("/me")
@roles_required(*ANYONE)
def me():
    return redirect(url_for("rewards.profile", user_id=current_user.user.id))


@bp.get("/users/<int:user_id>")
@roles_required(*ANYONE)
def profile(user_id: int):
    with services().uow() as uow:
        data = leaderboards.profile(uow, _programme(), user_id, current_user.user, _now())
        names = {r.id: r.name for r in uow.catalogue.rewards()} if data["private"] else {}
    return render_template("rewards/profile.html", p=data, reward_names=names)


@bp.get("/rewards")
@roles_required(*ANYONE)
def catalogue():
    user = current_user.user
    with services().uow() as uow:
        offer = redemptions.catalogue(uow)
        mine = uow.catalogue.redemptions(user_id=user.id)
        balance = uow.gamification.balance(user.id)
        reserved = uow.catalogue.pending_cost(user.id)
    return render_template("rewards/catalogue.html", offer=offer, mine=mine, balance=balance, reserved=reserved,
                           names={r.id: r.name for r in offer})


@bp.post("/rewards/<int:reward_id>/redeem")
@roles_required("superuser")
def redeem(reward_id: int):
    with services().uow() as uow:
        redemptions.request(uow, current_user.user, reward_id, _now())
        uow.commit()
    flash("Request sent. A manager will confirm it; the points stay reserved until then.", "ok")
    return redirect(url_for("rewards.catalogue"))


@bp.post("/redemptions/<int:redemption_id>/<any(approve, reject, cancel):decision>")
@roles_required(*ANYONE)
def decide(redemption_id: int, decision: str):
    with services().uow() as uow:
        if decision == "approve":
            redemptions.approve(uow, current_user.user, redemption_id, _now())
        else:
            asked = uow.catalogue.redemption(redemption_id)
            if (decision == "cancel") != (asked.user_id == current_user.user.id):
                abort(403, description="Cancel your own requests; managers reject others'.")
            redemptions.decline(uow, current_user.user, redemption_id, _now(), request.form.get("note", ""))
        uow.commit()
    flash(f"Request {redemption_id}: {decision}d." if decision != "cancel" else "Request cancelled.", "ok")
    return redirect(url_for("rewards.requests" if decision != "cancel" else "rewards.catalogue"))


@bp.get("/rewards/requests")
@roles_required(*MANAGERS)
def requests():
    with services().uow() as uow:
        pending = redemptions.requests(uow, current_user.user)
        rows = [(r, uow.users.get(r.user_id), uow.catalogue.reward(r.reward_id), uow.gamification.balance(r.user_id))
                for r in pending]
    return render_template("rewards/requests.html", rows=rows)


@bp.get("/candidates")
@roles_required(*MANAGERS)
def candidates():
    show_all = request.args.get("all") == "1"
    with services().uow() as uow:
        found = discovery.candidate_list(uow, current_user.user, _programme(), _now(), include_decided=show_all)
    return render_template("rewards/candidates.html", candidates=found, show_all=show_all)


@bp.post("/candidates/mark")
@roles_required(*MANAGERS)
def mark():
    form = request.form
    with services().uow() as uow:
        discovery.mark(uow, current_user.user, form.get("source", ""), form.get("author", ""), form.get("status", ""),
                       _now(), user_name=form.get("user_name") or None)
        uow.commit()
    flash(f"{form.get('author')} marked {form.get('status', '').replace('_', ' ')}.", "ok")
    return redirect(url_for("rewards.candidates"))
