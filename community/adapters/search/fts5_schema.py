"""Tables of the FTS5 index: documents, the FTS5 table of analysed text, its vocabulary, and the swap on rebuild."""
from __future__ import annotations

import sqlite3
import time

from community.domain.knowledge import SearchDocument, SearchQuery

_TOKENIZER = "unicode61 remove_diacritics 0 tokenchars '_'"
_DOC_COLUMNS = "id, external_id, title, body, answer, language, topic, source, url, updated_at, published, boost"


def create(conn: sqlite3.Connection) -> None:
    """Create the live tables, the vocabulary views and the typo table if missing."""
    create_tables(conn, "kb")
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS kb_vocab USING fts5vocab(kb_fts, 'row')")
    conn.execute("CREATE TABLE IF NOT EXISTS kb_terms (term TEXT PRIMARY KEY) WITHOUT ROWID")
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS kb_terms_tri USING fts5(term, tokenize='trigram')")


def create_tables(conn: sqlite3.Connection, prefix: str) -> None:
    """Create (empty, for a rebuild) the document and FTS tables named with ``prefix``."""
    if prefix != "kb":
        conn.execute(f"DROP TABLE IF EXISTS {prefix}_docs")
        conn.execute(f"DROP TABLE IF EXISTS {prefix}_fts")
    conn.execute(f"CREATE TABLE IF NOT EXISTS {prefix}_docs (rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
                 " external_id TEXT, title TEXT, body TEXT, answer TEXT, language TEXT, topic TEXT, source TEXT,"
                 " url TEXT, updated_at TEXT, published INTEGER, boost REAL)")
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {prefix}_fts USING fts5(title, body, answer, tags,"
                 f" tokenize=\"{_TOKENIZER}\")")


def swap(conn: sqlite3.Connection, new: str, live: str) -> None:
    """Replace the live tables by the rebuilt ones in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(f"DROP TABLE {live}_docs")
        conn.execute(f"DROP TABLE {live}_fts")
        conn.execute(f"ALTER TABLE {new}_docs RENAME TO {live}_docs")
        conn.execute(f"ALTER TABLE {new}_fts RENAME TO {live}_fts")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def filters(query: SearchQuery) -> tuple[str, list]:
    """Return the SQL conditions on the joined documents for the query's filters."""
    where, params = "", []
    if query.published_only:
        where += " AND d.published = 1"
    for column, value in (("language", query.language), ("topic", query.topic), ("source", query.source)):
        if value:
            where += f" AND d.{column} = ?"
            params.append(value)
    if query.since is not None:
        where += " AND d.updated_at >= ?"
        params.append(query.since.isoformat())
    if query.until is not None:
        where += " AND d.updated_at < ?"
        params.append(query.until.isoformat())
    return where, params


_FREQUENCIES: dict[tuple[str, str], tuple[float, int]] = {}
FREQUENCY_TTL = 60.0  # seconds; frequencies only steer the candidate budget, so a minute's staleness is harmless


def doc_frequency(conn: sqlite3.Connection, alternatives: list[str], db: str = "") -> int:
    """Return in how many documents the most common of these terms occurs (cached for a minute)."""
    best, now = 0, time.monotonic()
    for term in alternatives:
        cached = _FREQUENCIES.get((db, term))
        if cached is None or now - cached[0] > FREQUENCY_TTL:
            row = conn.execute("SELECT doc FROM kb_vocab WHERE term = ?", (term,)).fetchone()
            if len(_FREQUENCIES) > 100_000:
                _FREQUENCIES.clear()
            cached = _FREQUENCIES[(db, term)] = (now, row[0] if row else 0)
        best = max(best, cached[1])
    return best


def write_rows(conn: sqlite3.Connection, prefix: str, rows: list[tuple[SearchDocument, list[str]]]) -> None:
    """Upsert documents and their analysed columns (old FTS rows of the same ids are removed first)."""
    ids = [doc.id for doc, _ in rows]
    old = _rids(conn, prefix, ids)
    conn.executemany(f"DELETE FROM {prefix}_fts WHERE rowid = ?", [(rid,) for rid in old.values()])
    conn.executemany(
        f"INSERT INTO {prefix}_docs ({_DOC_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
        " external_id=excluded.external_id, title=excluded.title, body=excluded.body, answer=excluded.answer,"
        " language=excluded.language, topic=excluded.topic, source=excluded.source, url=excluded.url,"
        " updated_at=excluded.updated_at, published=excluded.published, boost=excluded.boost",
        [(d.id, d.external_id, d.title, d.body, d.answer, d.language, d.topic, d.source, d.url,
          d.updated_at.isoformat() if d.updated_at else None, int(d.published), d.boost) for d, _ in rows])
    rids = _rids(conn, prefix, ids)
    conn.executemany(f"INSERT INTO {prefix}_fts (rowid, title, body, answer, tags) VALUES (?,?,?,?,?)",
                     [(rids[d.id], *cols) for d, cols in rows])


def delete_row(conn: sqlite3.Connection, prefix: str, doc_id: str) -> None:
    """Remove one document and its FTS row."""
    for rid in _rids(conn, prefix, [doc_id]).values():
        conn.execute(f"DELETE FROM {prefix}_fts WHERE rowid = ?", (rid,))
        conn.execute(f"DELETE FROM {prefix}_docs WHERE rid = ?", (rid,))


def _rids(conn: sqlite3.Connection, prefix: str, ids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(conn.execute(f"SELECT id, rid FROM {prefix}_docs WHERE id IN ({marks})", chunk).fetchall())
    return found
