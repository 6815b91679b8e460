"""Multi-row inserts with RETURNING, written as one statement per page of rows without per-row parameter handling."""
from __future__ import annotations

from sqlalchemy import Table, insert
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
    processors = [(name, table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) for name in names]
    quote = dialect.identifier_preparer.quote
    head = (f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, names))}) VALUES ")
    tail = f" RETURNING {', '.join(map(quote, returning))}"
    one = f"({', '.join('?' * len(names))})"
    page = max(1, _MAX_PARAMETERS // len(names))
    found: list[tuple] = []
    for start in range(0, len(rows), page):
        chunk = rows[start:start + page]
        params = [process(row[name]) if process else row[name] for row in chunk for name, process in processors]
        found.extend(connection.exec_driver_sql(head + ", ".join([one] * len(chunk)) + tail, tuple(params)))
    return found
