"""Rewards catalogue and redemptions: super-users request, managers approve; every approval is a ledger entry."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from community.domain.errors import Forbidden
from community.domain.gamification import rewards as rules
from community.domain.gamification.programme import Programme
from community.domain.gamification.rewards import Redemption, Reward
from community.domain.model import Role, User

MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})


def sync_catalogue(uow, programme: Programme) -> list[str]:
    """Create the catalogue's rewards that the database does not have yet (by name); return their names."""
    known = {r.name for r in uow.catalogue.rewards()}
    added = [r for r in programme.catalogue if r.name not in known]
    for reward in added:
        uow.catalogue.save_reward(reward)
    return [r.name for r in added]


def catalogue(uow) -> list[Reward]:
    """Return the rewards on offer."""
    return uow.catalogue.rewards(active_only=True)


def request(uow, user: User, reward_id: int, now: datetime) -> Redemption:
    """Ask for a reward; the points are reserved by the open request until a manager decides."""
    reward = uow.catalogue.reward(reward_id)
    asked = rules.request(reward, user.id, uow.gamification.balance(user.id), uow.catalogue.pending_cost(user.id), now)
    return replace(asked, id=uow.catalogue.add_redemption(asked))


def _manager(user: User) -> None:
    if user.role not in MANAGERS:
        raise Forbidden("only managers decide on redemptions")


def approve(uow, manager: User, redemption_id: int, now: datetime) -> Redemption:
    """Approve a request: take one from stock and spend the price through a ledger entry."""
    _manager(manager)
    asked = uow.catalogue.redemption(redemption_id, for_update=True)
    reward = uow.catalogue.reward(asked.reward_id)
    decided, reward, entry = rules.approve(asked, reward, uow.gamification.balance(asked.user_id), manager.id, now)
    (stored,) = uow.gamification.append([entry], {})
    decided = replace(decided, points_event_id=stored.id)
    uow.catalogue.save_reward(reward)
    uow.catalogue.save_redemption(decided)
    return decided


def decline(uow, user: User, redemption_id: int, now: datetime, note: str = "") -> Redemption:
    """Reject a request (a manager) or cancel one's own (the requester); no points move."""
    asked = uow.catalogue.redemption(redemption_id, for_update=True)
    cancel = asked.user_id == user.id
    if not cancel:
        _manager(user)
    decided = rules.decline(asked, user.id, now, cancel=cancel, note=note)
    uow.catalogue.save_redemption(decided)
    return decided


def requests(uow, viewer: User, status: str | None = "requested") -> list[Redemption]:
    """Return requests: all of them for managers, one's own otherwise."""
    if viewer.role in MANAGERS:
        return uow.catalogue.redemptions(status=status)
    return uow.catalogue.redemptions(user_id=viewer.id, status=status)
