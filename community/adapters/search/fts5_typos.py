"""Cheap typo tolerance for FTS5: replace unknown query terms by close index terms found through trigrams."""
from __future__ import annotations

import difflib
import sqlite3
from collections.abc import Callable

from community.adapters.search.fts5_query import ParsedQuery

MIN_LENGTH = 4
MIN_RATIO = 0.75
CANDIDATES = 300


class TypoFixer:
    """Keep a trigram index of the vocabulary and correct misspelt query terms with it."""

    def __init__(self, connect: Callable[[], sqlite3.Connection]) -> None:
        self._connect = connect

    def add_terms(self, conn: sqlite3.Connection, terms: set[str]) -> None:
        """Remember new vocabulary terms (inside the caller's transaction)."""
        fresh = [(t,) for t in terms if len(t) >= MIN_LENGTH and not t.isdigit()]
        conn.executemany("INSERT OR IGNORE INTO kb_terms (term) VALUES (?)", [(t,) for t in terms])
        conn.executemany("INSERT INTO kb_terms_tri (term) VALUES (?)", fresh)

    def closest(self, conn: sqlite3.Connection, term: str) -> str | None:
        """Return the most similar known term, or None when nothing is close enough."""
        grams = {term[i:i + 3] for i in range(len(term) - 2)}
        if not grams:
            return None
        expression = " OR ".join(f'"{g}"' for g in sorted(grams))
        rows = conn.execute("SELECT term FROM kb_terms_tri WHERE kb_terms_tri MATCH ? ORDER BY rank LIMIT ?",
                            (expression, CANDIDATES)).fetchall()
        scored = [(difflib.SequenceMatcher(None, term, r[0]).ratio(), r[0]) for r in rows]
        scored = [s for s in scored if s[0] >= MIN_RATIO]
        return max(scored)[1] if scored else None

    def fix(self, conn: sqlite3.Connection, parsed: ParsedQuery, known: set[str]) -> bool:
        """Correct the unknown terms of the query in place; return whether anything changed."""
        changed = False
        for group in parsed.groups:
            if group.kind != "term" or any(a in known for a in group.alternatives):
                continue
            fixes = {c for a in group.alternatives if len(a) >= MIN_LENGTH and (c := self.closest(conn, a))}
            if fixes:
                group.alternatives, group.parts, changed = sorted(fixes), (), True
        return changed

