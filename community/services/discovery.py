"""Finding new super-users among the external authors of crawled posts; managers mark and link them."""
from __future__ import annotations

from datetime import datetime, timedelta

from community.domain.errors import Forbidden, ValidationError
from community.domain.gamification.discovery import STATUSES, Candidate, candidates
from community.domain.gamification.programme import Programme
from community.domain.model import Role, User

MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})


def _manager(user: User) -> None:
    if user.role not in MANAGERS:
        raise Forbidden("only managers see and mark super-user candidates")


def candidate_list(uow, viewer: User, programme: Programme, now: datetime, *, days: int = 365,
                   include_decided: bool = False, limit: int = 50) -> list[Candidate]:
    """Return ranked candidates with evidence; joined and not-a-fit authors only when asked."""
    _manager(viewer)
    found = candidates(uow.catalogue.author_posts(since=now - timedelta(days=days)), now, programme.discovery,
                       uow.catalogue.identity_statuses(), limit=limit * 3)
    if not include_decided:
        found = [c for c in found if c.status not in ("joined", "not_a_fit")]
    return found[:limit]


def mark(uow, manager: User, source: str, handle: str, status: str, now: datetime,
         user_name: str | None = None) -> None:
    """Mark a candidate invited, joined (linking the platform user) or not a fit."""
    _manager(manager)
    if status not in STATUSES:
        raise ValidationError(f"status must be one of {', '.join(STATUSES)}")
    user_id = None
    if status == "joined":
        if not user_name:
            raise ValidationError("name the platform user this author joined as")
        user = uow.users.by_name(user_name)
        if user is None:
            raise ValidationError(f"no platform user named {user_name!r}")
        user_id = user.id
    uow.catalogue.mark_identity(source, handle, status, manager.id, now, user_id)
