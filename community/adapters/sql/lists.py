"""``column IN (…)`` for long lists as one bound parameter, so no statement has to be compiled per list length."""
from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import ColumnElement, String, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session


def one_of(session: Session, column, values: Iterable) -> ColumnElement[bool]:
    """Return ``column IN values``: an array parameter on PostgreSQL, a JSON array read by ``json_each`` on SQLite.

    SQLAlchemy's ``in_`` expands a list into one parameter per value, and compiling that costs more than the
    query itself for the thousands of keys an ingest batch looks up; this form has one parameter and is cached.
    """
    values = list(values)
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(column.type)))
    each = func.json_each(bindparam(None, json.dumps(values), type_=String)).table_valued("value")
    return column.in_(select(each.c.value))
