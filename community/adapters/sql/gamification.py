"""SQL storage of the points programme: activities, the append-only ledger, derived leaderboard totals, awards."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from community.adapters.sql.tables import AwardRow, KBArticleRow, LeaderboardTotalRow, PointsActivityRow, PointsEventRow
from community.domain.gamification.badges import Award
from community.domain.gamification.leaderboard import contributions
from community.domain.gamification.ledger import LedgerEntry
from community.domain.gamification.points import Activity

_ENTRY_FIELDS = ("user_id", "at", "rule", "points", "reason", "thread_id", "article_id", "reverses_id", "topic",
                 "language", "activity_id")


def _entry(row: PointsEventRow) -> LedgerEntry:
    return LedgerEntry(id=row.id, **{name: getattr(row, name) for name in _ENTRY_FIELDS})


def _activity(row: PointsActivityRow) -> Activity:
    data = row.data or {}
    return Activity(kind=row.kind, user_id=row.user_id, at=row.at, thread_id=row.thread_id,
                    article_id=row.article_id, topic=row.topic, language=row.language, actor_id=row.actor_id,
                    thread_author_ids=frozenset(data.get("thread_author_ids", ())), length=data.get("length", 0),
                    fingerprint=tuple(data.get("fingerprint", ())), claim_releases=data.get("claim_releases", 0),
                    id=row.id)


class SqlGamificationRepository:
    """Activities, ledger entries (append only), leaderboard totals kept in step with the ledger, and awards."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # activities -------------------------------------------------------------------------------------------
    def add_activity(self, activity: Activity, outcome: str = "", extra: Mapping | None = None) -> int:
        """Record an activity with how the rules judged it; return its id."""
        data = {"thread_author_ids": sorted(activity.thread_author_ids), "length": activity.length,
                "fingerprint": list(activity.fingerprint), "claim_releases": activity.claim_releases, **(extra or {})}
        row = PointsActivityRow(kind=activity.kind, user_id=activity.user_id, at=activity.at,
                                thread_id=activity.thread_id, article_id=activity.article_id, topic=activity.topic,
                                language=activity.language, actor_id=activity.actor_id, data=data, outcome=outcome)
        self.session.add(row)
        self.session.flush()
        return row.id

    def activities(self, *, user_id: int | None = None, thread_id: int | None = None,
                   kinds: Iterable[str] | None = None) -> list[Activity]:
        """Return activities, oldest first, filtered by user, thread and kinds."""
        return [_activity(r) for r in self.session.scalars(self._activities(user_id, thread_id, kinds))]

    def activity_data(self, *, user_id: int, kinds: Iterable[str]) -> list[tuple[str, str, dict]]:
        """Return (kind, outcome, data) of a user's activities of some kinds."""
        stmt = self._activities(user_id, None, kinds).with_only_columns(
            PointsActivityRow.kind, PointsActivityRow.outcome, PointsActivityRow.data)
        return [(k, o, d or {}) for k, o, d in self.session.execute(stmt)]

    def _activities(self, user_id, thread_id, kinds):
        stmt = select(PointsActivityRow).order_by(PointsActivityRow.at, PointsActivityRow.id)
        if user_id is not None:
            stmt = stmt.where(PointsActivityRow.user_id == user_id)
        if thread_id is not None:
            stmt = stmt.where(PointsActivityRow.thread_id == thread_id)
        if kinds is not None:
            stmt = stmt.where(PointsActivityRow.kind.in_(list(kinds)))
        return stmt

    # ledger -----------------------------------------------------------------------------------------------
    def append(self, entries: Iterable[LedgerEntry], weights: Mapping) -> list[LedgerEntry]:
        """Append entries to the ledger and add them to the leaderboard totals; return them with ids."""
        stored = []
        for entry in entries:
            row = PointsEventRow(**{name: getattr(entry, name) for name in _ENTRY_FIELDS})
            self.session.add(row)
            self.session.flush()
            stored.append(_entry(row))
            counted = self.session.get(PointsEventRow, entry.reverses_id).at if entry.reverses_id else None
            self._add_totals(contributions(entry, weights, counted), entry.user_id)
        return stored

    def entries(self, *, user_id: int | None = None, thread_id: int | None = None,
                since: datetime | None = None) -> list[LedgerEntry]:
        """Return ledger entries, oldest first, by user, thread and time."""
        stmt = select(PointsEventRow).order_by(PointsEventRow.at, PointsEventRow.id)
        if user_id is not None:
            stmt = stmt.where(PointsEventRow.user_id == user_id)
        if thread_id is not None:
            stmt = stmt.where(PointsEventRow.thread_id == thread_id)
        if since is not None:
            stmt = stmt.where(PointsEventRow.at >= since)
        return [_entry(r) for r in self.session.scalars(stmt)]

    def balance(self, user_id: int) -> int:
        """Return a user's balance: the sum of their ledger entries."""
        stmt = select(func.coalesce(func.sum(PointsEventRow.points), 0)).where(PointsEventRow.user_id == user_id)
        return int(self.session.scalar(stmt) or 0)

    # leaderboard totals -----------------------------------------------------------------------------------
    def _add_totals(self, parts: list[tuple[str, str, str, int]], user_id: int) -> None:
        if not parts:
            return
        dialect = self.session.get_bind().dialect.name
        upsert = (postgresql if dialect == "postgresql" else sqlite).insert(LeaderboardTotalRow)
        rows = [{"period": p, "period_key": k, "scope": s, "user_id": user_id, "points": n} for p, k, s, n in parts]
        self.session.execute(upsert.on_conflict_do_update(
            index_elements=["period", "period_key", "scope", "user_id"],
            set_={"points": LeaderboardTotalRow.points + upsert.excluded.points}), rows)

    def board(self, period: str, period_key: str, scope: str, limit: int) -> dict[int, int]:
        """Return {user: points} of one board's top ``limit``, read from the derived totals."""
        t = LeaderboardTotalRow
        stmt = (select(t.user_id, t.points).where(t.period == period, t.period_key == period_key, t.scope == scope)
                .order_by(t.points.desc(), t.user_id).limit(limit))
        return dict(self.session.execute(stmt).all())

    def stored_totals(self) -> dict[tuple[str, str, str, int], int]:
        """Return every derived total (for checking it against the ledger)."""
        t = LeaderboardTotalRow
        rows = self.session.execute(select(t.period, t.period_key, t.scope, t.user_id, t.points))
        return {(p, k, s, u): n for p, k, s, u, n in rows if n}

    def rebuild_totals(self, weights: Mapping, horizon: datetime | None = None) -> int:
        """Throw the derived totals away and fold them again from the ledger; return the row count.

        All-time boards take every entry; weekly and monthly boards only entries from ``horizon`` on (the
        current and recent periods: older periods are history nobody ranks by, and would multiply the rows).
        """
        self.session.execute(delete(LeaderboardTotalRow))
        folded: dict[tuple[str, str, str, int], int] = defaultdict(int)
        for entry, counted in self._stream_entries():
            recent = horizon is None or (counted or entry.at) >= horizon
            for period, key, name, points in contributions(entry, weights, counted):
                if recent or period == "all":
                    folded[(period, key, name, entry.user_id)] += points
        rows = [{"period": p, "period_key": k, "scope": s, "user_id": u, "points": n}
                for (p, k, s, u), n in folded.items()]
        for start in range(0, len(rows), 20_000):
            self.session.execute(insert(LeaderboardTotalRow), rows[start:start + 20_000])
        return len(rows)

    def _stream_entries(self) -> Iterable[tuple[LedgerEntry, datetime | None]]:
        award = aliased(PointsEventRow)
        stmt = (select(*(getattr(PointsEventRow, n) for n in _ENTRY_FIELDS), award.at)
                .outerjoin(award, award.id == PointsEventRow.reverses_id).execution_options(yield_per=20_000))
        for *values, counted in self.session.execute(stmt):
            yield LedgerEntry(*values), counted

    # awards -----------------------------------------------------------------------------------------------
    def held(self, user_id: int | None = None) -> set[tuple[int, str, str]]:
        """Return (user, badge, tier) of every award held."""
        stmt = select(AwardRow.user_id, AwardRow.badge, AwardRow.tier)
        if user_id is not None:
            stmt = stmt.where(AwardRow.user_id == user_id)
        return {tuple(r) for r in self.session.execute(stmt)}

    def add_awards(self, awards: Iterable[Award]) -> int:
        """Store new awards; return how many."""
        rows = [AwardRow(user_id=a.user_id, badge=a.badge, tier=a.tier, awarded_at=a.at, reason=a.reason,
                         points_event_id=a.points_event_id) for a in awards]
        self.session.add_all(rows)
        self.session.flush()
        return len(rows)

    def awards(self, user_id: int) -> list[Award]:
        """Return a user's awards, oldest first."""
        rows = self.session.scalars(select(AwardRow).where(AwardRow.user_id == user_id).order_by(AwardRow.awarded_at))
        return [Award(r.user_id, r.badge, r.tier, r.awarded_at, r.reason, r.points_event_id) for r in rows]

    def kb_articles_by(self, user_id: int) -> list[dict]:
        """Return the published knowledge-base articles a user wrote (id, title)."""
        stmt = (select(KBArticleRow.id, KBArticleRow.title)
                .where(KBArticleRow.author_id == user_id, KBArticleRow.published.is_(True)).order_by(KBArticleRow.id))
        return [{"id": i, "title": t} for i, t in self.session.execute(stmt)]
