"""The rewards catalogue and redemptions: requested by a super-user, approved by a manager, paid from the ledger."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from community.domain.errors import Conflict, InvalidTransition, ValidationError
from community.domain.gamification.ledger import REDEMPTION, LedgerEntry

KINDS = ("product_test", "discount", "event_invitation", "merchandise", "other")


@dataclass(frozen=True, slots=True)
class Reward:
    """A perk in the catalogue with its price in points and how many are left."""

    id: int | None
    name: str
    price: int
    stock: int
    kind: str = "other"
    description: str = ""
    active: bool = True


@dataclass(frozen=True, slots=True)
class Redemption:
    """A request for a reward: requested → approved | rejected | cancelled."""

    id: int | None
    reward_id: int
    user_id: int
    requested_at: datetime
    status: str = "requested"
    decided_at: datetime | None = None
    decided_by: int | None = None
    points_event_id: int | None = None
    note: str = ""


def available(balance: int, pending: int) -> int:
    """Return the points a user may still spend: balance minus what open requests would cost."""
    return balance - pending


def request(reward: Reward, user_id: int, balance: int, pending: int, at: datetime) -> Redemption:
    """Return a new request, or raise when the reward is off, out of stock or too expensive."""
    if not reward.active:
        raise ValidationError(f"{reward.name!r} is not offered any more")
    if reward.stock <= 0:
        raise Conflict(f"{reward.name!r} is out of stock")
    if available(balance, pending) < reward.price:
        raise ValidationError(f"{reward.name!r} costs {reward.price} points; "
                              f"{available(balance, pending)} are available")
    return Redemption(id=None, reward_id=reward.id or 0, user_id=user_id, requested_at=at)


def approve(redemption: Redemption, reward: Reward, balance: int, manager_id: int,
            at: datetime) -> tuple[Redemption, Reward, LedgerEntry]:
    """Approve a request: one less in stock and a ledger entry that spends the price."""
    _must_be_open(redemption)
    if redemption.user_id == manager_id:
        raise ValidationError("a manager cannot approve their own redemption")
    if reward.stock <= 0:
        raise Conflict(f"{reward.name!r} is out of stock")
    if balance < reward.price:
        raise ValidationError(f"the balance of {balance} points no longer covers {reward.price}")
    entry = LedgerEntry(user_id=redemption.user_id, at=at, rule=REDEMPTION, points=-reward.price,
                        reason=f"redeemed: {reward.name} (request {redemption.id})")
    decided = replace(redemption, status="approved", decided_at=at, decided_by=manager_id)
    return decided, replace(reward, stock=reward.stock - 1), entry


def decline(redemption: Redemption, by: int, at: datetime, *, cancel: bool = False, note: str = "") -> Redemption:
    """Reject a request (manager) or cancel it (the requester); no points move."""
    _must_be_open(redemption)
    if cancel and by != redemption.user_id:
        raise ValidationError("only the requester can cancel a request")
    return replace(redemption, status="cancelled" if cancel else "rejected", decided_at=at, decided_by=by, note=note)


def _must_be_open(redemption: Redemption) -> None:
    if redemption.status != "requested":
        raise InvalidTransition(f"request {redemption.id} is already {redemption.status}")
