"""SQL storage of the rewards catalogue, redemption requests and super-user discovery (external identities)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from community.adapters.sql.tables import ExternalIdentityRow, PostRow, RedemptionRow, RewardRow
from community.domain.errors import NotFound
from community.domain.gamification.discovery import AuthorPost
from community.domain.gamification.rewards import Redemption, Reward


def _reward(row: RewardRow) -> Reward:
    return Reward(id=row.id, name=row.name, price=row.price, stock=row.stock, kind=row.kind,
                  description=row.description, active=row.active)


def _redemption(row: RedemptionRow) -> Redemption:
    return Redemption(id=row.id, reward_id=row.reward_id, user_id=row.user_id, requested_at=row.requested_at,
                      status=row.status, decided_at=row.decided_at, decided_by=row.decided_by,
                      points_event_id=row.points_event_id, note=row.note or "")


def _sentiment(analysis: dict, label: str) -> float:
    found = (analysis or {}).get("sentiment") or {}
    if isinstance(found, dict) and "score" in found:
        return float(found["score"])
    return {"positive": 0.5, "negative": -0.5}.get(label, 0.0)


class SqlCatalogueRepository:
    """Rewards, redemptions, and the discovery side of external identities."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def rewards(self, *, active_only: bool = False) -> list[Reward]:
        """Return the catalogue, cheapest first."""
        stmt = select(RewardRow).order_by(RewardRow.price, RewardRow.name)
        if active_only:
            stmt = stmt.where(RewardRow.active.is_(True))
        return [_reward(r) for r in self.session.scalars(stmt)]

    def reward(self, reward_id: int) -> Reward:
        """Return one reward or raise NotFound."""
        row = self.session.get(RewardRow, reward_id)
        if row is None:
            raise NotFound(f"reward {reward_id} does not exist")
        return _reward(row)

    def save_reward(self, reward: Reward) -> int:
        """Insert (no id) or update a reward; return its id."""
        row = RewardRow() if reward.id is None else self.session.get(RewardRow, reward.id)
        if row is None:
            raise NotFound(f"reward {reward.id} does not exist")
        row.name, row.price, row.stock, row.kind = reward.name, reward.price, reward.stock, reward.kind
        row.description, row.active = reward.description, reward.active
        self.session.add(row)
        self.session.flush()
        return row.id

    def add_redemption(self, redemption: Redemption) -> int:
        """Store a new request; return its id."""
        row = RedemptionRow(reward_id=redemption.reward_id, user_id=redemption.user_id, status=redemption.status,
                            requested_at=redemption.requested_at, note=redemption.note)
        self.session.add(row)
        self.session.flush()
        return row.id

    def redemption(self, redemption_id: int, *, for_update: bool = False) -> Redemption:
        """Return one request (locked for the decision when asked) or raise NotFound."""
        stmt = select(RedemptionRow).where(RedemptionRow.id == redemption_id)
        row = self.session.scalar(stmt.with_for_update() if for_update else stmt)
        if row is None:
            raise NotFound(f"redemption request {redemption_id} does not exist")
        return _redemption(row)

    def save_redemption(self, redemption: Redemption) -> None:
        """Write a decision back."""
        row = self.session.get(RedemptionRow, redemption.id)
        row.status, row.decided_at, row.decided_by = redemption.status, redemption.decided_at, redemption.decided_by
        row.points_event_id, row.note = redemption.points_event_id, redemption.note

    def redemptions(self, *, user_id: int | None = None, status: str | None = None) -> list[Redemption]:
        """Return requests, newest first."""
        stmt = select(RedemptionRow).order_by(RedemptionRow.requested_at.desc(), RedemptionRow.id.desc())
        if user_id is not None:
            stmt = stmt.where(RedemptionRow.user_id == user_id)
        if status is not None:
            stmt = stmt.where(RedemptionRow.status == status)
        return [_redemption(r) for r in self.session.scalars(stmt)]

    def pending_cost(self, user_id: int) -> int:
        """Return what a user's open requests would cost."""
        stmt = (select(func.coalesce(func.sum(RewardRow.price), 0)).select_from(RedemptionRow)
                .join(RewardRow, RewardRow.id == RedemptionRow.reward_id)
                .where(RedemptionRow.user_id == user_id, RedemptionRow.status == "requested"))
        return int(self.session.scalar(stmt) or 0)

    # discovery --------------------------------------------------------------------------------------------
    def author_posts(self, since: datetime | None = None, limit: int = 50_000) -> list[AuthorPost]:
        """Return crawled posts with an author, reduced to the signals discovery weighs."""
        stmt = select(PostRow).where(PostRow.author != "").order_by(PostRow.id.desc()).limit(limit)
        if since is not None:
            stmt = stmt.where(PostRow.published >= since)
        return [AuthorPost(source=r.source, author=r.author, url=r.url, text=r.text, published=r.published,
                           is_reply=bool((r.extra or {}).get("is_reply")),
                           reach=int((r.extra or {}).get("author_reach") or 0),
                           sentiment=_sentiment(r.analysis, r.sentiment), topic=r.topic or "other")
                for r in self.session.scalars(stmt)]

    def identity_statuses(self) -> dict[tuple[str, str], str]:
        """Return the status of every external identity a manager has marked."""
        rows = self.session.execute(select(ExternalIdentityRow.source, ExternalIdentityRow.handle,
                                           ExternalIdentityRow.status))
        return {(s, h): st for s, h, st in rows}

    def mark_identity(self, source: str, handle: str, status: str, by: int, at: datetime,
                      user_id: int | None = None) -> None:
        """Set an external identity's status (creating it), linking it to a platform user when given."""
        row = self.session.scalar(select(ExternalIdentityRow).where(ExternalIdentityRow.source == source,
                                                                    ExternalIdentityRow.handle == handle))
        if row is None:
            row = ExternalIdentityRow(source=source, handle=handle)
            self.session.add(row)
        row.status, row.status_by, row.status_at = status, by, at
        if user_id is not None:
            row.user_id = user_id
        self.session.flush()

    def linked_users(self, identities: Iterable[tuple[str, str]]) -> set[int]:
        """Return the platform users linked to some (source, handle) identities."""
        wanted = set(identities)
        if not wanted:
            return set()
        rows = self.session.execute(select(ExternalIdentityRow.source, ExternalIdentityRow.handle,
                                           ExternalIdentityRow.user_id).where(ExternalIdentityRow.user_id.is_not(None)))
        return {u for s, h, u in rows if (s, h) in wanted}
