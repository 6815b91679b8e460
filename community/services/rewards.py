"""Use cases of the points programme: award on work events, recompute from the activities, re-evaluate badges.

Work services call ``on_event`` after each transition (in the same unit of work, before commit).
The composition root calls ``configure`` once with the programme built from settings.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from community.domain.errors import NotFound
from community.domain.gamification.badges import Award, evaluate
from community.domain.gamification.points import REVERSES, RULE_OF_KIND, Activity, Scored, score
from community.domain.gamification.programme import Programme
from community.domain.gamification.recompute import corrections, replay
from community.domain.gamification.similarity import fingerprint
from community.domain.model import Role, Target

_programme = Programme()
# Names the work services use for their events → the programme's activity kinds.
ALIASES = {"answered": "answer", "handed_on": "hand_on", "accepted_answer": "accepted", "article": "kb_article",
           "kb_article_created": "kb_article", "helpful": "helpful_vote", "answer_rejected": "rejected"}
PENDING_HAND_ON = "hand_on_pending"


def configure(programme: Programme) -> None:
    """Set the programme (rules, badges, ranks, weights) used when a call does not pass one."""
    global _programme
    _programme = programme


def current() -> Programme:
    """Return the configured programme."""
    return _programme


def on_event(uow, event_kind: str, thread_id: int | None, user_id: int | None, at: datetime,
             programme: Programme | None = None, **data) -> list[Scored]:
    """Judge a work event for the user who did it, append what it earns or takes back, award new badges.

    Kinds: answer(ed) (data: body), accepted (actor_id = who accepted), fast_response, hand(ed)_on
    (paid when staff resolves the thread, or at once with correct=True), resolved, kb_article (article_id),
    helpful_vote (article_id, actor_id = voter), rejected, spam or dismissed (reversed when the reason says spam),
    released (counted against claim-and-release loops). Other kinds are ignored.
    """
    p = programme or _programme
    kind = ALIASES.get(event_kind, event_kind)
    if kind == "dismissed":
        kind = "spam" if "spam" in str(data.get("reason") or data.get("body") or "").lower() else ""
    if user_id is None and kind not in REVERSES:
        return []
    if kind == "resolved":
        return _confirm_hand_ons(uow, p, thread_id, at)
    if kind == "released":
        uow.gamification.add_activity(_activity(uow, kind, thread_id, user_id, at, data), "recorded")
        return []
    if kind not in RULE_OF_KIND and kind not in REVERSES:
        return []
    if kind in RULE_OF_KIND and not _earns(uow, user_id):
        return []  # the programme rewards super-users; staff work is their job
    activity = _activity(uow, kind, thread_id, user_id if user_id is not None else 0, at, data)
    if kind == "helpful_vote" and _voted_before(uow, user_id, data):
        return []  # one vote per voter and article earns points, however often it is clicked
    if kind == "hand_on" and not data.get("correct"):
        uow.gamification.add_activity(replace(activity, kind=PENDING_HAND_ON), "waiting for staff to confirm")
        return []
    fast = kind == "answer" and _first_within_sla(uow, activity)
    results = [_apply(uow, p, activity, _extra(uow, activity, data))]
    if fast:
        results.append(_apply(uow, p, replace(activity, kind="fast_response", length=0, fingerprint=()), {}))
    award_badges(uow, p, {e.user_id for r in results for e in r.entries})
    return results


def on_thread_event(uow, thread_id: int, kind: str, actor_id: int | None, at: datetime, body: str = "",
                    **data) -> list[Scored]:
    """Translate an entry of a thread's history into the programme's event (called by ``work.record``)."""
    if kind in ("answered", "handed_on", "released", "resolved"):
        return on_event(uow, kind, thread_id, actor_id, at, body=body)
    if kind == "dismissed":
        return on_event(uow, kind, thread_id, actor_id, at, reason=body)
    if kind in ("accepted", "changes_requested"):
        author = _last_answerer(uow, thread_id)
        event = "accepted" if kind == "accepted" else "rejected"
        return on_event(uow, event, thread_id, author, at, actor_id=actor_id) if author is not None else []
    return []


def _voted_before(uow, user_id: int, data: dict) -> bool:
    return any(a.article_id == data.get("article_id") and a.actor_id == data.get("actor_id")
               for a in uow.gamification.activities(user_id=user_id, kinds=["helpful_vote"]))


def _last_answerer(uow, thread_id: int) -> int | None:
    answered = [e.actor_id for e in uow.threads.events(thread_id) if e.kind == "answered"]
    return answered[-1] if answered else None


def _earns(uow, user_id: int) -> bool:
    try:
        return uow.users.get(user_id).role == Role.SUPERUSER
    except NotFound:
        return False


def _activity(uow, kind: str, thread_id, user_id: int, at: datetime, data: dict) -> Activity:
    thread = _thread(uow, thread_id)
    text = str(data.get("body") or data.get("text") or "")
    authors = {(post.source, post.author) for post in uow.posts.for_thread(thread_id)} if thread else set()
    releases = sum(1 for e in uow.threads.events(thread_id)
                   if (e.kind == "released" and e.actor_id == user_id)
                   or (e.kind == "lease_expired" and e.data.get("user_id") == user_id)) if thread else 0
    return Activity(kind=kind, user_id=user_id, at=at, thread_id=thread_id, article_id=data.get("article_id"),
                    topic=data.get("topic") or (thread.topic if thread else None),
                    language=data.get("language") or (thread.language if thread else None),
                    actor_id=data.get("actor_id"), thread_author_ids=frozenset(uow.catalogue.linked_users(authors)),
                    length=len(text.strip()), fingerprint=fingerprint(text) if kind == "answer" else (),
                    claim_releases=releases)


def _thread(uow, thread_id):
    if thread_id is None:
        return None
    try:
        return uow.threads.get(thread_id)
    except NotFound:
        return None


def _extra(uow, activity: Activity, data: dict) -> dict:
    thread = _thread(uow, activity.thread_id)
    if activity.kind == "answer" and thread is not None and thread.created_at is not None:
        return {"response_seconds": max(0, int((activity.at - thread.created_at).total_seconds()))}
    return {}


def _first_within_sla(uow, activity: Activity) -> bool:
    thread = _thread(uow, activity.thread_id)
    if thread is None or thread.first_response_due is None or activity.at > thread.first_response_due:
        return False
    return not uow.gamification.activities(thread_id=activity.thread_id, kinds=["answer"])


def _apply(uow, p: Programme, activity: Activity, extra: dict) -> Scored:
    repo = uow.gamification
    history = {e.id: e for e in repo.entries(user_id=activity.user_id, since=activity.at.replace(
        hour=0, minute=0, second=0, microsecond=0))}
    if activity.thread_id is not None:
        history.update({e.id: e for e in repo.entries(thread_id=activity.thread_id)})
    earlier = [a.fingerprint for a in repo.activities(user_id=activity.user_id, kinds=["answer"])] \
        if activity.kind == "answer" else []
    scored = score(activity, p.points, history.values(), earlier)
    activity_id = repo.add_activity(activity, scored.refused or "", extra)
    stored = repo.append([replace(e, activity_id=activity_id) for e in scored.entries], p.weights)
    return replace(scored, entries=tuple(stored))


def _confirm_hand_ons(uow, p: Programme, thread_id, at: datetime) -> list[Scored]:
    thread = _thread(uow, thread_id)
    if thread is None or thread.target != Target.STAFF:
        return []
    results = []
    for pending in uow.gamification.activities(thread_id=thread_id, kinds=[PENDING_HAND_ON]):
        confirmed = uow.gamification.activities(thread_id=thread_id, user_id=pending.user_id, kinds=["hand_on"])
        if not confirmed:
            results.append(_apply(uow, p, replace(pending, kind="hand_on", at=at, id=None), {}))
    award_badges(uow, p, {e.user_id for r in results for e in r.entries})
    return results


def _zone(uow, user_id: int):
    try:
        return ZoneInfo(uow.users.get(user_id).timezone)
    except (NotFound, ZoneInfoNotFoundError, ValueError):
        return None


def award_badges(uow, p: Programme, user_ids) -> list[Award]:
    """Award the badge tiers the users' ledgers have reached and they do not hold yet."""
    new: list[Award] = []
    for user_id in sorted(user_ids):
        found = evaluate(uow.gamification.entries(user_id=user_id), p.badges, uow.gamification.held(user_id),
                         {user_id: _zone(uow, user_id)}, p.night)
        uow.gamification.add_awards(found)
        new.extend(found)
    return new


def recompute_badges(uow, programme: Programme | None = None) -> list[Award]:
    """Re-evaluate every user's badges over the whole ledger (after a rule change); never awards twice."""
    p = programme or _programme
    users = {e.user_id for e in uow.gamification.entries()}
    return award_badges(uow, p, users)


def recompute(uow, now: datetime, programme: Programme | None = None) -> dict:
    """Replay every activity under the current rules, append corrections, rebuild the leaderboard totals.

    Weekly and monthly totals are rebuilt from the previous month on (the boards people look at).
    """
    p = programme or _programme
    fixes = corrections(replay(uow.gamification.activities(), p.points), uow.gamification.entries(), now)
    uow.gamification.append(fixes, {})
    horizon = (now.replace(day=1, hour=0, minute=0, second=0, microsecond=0) - timedelta(days=1)).replace(day=1)
    rows = uow.gamification.rebuild_totals(p.weights, horizon - timedelta(days=7))
    awards = recompute_badges(uow, p)
    return {"corrections": len(fixes), "points_changed": sum(f.points for f in fixes), "totals": rows,
            "awards": len(awards)}
