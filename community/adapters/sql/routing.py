"""SQL storage of the work on threads: offers, claims log, answers and reviews, SLA breaches, alerts."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import case, event, func, insert, select, update
from sqlalchemy.orm import Session

from community.adapters.sql import repositories  # module import: repositories imports this module too
from community.adapters.sql.profiles import rank_ledger, super_user_profiles
from community.adapters.sql.tables import (
    AnswerReviewRow,
    AnswerRow,
    AuditEventRow,
    ClaimRow,
    DecisionRow,
    OfferRow,
    SlaBreachRow,
    ThreadRow,
    UserRow,
)
from community.domain.errors import NotFound
from community.domain.gamification.ledger import LedgerEntry
from community.domain.routing.matching import SuperUserProfile
from community.domain.routing.records import AnswerRecord, DecisionRecord, Offer, SlaRecord
from community.domain.routing.review import Verdict, Vote

OPEN = ("new", "routed", "claimed", "escalated", "answered")


def _decision(row: DecisionRow) -> DecisionRecord:
    return DecisionRecord(row.thread_id, row.at, row.target, row.queue, row.rule, dict(row.explanation or {}))


def _answer(row: AnswerRow) -> AnswerRecord:
    return AnswerRecord(row.id, row.thread_id, row.author_id, row.body, row.status, row.created_at, row.accepted)


class SqlRoutingRepository:
    """Everything routing and the work on threads store beyond the thread row itself."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._decisions: list[dict] = []  # recorded, written together before the next read or the commit
        event.listen(session, "before_commit", self._write_decisions)

    # decisions ---------------------------------------------------------------------------------------------
    def record_decision(self, decision: DecisionRecord) -> None:
        """Append a routing decision to the thread's decision history (an analysis pass records thousands)."""
        self._decisions.append(dict(thread_id=decision.thread_id, at=decision.at, target=decision.target[:20],
                                    queue=decision.queue[:60], rule=decision.rule[:120],
                                    explanation=dict(decision.explanation)))

    def _write_decisions(self, *_session) -> None:
        if self._decisions:
            rows, self._decisions = self._decisions, []
            self.session.execute(insert(DecisionRow.__table__), rows)

    def decisions(self, thread_id: int) -> list[DecisionRecord]:
        """Return a thread's routing decisions, oldest first."""
        self._write_decisions()
        rows = self.session.scalars(select(DecisionRow).where(DecisionRow.thread_id == thread_id)
                                    .order_by(DecisionRow.at, DecisionRow.id))
        return [_decision(r) for r in rows]

    def first_decisions(self, thread_ids: Iterable[int]) -> dict[int, DecisionRecord]:
        """Return the original (first recorded) routing decision of each of these threads that has one."""
        self._write_decisions()
        first = (select(func.min(DecisionRow.id)).where(DecisionRow.thread_id.in_(list(thread_ids)))
                 .group_by(DecisionRow.thread_id))
        rows = self.session.scalars(select(DecisionRow).where(DecisionRow.id.in_(first)))
        return {r.thread_id: _decision(r) for r in rows}

    # offers ------------------------------------------------------------------------------------------------
    def add_offers(self, thread_id: int, user_ids: Iterable[int], *, at: datetime, expires: datetime,
                   round: int) -> None:
        """Offer a thread to these super-users."""
        self.session.add_all(OfferRow(thread_id=thread_id, user_id=u, offered_at=at, expires_at=expires,
                                      round=round, status="open") for u in user_ids)
        self.session.flush()

    def offers(self, thread_id: int) -> list[Offer]:
        """Return every offer of a thread, oldest first."""
        rows = self.session.scalars(select(OfferRow).where(OfferRow.thread_id == thread_id).order_by(OfferRow.id))
        return [Offer(r.thread_id, r.user_id, r.offered_at, r.expires_at, r.round, r.status) for r in rows]

    def offered_threads(self, user_id: int, now: datetime) -> list[int]:
        """Return the threads with an open offer to this user."""
        stmt = select(OfferRow.thread_id).where(OfferRow.user_id == user_id, OfferRow.status == "open",
                                                OfferRow.expires_at > now).order_by(OfferRow.offered_at)
        return list(self.session.scalars(stmt))

    def close_offers(self, thread_id: int, status: str, *, taken_by: int | None = None) -> None:
        """Close the open offers of a thread with ``status``; the claimer's own offer becomes ``taken``."""
        value = case((OfferRow.user_id == taken_by, "taken"), else_=status) if taken_by is not None else status
        stmt = (update(OfferRow).where(OfferRow.thread_id == thread_id, OfferRow.status == "open")
                .values(status=value).execution_options(synchronize_session=False))
        self.session.execute(stmt)

    def rank_ledger(self, user_ids: Iterable[int]) -> list[LedgerEntry]:
        """Return the users' earned points boiled down to what their rank depends on (see ``profiles.py``)."""
        return rank_ledger(self.session, list(user_ids))

    def lock_claimer(self, user_id: int) -> int:
        """Lock the user's row until the transaction ends (``FOR UPDATE``) and return their profile capacity."""
        stmt = select(UserRow.capacity).where(UserRow.id == user_id).with_for_update()
        capacity = self.session.scalar(stmt)
        if capacity is None:
            raise NotFound(f"user {user_id} does not exist")
        return capacity

    # claims log ----------------------------------------------------------------------------------------------
    def log_claim(self, thread_id: int, user_id: int, at: datetime, expires: datetime) -> None:
        """Record a claim taken (the fairness cap and track record count these)."""
        self.session.add(ClaimRow(thread_id=thread_id, user_id=user_id, claimed_at=at, expires_at=expires))

    def end_claim(self, thread_id: int, outcome: str, at: datetime, *, lapsed_only: bool = False) -> None:
        """Close the thread's open claim records (answered, released, expired, handed_on …).

        With ``lapsed_only`` only records whose lease had run out by ``at`` are closed (a takeover).
        """
        stmt = update(ClaimRow).where(ClaimRow.thread_id == thread_id, ClaimRow.ended_at.is_(None))
        if lapsed_only:
            stmt = stmt.where(ClaimRow.expires_at <= at)
        self.session.execute(stmt.values(ended_at=at, outcome=outcome).execution_options(synchronize_session=False))

    def extend_claim(self, thread_id: int, user_id: int, expires: datetime) -> None:
        """Move the expiry of the user's open claim record (a renewal)."""
        stmt = (update(ClaimRow).where(ClaimRow.thread_id == thread_id, ClaimRow.user_id == user_id,
                                       ClaimRow.ended_at.is_(None))
                .values(expires_at=expires).execution_options(synchronize_session=False))
        self.session.execute(stmt)

    def claimers(self, thread_id: int) -> set[int]:
        """Return everyone who has ever claimed this thread."""
        return set(self.session.scalars(select(ClaimRow.user_id).where(ClaimRow.thread_id == thread_id)))

    def claims_since(self, user_id: int, since: datetime) -> int:
        """Return how many claims a user took since a time."""
        stmt = select(func.count()).select_from(ClaimRow).where(ClaimRow.user_id == user_id,
                                                                ClaimRow.claimed_at >= since)
        return self.session.scalar(stmt) or 0

    def renew(self, thread_id: int, user_id: int, now: datetime, expires: datetime) -> bool:
        """Extend the holder's live lease; False when the lease is gone or someone else's."""
        stmt = (update(ThreadRow)
                .where(ThreadRow.id == thread_id, ThreadRow.state == "claimed", ThreadRow.claimed_by == user_id,
                       ThreadRow.claim_expires > now)
                .values(claim_expires=expires, updated_at=now).execution_options(synchronize_session=False))
        return self.session.execute(stmt).rowcount == 1

    # answers and reviews -----------------------------------------------------------------------------------
    def latest_answer(self, thread_id: int) -> AnswerRecord | None:
        """Return the newest answer of a thread."""
        row = self.session.scalar(select(AnswerRow).where(AnswerRow.thread_id == thread_id)
                                  .order_by(AnswerRow.id.desc()).limit(1))
        return _answer(row) if row else None

    def set_answer_status(self, answer_id: int, status: str, *, accepted: bool | None = None) -> None:
        """Move an answer to ``pending_review``, ``changes_requested`` or ``published``."""
        row = self.session.get(AnswerRow, answer_id)
        row.status = status
        if accepted is not None:
            row.accepted = accepted

    def add_vote(self, answer_id: int, vote: Vote, at: datetime) -> None:
        """Store a review vote."""
        self.session.add(AnswerReviewRow(answer_id=answer_id, reviewer_id=vote.reviewer_id, staff=vote.staff,
                                         verdict=str(vote.verdict), note=vote.note, at=at))
        self.session.flush()

    def votes(self, answer_id: int) -> list[Vote]:
        """Return the votes on an answer, oldest first."""
        rows = self.session.scalars(select(AnswerReviewRow).where(AnswerReviewRow.answer_id == answer_id)
                                    .order_by(AnswerReviewRow.id))
        return [Vote(r.reviewer_id, r.staff, Verdict(r.verdict), r.note) for r in rows]

    def awaiting_review(self, limit: int = 100) -> list[AnswerRecord]:
        """Return answers waiting for review, oldest first."""
        rows = self.session.scalars(select(AnswerRow).where(AnswerRow.status == "pending_review")
                                    .order_by(AnswerRow.created_at).limit(limit))
        return [_answer(r) for r in rows]

    # SLA ---------------------------------------------------------------------------------------------------
    def mark(self, thread_id: int, *, first_response_at: datetime | None = None,
             resolved_at: datetime | None = None) -> None:
        """Record the first response (once) and the resolution time of a thread."""
        row = self.session.get(ThreadRow, thread_id)
        if first_response_at is not None and row.first_response_at is None:
            row.first_response_at = first_response_at
        if resolved_at is not None:
            row.resolved_at = resolved_at

    def times(self, thread_id: int) -> tuple[datetime | None, datetime | None]:
        """Return when a thread was first answered and when it was resolved."""
        row = self.session.execute(select(ThreadRow.first_response_at, ThreadRow.resolved_at)
                                   .where(ThreadRow.id == thread_id)).one_or_none()
        return (row[0], row[1]) if row else (None, None)

    def sla_records(self, limit: int = 1000) -> list[SlaRecord]:
        """Return open threads with first response, resolution, last offer and recorded breaches."""
        rows = list(self.session.scalars(select(ThreadRow).where(ThreadRow.state.in_(OPEN))
                                         .order_by(ThreadRow.created_at).limit(limit)))
        ids = [r.id for r in rows]
        offers = dict(self.session.execute(select(OfferRow.thread_id, func.max(OfferRow.offered_at))
                                           .where(OfferRow.thread_id.in_(ids)).group_by(OfferRow.thread_id)).all())
        rounds = dict(self.session.execute(select(OfferRow.thread_id, func.max(OfferRow.round))
                                           .where(OfferRow.thread_id.in_(ids)).group_by(OfferRow.thread_id)).all())
        breaches: dict[int, set[str]] = {}
        for thread_id, kind in self.session.execute(select(SlaBreachRow.thread_id, SlaBreachRow.kind)
                                                    .where(SlaBreachRow.thread_id.in_(ids))):
            breaches.setdefault(thread_id, set()).add(kind)
        return [SlaRecord(repositories._thread(r), r.first_response_at, r.resolved_at, offers.get(r.id), rounds.get(r.id, 0),
                          frozenset(breaches.get(r.id, ()))) for r in rows]

    def record_breach(self, thread_id: int, kind: str, due: datetime, at: datetime) -> None:
        """Record a missed target (the job records each kind once per thread)."""
        self.session.add(SlaBreachRow(thread_id=thread_id, kind=kind, due_at=due, at=at))

    def breaches(self, since: datetime | None = None) -> list[dict]:
        """Return recorded breaches, newest first."""
        stmt = select(SlaBreachRow).order_by(SlaBreachRow.at.desc())
        if since is not None:
            stmt = stmt.where(SlaBreachRow.at >= since)
        return [{"thread_id": r.thread_id, "kind": r.kind, "due_at": r.due_at, "at": r.at}
                for r in self.session.scalars(stmt)]

    def alert(self, action: str, subject: str, data: dict, at: datetime) -> None:
        """Raise an alert event (an audit event the dashboards and notifiers read)."""
        self.session.add(AuditEventRow(at=at, action=action, subject=subject, data=data))

    def alerts(self, action: str | None = None, limit: int = 100) -> list[dict]:
        """Return raised alerts, newest first."""
        stmt = select(AuditEventRow).order_by(AuditEventRow.at.desc(), AuditEventRow.id.desc()).limit(limit)
        if action is not None:
            stmt = stmt.where(AuditEventRow.action == action)
        return [{"at": r.at, "action": r.action, "subject": r.subject, "data": dict(r.data or {})}
                for r in self.session.scalars(stmt)]

    def update_profile(self, name: str, **fields) -> None:
        """Change a super-user's matching profile (expertise, languages, timezone, availability, capacity, active)."""
        row = self.session.scalar(select(UserRow).where(UserRow.name == name))
        if row is None:
            raise NotFound(f"user {name!r} does not exist")
        for key, value in fields.items():
            setattr(row, key, value)

    def profiles(self, now: datetime) -> list[SuperUserProfile]:
        """Return every super-user's matching profile with current load (see ``profiles.py``)."""
        return super_user_profiles(self.session, now)
