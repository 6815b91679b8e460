"""Multi-row inserts with RETURNING, written as one statement per page of rows without per-row parameter handling."""
from __future__ import annotations

from collections.abc import Callable
from itertools import chain
from operator import itemgetter

from sqlalchemy import JSON, Table, insert
from sqlalchemy.orm import Session

_MAX_PARAMETERS = 32_000  # SQLite allows 32,766 parameters per statement


def insert_returning(session: Session, table: Table, rows: list[dict], returning: tuple[str, ...]) -> list[tuple]:
    """Insert rows (dicts with the same columns) and return the ``returning`` columns of each, in no set order.

    SQLAlchemy's executemany builds and type-processes a parameter dict per row, which cost more than SQLite's
    inserts; on SQLite the rows go as one flat parameter list through each column's own bind processor (the
    values stored are the same). Elsewhere, or when a missing column has a Python-side default, the Core path.
    """
    connection = session.connection()
    dialect = connection.dialect
    names = list(rows[0])
    if dialect.name != "sqlite" or any(c.default is not None and c.name not in rows[0] for c in table.columns):
        return list(connection.execute(insert(table).returning(*(table.c[name] for name in returning)), rows))
    processors = [_processor(table.c[name].type, dialect) for name in names]
    quote = dialect.identifier_preparer.quote
    head = (f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, names))}) VALUES ")
    tail = f" RETURNING {', '.join(map(quote, returning))}"
    one = f"({', '.join('?' * len(names))})"
    page = max(1, _MAX_PARAMETERS // len(names))
    found: list[tuple] = []
    for start in range(0, len(rows), page):
        chunk = rows[start:start + page]
        columns = [list(map(process, map(itemgetter(name), chunk))) if process else list(map(itemgetter(name), chunk))
                   for name, process in zip(names, processors, strict=True)]
        params = tuple(chain.from_iterable(zip(*columns, strict=True)))  # row by row
        found.extend(connection.exec_driver_sql(head + ", ".join([one] * len(chunk)) + tail, params))
    return found


def _processor(type_, dialect) -> Callable | None:
    """Return the type's bind processor; a JSON one answers an empty dict (most values here) with what it gave once."""
    process = type_.dialect_impl(dialect).bind_processor(dialect)
    if process is None or not isinstance(type_, JSON):
        return process
    empty = process({})
    return lambda value: empty if value.__class__ is dict and not value else process(value)
