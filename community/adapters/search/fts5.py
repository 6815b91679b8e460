"""SQLite FTS5 search index (the embedded default): analysed German/English terms, BM25 with title boost, rerank."""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

from community.adapters.search import fts5_schema as schema
from community.adapters.search.analysis import analyse, split_compound
from community.adapters.search.fts5_query import ParsedQuery, match_expression, parse
from community.adapters.search.fts5_rank import rerank
from community.adapters.search.fts5_typos import TypoFixer
from community.adapters.search.snippets import Matcher, best_passage, highlight
from community.domain.knowledge import SearchDocument, SearchHit, SearchQuery

COLUMN_WEIGHTS = (2.5, 1.0, 0.8, 1.5)  # title, body, answer, tags
RERANK_DEPTH = 40


class Fts5Index:
    """A ``SearchIndex`` in a SQLite file; one connection per thread so a rebuild never blocks readers (WAL)."""

    def __init__(self, path: str | Path, *, candidate_cap: int = 1000) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.candidate_cap = candidate_cap
        self._local = threading.local()
        self._write_lock = threading.Lock()
        schema.create(self._conn())
        self._known: set[str] | None = None
        self._splits: dict[str, str] = {}
        self.typos = TypoFixer(self._conn)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA cache_size=-65536")  # 64 MiB: the FTS b-trees of a large KB stay in memory
            conn.execute("PRAGMA temp_store=MEMORY")
            self._local.conn = conn
        return conn

    def known_terms(self) -> set[str]:
        """Return the vocabulary of the index (for compound splitting and typo fixing), reloaded after other writers."""
        version = self._conn().execute("PRAGMA data_version").fetchone()[0]
        if version != getattr(self._local, "version", version):
            self._known = None
            self._splits = {}
        self._local.version = version
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
        new_terms = set().union(*(col.split() for _, cols in analysed for col in cols)) - known
        known |= new_terms
        if new_terms:
            self._splits.clear()
        rows = [(doc, [self._with_compounds(col, doc.language, known) for col in cols]) for doc, cols in analysed]
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

    def _with_compounds(self, column: str, lang: str, known: set[str]) -> str:
        """Add the parts of German compounds after them (Rücksendeetikett → … rucksend etikett)."""
        if lang != "de" or not column:
            return column
        words = column.split()
        found = list(map(self._splits.get, words))
        if None in found:
            found = [f if f is not None else self._split(w, known) for f, w in zip(found, words, strict=True)]
        return " ".join(found)

    def _split(self, term: str, known: set[str]) -> str:
        self._splits[term] = " ".join((term, *split_compound(term, known)))
        return self._splits[term]

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
        ranked = rerank(parsed, candidates)
        if len(ranked) < query.limit + len(query.exclude):
            ranked += self._loose(conn, parsed, query, {rid for rid, _ in ranked})
        ranked = ranked[: query.limit + len(query.exclude)]
        matchers: dict[tuple[str, ...], Matcher] = {}
        hits = [self._hit(conn, rid, score, parsed, matchers) for rid, score in ranked]
        return [h for h in hits if h.id not in query.exclude][: query.limit]

    def _candidates(self, conn, parsed: ParsedQuery, query: SearchQuery) -> list[tuple]:
        groups = _select_groups(conn, parsed, self.candidate_cap, self.path)
        if groups:
            return self._ranked(conn, match_expression(groups), query)
        # Only very common words: all must match; title matches first, then a capped sample of the rest.
        expression = match_expression(parsed.groups, conjunctive=True)
        found = {row[0]: row for row in self._ranked(conn, f"{{title tags}} : ({expression})", query)}
        if len(found) < query.limit + len(query.exclude):
            found.update((row[0], row) for row in self._ranked(conn, expression, query) if row[0] not in found)
        return sorted(found.values(), key=lambda row: row[1])[:RERANK_DEPTH]

    def _loose(self, conn, parsed: ParsedQuery, query: SearchQuery, seen: set[int]) -> list[tuple[int, float]]:
        """Return weaker matches ranked after the real ones: words that share a long prefix with a query word."""
        prefixes = sorted({a[: max(5, len(a) - 2)] for g in parsed.groups if g.kind == "term"
                           for a in g.alternatives if len(a) >= 6})
        if not prefixes:
            return []
        rows = [r for r in self._ranked(conn, " OR ".join(f'"{p}"*' for p in prefixes), query) if r[0] not in seen]
        return [(rid, score * 0.5) for rid, score in rerank(parsed, rows)]

    def _ranked(self, conn, expression: str, query: SearchQuery) -> list[tuple]:
        where, params = schema.filters(query)
        # Score up to candidate_cap matches, keep the best few, and only then read their analysed text.
        sql = (f"SELECT top.rid, top.score, f.title, f.body, f.answer, f.tags, d.boost FROM ("
               f" SELECT rid, score FROM ("
               f"  SELECT f.rowid AS rid, bm25(kb_fts, {', '.join(map(str, COLUMN_WEIGHTS))}) AS score"
               f"  FROM kb_fts f JOIN kb_docs d ON d.rid = f.rowid WHERE kb_fts MATCH ? {where}"
               f"  LIMIT {self.candidate_cap}) ORDER BY score LIMIT {RERANK_DEPTH}) top"
               f" JOIN kb_fts f ON f.rowid = top.rid JOIN kb_docs d ON d.rid = top.rid ORDER BY top.score")
        return conn.execute(sql, [expression, *params]).fetchall()

    def _hit(self, conn, rid: int, score: float, parsed: ParsedQuery, matchers: dict) -> SearchHit:
        row = conn.execute("SELECT id, external_id, title, body, answer, language, topic, url FROM kb_docs"
                           " WHERE rid = ?", (rid,)).fetchone()
        doc_id, external_id, title, body, answer, language, topic, url = row
        langs = (language,) if language in ("de", "en") else parsed.langs
        matches = matchers.get(langs) or matchers.setdefault(langs, Matcher(parsed.wanted(), parsed.prefixes(), langs))
        passage = best_passage([body, answer], matches)
        return SearchHit(id=doc_id, title=title, score=round(score, 4), snippet=highlight(passage, matches),
                         language=language, topic=topic, url=url, external_id=external_id, passage=passage)


def _analyse(doc: SearchDocument) -> tuple[str, str, str, str]:
    lang = doc.language
    return analyse(doc.title, lang), analyse(doc.body, lang), analyse(doc.answer, lang), analyse(" ".join(doc.tags), lang)




def _select_groups(conn, parsed: ParsedQuery, budget: int, db: str) -> list:
    """Keep the rarest words while the documents they select fit the budget; very common words only rerank."""
    kept = [g for g in parsed.groups if g.kind != "term"]
    words = sorted((schema.doc_frequency(conn, g.alternatives, db), i, g)
                   for i, g in enumerate(parsed.groups) if g.kind == "term")
    total = 0
    for df, _, group in words:
        if total + df > budget:
            break
        kept.append(group)
        total += df
    return kept
