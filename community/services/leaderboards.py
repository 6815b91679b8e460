"""Read side of the programme: leaderboards from the derived totals, and profiles (public stats vs own details)."""
from __future__ import annotations

import statistics
from datetime import datetime

from community.domain.gamification.leaderboard import period_key, ranked, scope
from community.domain.gamification.ledger import balance
from community.domain.gamification.programme import Programme
from community.domain.gamification.ranks import standing
from community.domain.model import Role, User

PRIVILEGED = frozenset({Role.MANAGER, Role.ADMIN})


def leaderboard(uow, period: str, now: datetime, *, topic: str | None = None, language: str | None = None,
                limit: int = 20) -> list[dict]:
    """Return the current week's, month's or all-time board (overall, per topic or language) with names."""
    board = uow.gamification.board(period, period_key(period, now), scope(topic, language), limit)
    rows = []
    for row in ranked(board, limit):
        user = uow.users.get(row.user_id)
        rows.append({"place": row.place, "user_id": row.user_id, "name": user.display_name or user.name,
                     "points": row.points})
    return rows


def _answer_stats(uow, user_id: int) -> dict:
    acts = uow.gamification.activity_data(user_id=user_id, kinds=["answer", "accepted"])
    answers = [d for kind, _, d in acts if kind == "answer"]
    accepted = sum(1 for kind, outcome, _ in acts if kind == "accepted" and not outcome)
    delays = [d["response_seconds"] for d in answers if d.get("response_seconds") is not None]
    return {"answers": len(answers), "accepted": accepted,
            "accepted_rate": round(accepted / len(answers), 3) if answers else None,
            "median_response_minutes": round(statistics.median(delays) / 60, 1) if delays else None}


def profile(uow, programme: Programme, user_id: int, viewer: User, now: datetime, history: int = 100) -> dict:
    """Return a user's profile; points history, balance and redemptions only for the user and managers."""
    user = uow.users.get(user_id)
    entries = uow.gamification.entries(user_id=user_id)
    mine = standing(entries, user_id, programme.ranks, programme.decay, now)
    data = {
        "user_id": user_id, "name": user.display_name or user.name, "role": str(user.role),
        "rank": mine.rank.name, "earned": mine.earned, "effective": mine.effective, "to_next": mine.to_next,
        "next_rank": mine.next_rank.name if mine.next_rank else None, "inactive_days": mine.inactive_days,
        "privileges": {"claim_capacity": mine.rank.claim_capacity, "max_topics": mine.rank.max_topics,
                       "can_mentor": mine.rank.can_mentor},
        "badges": [{"badge": a.badge, "tier": a.tier, "at": a.at, "reason": a.reason}
                   for a in uow.gamification.awards(user_id)],
        "kb_articles": uow.gamification.kb_articles_by(user_id),
        **_answer_stats(uow, user_id),
        "private": viewer.id == user_id or viewer.role in PRIVILEGED,
    }
    if data["private"]:
        data["balance"] = balance(entries, user_id)
        data["history"] = [{"at": e.at, "rule": e.rule, "points": e.points, "reason": e.reason,
                            "thread_id": e.thread_id, "article_id": e.article_id} for e in reversed(entries[-history:])]
        data["redemptions"] = uow.catalogue.redemptions(user_id=user_id)
    return data


def current_rank(uow, programme: Programme, user_id: int, now: datetime):
    """Return the user's rank now (with its privileges: claim capacity, topics, mentoring), decay included."""
    return standing(uow.gamification.entries(user_id=user_id), user_id, programme.ranks, programme.decay, now).rank
