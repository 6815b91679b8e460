"""Super-user matching profiles: expertise with levels, languages, time zone and windows, capacity, pause."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from community.domain.errors import ValidationError
from community.domain.model import Role
from community.domain.routing.availability import Availability
from community.ports import UnitOfWork


def set_profile(uow: UnitOfWork, name: str, *, expertise: Mapping[str, int] | None = None,
                languages: Sequence[str] | None = None, timezone: str | None = None,
                availability: Sequence[str] | None = None, capacity: int | None = None,
                active: bool | None = None) -> None:
    """Change what matching knows about a super-user; malformed values raise ValidationError naming them."""
    user = uow.users.by_name(name)
    if user is None or user.role != Role.SUPERUSER:
        raise ValidationError(f"{name!r} is not a super-user")
    fields: dict = {}
    if expertise is not None:
        bad = {t: lvl for t, lvl in expertise.items() if not 0 <= lvl <= 5}
        if bad:
            raise ValidationError(f"expertise levels go from 0 to 5, got {bad}")
        fields["expertise"] = dict(expertise)
    if languages is not None:
        fields["languages"] = [lang.strip().lower() for lang in languages if lang.strip()]
    if timezone is not None or availability is not None:
        parsed = Availability.parse(timezone or user.timezone, availability if availability is not None
                                    else user.availability)
        fields["timezone"], fields["availability"] = parsed.timezone, [s for s in (availability or
                                                                                   user.availability) if s.strip()]
    if capacity is not None:
        if not 1 <= capacity <= 100:
            raise ValidationError("capacity must be between 1 and 100 open claims")
        fields["capacity"] = capacity
    if active is not None:
        fields["active"] = active
    uow.routing.update_profile(name, **fields)
