"""Super-user profiles for matching, with their current load and track record, read in a few queries."""
from __future__ import annotations

import statistics
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from community.adapters.sql.tables import AnswerRow, ClaimRow, OfferRow, PointsEventRow, ThreadRow, UserRow
from community.domain.errors import ValidationError
from community.domain.gamification.ledger import REDEMPTION, LedgerEntry
from community.domain.routing.availability import Availability, Window
from community.domain.routing.matching import SuperUserProfile, TrackRecord

NEVER_AVAILABLE = (Window(frozenset(), 0, 0),)
TRACK_DAYS = 90


def _availability(row: UserRow) -> Availability:
    try:
        return Availability.parse(row.timezone or "UTC", row.availability or ())
    except ValidationError:  # a broken profile gets nothing rather than everything
        return Availability("UTC", NEVER_AVAILABLE)


def _counts(session: Session, stmt) -> dict[int, int]:
    return {user_id: n for user_id, n in session.execute(stmt)}


def super_user_profiles(session: Session, now: datetime) -> list[SuperUserProfile]:
    """Return every super-user's profile: expertise, languages, windows, load, fairness and track record."""
    users = list(session.scalars(select(UserRow).where(UserRow.role == "superuser").order_by(UserRow.id)))
    claims = _counts(session, select(ThreadRow.claimed_by, func.count()).where(
        ThreadRow.state == "claimed", ThreadRow.claim_expires > now).group_by(ThreadRow.claimed_by))
    offers = _counts(session, select(OfferRow.user_id, func.count()).where(
        OfferRow.status == "open", OfferRow.expires_at > now).group_by(OfferRow.user_id))
    hourly = _counts(session, select(ClaimRow.user_id, func.count()).where(
        ClaimRow.claimed_at >= now - timedelta(hours=1)).group_by(ClaimRow.user_id))
    last = dict(session.execute(select(OfferRow.user_id, func.max(OfferRow.offered_at)).group_by(OfferRow.user_id)).all())
    answers: dict[int, list[tuple[bool, float]]] = {}
    stmt = (select(AnswerRow.author_id, AnswerRow.accepted, AnswerRow.created_at, ThreadRow.created_at)
            .join(ThreadRow, ThreadRow.id == AnswerRow.thread_id)
            .where(AnswerRow.created_at >= now - timedelta(days=TRACK_DAYS)))
    for author, accepted, answered_at, opened_at in session.execute(stmt):
        minutes = (answered_at - opened_at).total_seconds() / 60 if opened_at else 0.0
        answers.setdefault(author, []).append((bool(accepted), max(0.0, minutes)))
    profiles = []
    for u in users:
        done = answers.get(u.id, [])
        track = TrackRecord(len(done), sum(a for a, _ in done) / len(done) if done else 0.0,
                            statistics.median(m for _, m in done) if done else None)
        profiles.append(SuperUserProfile(
            u.id, u.name, frozenset(u.languages or ()), {k: int(v) for k, v in (u.expertise or {}).items()},
            _availability(u), u.capacity, u.active, track, claims.get(u.id, 0), offers.get(u.id, 0),
            hourly.get(u.id, 0), last.get(u.id)))
    return profiles


def rank_ledger(session: Session, user_ids: list[int]) -> list[LedgerEntry]:
    """Return the users' earned ledger boiled down to what a rank reads, in one query.

    Per user at most two entries: the sum of the gains dated at the latest gain, and the sum of the losses;
    ``ranks.standing`` gives the same rank over these as over the whole ledger.
    """
    gain = case((PointsEventRow.points > 0, 1), else_=0)
    stmt = (select(PointsEventRow.user_id, func.sum(PointsEventRow.points), func.max(PointsEventRow.at))
            .where(PointsEventRow.user_id.in_(user_ids), PointsEventRow.rule != REDEMPTION)
            .group_by(PointsEventRow.user_id, gain))
    return [LedgerEntry(user_id, at, "rank_digest", int(points)) for user_id, points, at in session.execute(stmt)]
