"""The store stage's fast parameter paths write exactly what SQLAlchemy's generic processing writes."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import DateTime
from sqlalchemy.dialects import sqlite

from community.adapters.sql.types import UTCDateTime

DIALECT = sqlite.dialect()
ZONES = st.sampled_from([None, UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-9, minutes=-30))])


def generic(value):
    """UTCDateTime's conversion followed by SQLite DATETIME's own formatting, the way SQLAlchemy chains them."""
    converted = UTCDateTime().process_bind_param(value, DIALECT)
    return DateTime().dialect_impl(DIALECT).bind_processor(DIALECT)(converted)


@given(st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=ZONES))
def test_a_datetime_is_written_to_sqlite_as_the_generic_path_writes_it(value):
    fast = UTCDateTime().dialect_impl(DIALECT).bind_processor(DIALECT)
    assert fast(value) == generic(value)


def test_stored_times_keep_their_sortable_text_form_on_sqlite():
    fast = UTCDateTime().dialect_impl(DIALECT).bind_processor(DIALECT)
    assert fast(None) is None
    assert fast(datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02 03:04:05.000000"
    assert fast(datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=1)))) == "2026-01-02 02:04:05.000006"
