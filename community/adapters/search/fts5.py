"""SQLite FTS5 search index (the embedded default): analysed German/English terms, BM25 with title boost, rerank."""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

from community.adapters.search import fts5_schema as schema
from community.adapters.search.analysis import split_compound, terms
from community.adapters.search.fts5_query import ParsedQuery, match_expression, parse
from community.adapters.search.fts5_rank import rerank
from community.adapters.search.fts5_typos import TypoFixer
from community.adapters.search.snippets import Matcher, best_passage, highlight
from community.domain.knowledge import SearchDocument, SearchHit, SearchQuery

COLUMN_WEIGHTS = (2.5, 1.0, 0.8, 1.5, 0.0)  # title, body, answer, tags, meta
RERANK_DEPTH = 60


class Fts5Index:
    """A ``SearchIndex`` in a SQLite file; one connection per thread so a rebuild never blocks readers (WAL)."""

    def __init__(self, path: str | Path, *, common_share: float = 0.05, candidate_cap: int = 4000) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.common_share = common_share
        self.candidate_cap = candidate_cap
        self._local = threading.local()
        self._write_lock = threading.Lock()
        schema.create(self._conn())
        self._known: set[str] | None = None
        self.typos = TypoFixer(self._conn)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def known_terms(self) -> set[str]:
        """Return the vocabulary of the index (for compound splitting and typo fixing)."""
        if self._known is None:
            self._known = {row[0] for row in self._conn().execute("SELECT term FROM kb_terms")}
        return self._known

    # -- writing -------------------------------------------------------------------------------------------
    def index(self, doc: SearchDocument) -> None:
        """Add or replace one document."""
        self.bulk([doc])

    def bulk(self, docs: Iterable[SearchDocument], batch: int = 2000) -> int:
        """Add or replace many documents in batches; return how many were written."""
        written = 0
        pending: list[SearchDocument] = []
        for doc in docs:
            pending.append(doc)
            if len(pending) >= batch:
                written += self._write(pending)
                pending = []
        return written + (self._write(pending) if pending else 0)

    def _write(self, docs: list[SearchDocument], table: str = "kb") -> int:
        analysed = [(doc, _analyse(doc)) for doc in docs]
        known = self.known_terms()
        new_terms = {t for _, cols in analysed for col in cols[:4] for t in col.split()} - known
        known |= new_terms
        rows = [(doc, [_with_compounds(col, doc.language, known) for col in cols[:4]] + [cols[4]])
                for doc, cols in analysed]
        with self._write_lock:
            conn = self._conn()
            conn.execute("BEGIN IMMEDIATE")
            try:
                schema.write_rows(conn, table, rows)
                self.typos.add_terms(conn, new_terms)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                self._known = None
                raise
        return len(rows)

    def delete(self, doc_id: str) -> None:
        """Remove a document (no error when it is absent)."""
        with self._write_lock:
            conn = self._conn()
            conn.execute("BEGIN IMMEDIATE")
            schema.delete_row(conn, "kb", doc_id)
            conn.execute("COMMIT")

    def reindex(self, docs: Iterable[SearchDocument]) -> int:
        """Rebuild the whole index in shadow tables and swap them in one transaction (searches keep working)."""
        conn = self._conn()
        with self._write_lock:
            schema.create_tables(conn, "kb_new")
        written = 0
        batch: list[SearchDocument] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= 2000:
                written += self._write(batch, "kb_new")
                batch = []
        if batch:
            written += self._write(batch, "kb_new")
        with self._write_lock:
            schema.swap(conn, "kb_new", "kb")
        return written

    def count(self) -> int:
        """Return how many documents are indexed."""
        return self._conn().execute("SELECT count(*) FROM kb_docs").fetchone()[0]

    # -- searching -----------------------------------------------------------------------------------------
    def search(self, query: SearchQuery) -> list[SearchHit]:
        """Return the best hits: BM25 over capped candidates, reranked by query coverage, with snippets."""
        parsed = parse(query.text, query.language, self.known_terms())
        if not parsed.groups:
            return []
        conn = self._conn()
        candidates = self._candidates(conn, parsed, query)
        if not candidates and self.typos.fix(conn, parsed, self.known_terms()):
            candidates = self._candidates(conn, parsed, query)
        ranked = rerank(parsed, candidates)[: query.limit + len(query.exclude)]
        matchers: dict[tuple[str, ...], Matcher] = {}
        hits = [self._hit(conn, rid, score, parsed, matchers) for rid, score in ranked]
        return [h for h in hits if h.id not in query.exclude][: query.limit]

    def _candidates(self, conn, parsed: ParsedQuery, query: SearchQuery) -> list[tuple]:
        groups = _drop_common(conn, parsed, self.common_share)
        # Only very common words: all of them must match, and the candidate cap bounds the ranking work.
        expression = match_expression(groups) if groups else match_expression(parsed.groups, conjunctive=True)
        where, params = schema.filters(query)
        sql = (f"SELECT rid, score, title, body, answer, tags, boost FROM ("
               f" SELECT f.rowid AS rid, bm25(kb_fts, {', '.join(map(str, COLUMN_WEIGHTS))}) AS score,"
               f" f.title, f.body, f.answer, f.tags, d.boost FROM kb_fts f JOIN kb_docs d ON d.rid = f.rowid"
               f" WHERE kb_fts MATCH ? {where} LIMIT {self.candidate_cap})"
               f" ORDER BY score LIMIT {RERANK_DEPTH}")
        return conn.execute(sql, [f"({expression}) AND {schema.meta_filter(query)}", *params]).fetchall()

    def _hit(self, conn, rid: int, score: float, parsed: ParsedQuery, matchers: dict) -> SearchHit:
        row = conn.execute("SELECT id, external_id, title, body, answer, language, topic, url FROM kb_docs"
                           " WHERE rid = ?", (rid,)).fetchone()
        doc_id, external_id, title, body, answer, language, topic, url = row
        langs = (language,) if language in ("de", "en") else parsed.langs
        matches = matchers.get(langs) or matchers.setdefault(langs, Matcher(parsed.wanted(), parsed.prefixes(), langs))
        passage = best_passage([body, answer], matches)
        return SearchHit(id=doc_id, title=title, score=round(score, 4), snippet=highlight(passage, matches),
                         language=language, topic=topic, url=url, external_id=external_id, passage=passage)


def _analyse(doc: SearchDocument) -> tuple[str, str, str, str, str]:
    lang = doc.language
    return (" ".join(terms(doc.title, lang)), " ".join(terms(doc.body, lang)), " ".join(terms(doc.answer, lang)),
            " ".join(terms(" ".join(doc.tags), lang)), schema.meta_tokens(doc))


def _with_compounds(column: str, lang: str, known: set[str]) -> str:
    if lang != "de" or not column:
        return column
    out = []
    for term in column.split():
        out.append(term)
        out.extend(split_compound(term, known))
    return " ".join(out)


def _drop_common(conn, parsed: ParsedQuery, share: float):
    """Leave out groups whose terms occur in more than ``share`` of the documents, when rarer ones exist."""
    total = conn.execute("SELECT count(*) FROM kb_docs").fetchone()[0]
    limit = max(50, share * total)
    return [g for g in parsed.groups if g.kind != "term" or schema.doc_frequency(conn, g.alternatives) <= limit]
