"""Multi-row inserts that hand the rows to the database as one parameter.

SQLAlchemy's executemany handles each row's parameters in Python (compiling, type processing, batching into
multi-row VALUES); for the thousands of rows an ingest batch writes that costs more than the inserts. On
SQLite the rows go in as one JSON array that ``json_each`` unpacks inside the statement; every value still
passes through its column type's bind processor first, so what is stored is exactly what SQLAlchemy would
store. Other databases take SQLAlchemy's own multi-row path.
"""
from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Table, insert, text
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: Table, rows: Sequence[dict], returning: Sequence[str] = ()) -> list[tuple]:
    """Insert ``rows`` (dicts with the same keys) and return the ``returning`` columns of each, in no set order."""
    if not rows:
        return []
    dialect = session.get_bind().dialect
    if dialect.name != "sqlite":
        stmt = insert(table)
        if returning:
            return [tuple(row) for row in session.execute(stmt.returning(*(table.c[c] for c in returning)), rows)]
        session.execute(stmt, rows)
        return []
    names = list(rows[0])
    processors = [table.c[name].type._cached_bind_processor(dialect) for name in names]
    data = [[value if process is None or value is None else process(value)
             for value, process in zip((row[name] for name in names), processors, strict=True)] for row in rows]
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in names)}) "
           f"SELECT {', '.join(f'value ->> {i}' for i in range(len(names)))} FROM json_each(:rows)")
    if returning:
        sql += f" RETURNING {', '.join(quote(name) for name in returning)}"
    result = session.execute(text(sql), {"rows": json.dumps(data)})
    return [tuple(row) for row in result] if returning else []
