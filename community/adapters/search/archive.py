"""Search the post archive with the listening query language, on FTS5 or on a search cluster.

The query is parsed once by ``crawlers.query``; ``to_fts5`` / ``to_search_dsl`` turn it into each backend's
query (no second parser here), and the in-memory matcher confirms FTS5 hits where the compiled query is
only a superset (``?`` wildcards, metadata filters such as ``site:`` or ``lang:``).
"""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from community.domain.model import StoredPost
from crawlers.query import compile_fts5, compile_matcher, index_text, parse, to_search_dsl

_COLUMNS = "post_id, source, external_id, url, title, text, author, published, thread_id, lang"


def _language(post: StoredPost) -> str:
    return str(post.analysis.get("language") or "")


class Fts5PostArchive:
    """Stored posts in a SQLite FTS5 table of folded words (``index_text``), searched with listening queries."""

    def __init__(self, path: str | Path, scan_limit: int = 20_000) -> None:
        self.path, self.scan_limit = str(path), scan_limit
        self._local = threading.local()
        conn = self._conn()
        conn.execute(f"CREATE TABLE IF NOT EXISTS archive_posts (rid INTEGER PRIMARY KEY, {_COLUMNS},"
                     " UNIQUE (post_id))")
        conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS archive_fts USING fts5(title, text)")

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
        return conn

    def add(self, posts: Iterable[StoredPost]) -> int:
        """Index posts (again: a post already indexed is replaced)."""
        conn, count = self._conn(), 0
        with conn:
            for p in posts:
                old = conn.execute("SELECT rid FROM archive_posts WHERE post_id = ?", (p.id,)).fetchone()
                if old:
                    conn.execute("DELETE FROM archive_fts WHERE rowid = ?", old)
                    conn.execute("DELETE FROM archive_posts WHERE rid = ?", old)
                cursor = conn.execute(f"INSERT INTO archive_posts ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)", (
                    p.id, p.source, p.external_id, p.url, p.title, p.text, p.author,
                    p.published.isoformat() if p.published else None, p.thread_id, _language(p)))
                conn.execute("INSERT INTO archive_fts (rowid, title, text) VALUES (?,?,?)",
                             (cursor.lastrowid, index_text(p.title), index_text(p.text)))
                count += 1
        return count

    def last_post_id(self) -> int:
        """Return the highest post id indexed (0 when empty), so a sync adds only newer posts."""
        return self._conn().execute("SELECT coalesce(max(post_id), 0) FROM archive_posts").fetchone()[0]

    def search(self, query: str, limit: int = 50) -> list[StoredPost]:
        """Return the newest posts matching the listening query (raises ``QuerySyntaxError`` when malformed)."""
        tree = parse(query)
        compiled, matcher = compile_fts5(tree), compile_matcher(tree)
        select = f"SELECT {_COLUMNS} FROM archive_posts"
        if compiled.match is None:  # metadata only: scan the newest posts
            rows = self._conn().execute(f"{select} ORDER BY rid DESC LIMIT ?", (self.scan_limit,))
        else:
            rows = self._conn().execute(
                f"{select} WHERE rid IN (SELECT rowid FROM archive_fts WHERE archive_fts MATCH ?)"
                " ORDER BY rid DESC LIMIT ?", (compiled.match, self.scan_limit))
        found = []
        for row in rows:
            post = _post(row)
            if (compiled.exact and compiled.match is not None) or matcher(_matchable(post)) is not None:
                found.append(post)
                if len(found) >= limit:
                    break
        return found


def _post(row) -> StoredPost:
    post_id, source, external_id, url, title, text, author, published, thread_id, lang = row
    return StoredPost(id=post_id, source=source, external_id=external_id, url=url, title=title, text=text,
                      author=author, published=datetime.fromisoformat(published) if published else None,
                      thread_id=thread_id, analysis={"language": lang})


def _matchable(post: StoredPost) -> dict:
    return {"title": post.title, "text": post.text, "url": post.url, "author": post.author,
            "lang": _language(post), "source": post.source}


ARCHIVE_SETTINGS = {"number_of_shards": 1, "number_of_replicas": 0, "analysis": {"analyzer": {"folded": {
    "type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding", "german_normalization"]}}}}
ARCHIVE_MAPPINGS = {"properties": {
    "title": {"type": "text", "analyzer": "folded"}, "text": {"type": "text", "analyzer": "folded"},
    **{name: {"type": "keyword"} for name in ("lang", "source", "author", "url", "site", "subreddit")},
    "post_id": {"type": "long"}, "external_id": {"type": "keyword"}, "thread_id": {"type": "long"},
    "published": {"type": "date"}}}


class ClusterPostArchive:
    """Stored posts on OpenSearch/Elasticsearch, searched with ``to_search_dsl`` of the same listening query."""

    def __init__(self, cluster_index) -> None:
        self.dialect = cluster_index.dialect
        self.name = cluster_index.alias.removesuffix("-kb") + "-posts"

    def _ensure(self) -> None:
        client = self.dialect.client
        if not client.indices.exists(index=self.name):
            self.dialect.create(self.name, settings=ARCHIVE_SETTINGS, mappings=ARCHIVE_MAPPINGS)

    def add(self, posts: Iterable[StoredPost]) -> int:
        """Index posts in bulk (a post already indexed is replaced)."""
        self._ensure()
        actions = ({"_index": self.name, "_id": str(p.id), "_source": {
            "post_id": p.id, "source": p.source, "external_id": p.external_id, "url": p.url, "title": p.title,
            "text": p.text, "author": p.author, "thread_id": p.thread_id, "lang": _language(p),
            "site": (urlsplit(p.url).hostname or "").lower(),
            "published": p.published.isoformat() if p.published else None}} for p in posts)
        written, _ = self.dialect.helpers.bulk(self.dialect.client, actions, refresh=True)
        return written

    def last_post_id(self) -> int:
        """Return the highest post id indexed (0 when empty)."""
        self._ensure()
        body = {"size": 0, "aggs": {"last": {"max": {"field": "post_id"}}}}
        return int(self.dialect.search(self.name, body)["aggregations"]["last"]["value"] or 0)

    def search(self, query: str, limit: int = 50) -> list[StoredPost]:
        """Return the newest posts matching the listening query."""
        self._ensure()
        body = {"size": limit, "query": to_search_dsl(parse(query)), "sort": [{"post_id": "desc"}]}
        hits = self.dialect.search(self.name, body)["hits"]["hits"]
        return [_post(tuple(h["_source"][k] for k in ("post_id", "source", "external_id", "url", "title", "text",
                                                      "author", "published", "thread_id", "lang"))) for h in hits]

    def drop(self) -> None:
        """Delete the archive index."""
        if self.dialect.client.indices.exists(index=self.name):
            self.dialect.client.indices.delete(index=self.name)
