"""Column types that behave the same on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """Store UTC; always hand back timezone-aware datetimes (SQLite drops the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def bind_processor(self, dialect):
        """On SQLite, write a datetime's UTC text in one step (the same text as the generic path; bulk inserts bind many)."""
        generic = super().bind_processor(dialect)
        if dialect.name != "sqlite":
            return generic

        last = [(None, None)]  # a batch's rows share their storing time: the last value with its text (one swap)

        def process(value):
            seen, text = last[0]
            if value is seen:
                return text
            if value.__class__ is not datetime:  # None, or a date or datetime subclass: the generic path
                return generic(value) if generic else value
            if value.tzinfo is None:  # SQLite DATETIME's storage format: 2026-11-26 09:00:00.000000
                text = value.isoformat(" ", "microseconds")
            else:
                text = value.astimezone(UTC).isoformat(" ", "microseconds")[:-6]  # less "+00:00"
            last[0] = (value, text)
            return text

        return process

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
