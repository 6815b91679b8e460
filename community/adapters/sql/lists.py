"""``column IN (…)`` for long lists as one bound parameter, so no statement has to be compiled per list length."""
from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import BindParameter, ColumnElement, String, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session


def one_of(session: Session, column, values: Iterable) -> ColumnElement[bool]:
    """Return ``column IN values``: an array parameter on PostgreSQL, a JSON array read by ``json_each`` on SQLite.

    SQLAlchemy's ``in_`` expands a list into one parameter per value, and compiling that costs more than the
    query itself for the thousands of keys an ingest batch looks up; this form has one parameter and is cached.
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    return _in(column, bindparam(None, list_value(values, postgres), type_=_type(column, postgres)), postgres)


def one_of_named(column, name: str, postgres: bool) -> ColumnElement[bool]:
    """Return ``column IN :name`` in ``one_of``'s form, for a statement built once; pass ``list_value`` as ``name``."""
    return _in(column, bindparam(name, type_=_type(column, postgres)), postgres)


def list_value(values: Iterable, postgres: bool) -> list | str:
    """Return the parameter value for a list of values: the list itself on PostgreSQL, its JSON text on SQLite."""
    return list(values) if postgres else json.dumps(list(values))


def _type(column, postgres: bool):
    return ARRAY(column.type) if postgres else String


def _in(column, parameter: BindParameter, postgres: bool) -> ColumnElement[bool]:
    if postgres:
        return column == any_(parameter)
    return column.in_(select(func.json_each(parameter).table_valued("value").c.value))
