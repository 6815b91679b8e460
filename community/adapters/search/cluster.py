"""OpenSearch 2.x / Elasticsearch 8-9 search index: one adapter, two clients, an alias swapped on reindex."""
from __future__ import annotations

import time
from collections.abc import Iterable

from community.adapters.search import cluster_dsl as dsl
from community.domain.knowledge import SearchDocument, SearchHit, SearchQuery


class _OpenSearchDialect:
    """Calls of the opensearch-py client."""

    def __init__(self, url: str, timeout: int) -> None:
        from opensearchpy import OpenSearch, helpers
        from opensearchpy.exceptions import NotFoundError

        self.client, self.helpers, self.not_found = OpenSearch(hosts=[url], timeout=timeout), helpers, NotFoundError

    def create(self, index: str, settings: dict = dsl.SETTINGS, mappings: dict = dsl.MAPPINGS) -> None:
        self.client.indices.create(index=index, body={"settings": settings, "mappings": mappings})

    def aliases(self, actions: list[dict]) -> None:
        self.client.indices.update_aliases(body={"actions": actions})

    def search(self, index: str, body: dict) -> dict:
        return self.client.search(index=index, body=body)

    def put(self, index: str, doc_id: str, source: dict) -> None:
        self.client.index(index=index, id=doc_id, body=source, refresh=True)

    def bulk(self, actions) -> int:
        return self.helpers.bulk(self.client, actions, chunk_size=1000, request_timeout=120)[0]


class _ElasticsearchDialect:
    """Calls of the elasticsearch 8.x client (it refuses to talk to OpenSearch, hence two dialects)."""

    def __init__(self, url: str, timeout: int) -> None:
        from elasticsearch import Elasticsearch, NotFoundError, helpers

        self.client = Elasticsearch(url, request_timeout=timeout)
        self.helpers, self.not_found = helpers, NotFoundError

    def create(self, index: str, settings: dict = dsl.SETTINGS, mappings: dict = dsl.MAPPINGS) -> None:
        self.client.indices.create(index=index, settings=settings, mappings=mappings)

    def aliases(self, actions: list[dict]) -> None:
        self.client.indices.update_aliases(actions=actions)

    def search(self, index: str, body: dict) -> dict:
        return self.client.search(index=index, **body)

    def put(self, index: str, doc_id: str, source: dict) -> None:
        self.client.index(index=index, id=doc_id, document=source, refresh=True)

    def bulk(self, actions) -> int:
        return self.helpers.bulk(self.client.options(request_timeout=120), actions, chunk_size=1000)[0]


DIALECTS = {"opensearch": _OpenSearchDialect, "elasticsearch": _ElasticsearchDialect}


class ClusterIndex:
    """A ``SearchIndex`` on a search cluster; searches and writes go through an alias to the live index."""

    def __init__(self, dialect, prefix: str = "superfan") -> None:
        self.dialect = dialect
        self.alias = f"{prefix}-kb"
        self._ready = False

    @classmethod
    def connect(cls, backend: str, url: str, prefix: str = "superfan", timeout: int = 30) -> ClusterIndex:
        """Build the index for ``backend`` ("opensearch" or "elasticsearch") at ``url``."""
        return cls(DIALECTS[backend](url, timeout), prefix)

    @property
    def client(self):
        """Return the underlying client."""
        return self.dialect.client

    def _ensure(self) -> None:
        if not self._ready and not self.client.indices.exists_alias(name=self.alias):
            index = self._new_index()
            self.dialect.aliases([{"add": {"index": index, "alias": self.alias}}])
        self._ready = True

    def _new_index(self) -> str:
        name = f"{self.alias}-{time.time_ns()}"
        self.dialect.create(name)
        return name

    def index(self, doc: SearchDocument) -> None:
        """Add or replace one document (visible to searches when this returns)."""
        self._ensure()
        self.dialect.put(self.alias, doc.id, dsl.source(doc))

    def bulk(self, docs: Iterable[SearchDocument], *, target: str | None = None, refresh: bool = True) -> int:
        """Add or replace many documents with bulk requests; return how many were written."""
        self._ensure()
        actions = ({"_index": target or self.alias, "_id": d.id, "_source": dsl.source(d)} for d in docs)
        written = self.dialect.bulk(actions)
        if refresh:
            self.refresh(target)
        return written

    def delete(self, doc_id: str) -> None:
        """Remove a document (no error when it is absent)."""
        self._ensure()
        try:
            self.client.delete(index=self.alias, id=doc_id, refresh=True)
        except self.dialect.not_found:
            pass

    def reindex(self, docs: Iterable[SearchDocument]) -> int:
        """Fill a new index, then point the alias at it atomically and drop the old one (searches never stop)."""
        self._ensure()
        old = list(self.client.indices.get_alias(name=self.alias))
        new = self._new_index()
        written = self.bulk(docs, target=new)
        self.dialect.aliases([*({"remove": {"index": i, "alias": self.alias}} for i in old),
                              {"add": {"index": new, "alias": self.alias}}])
        for index in old:
            self.client.indices.delete(index=index)
        return written

    def refresh(self, target: str | None = None) -> None:
        """Make everything written so far searchable."""
        self.client.indices.refresh(index=target or self.alias)

    def count(self) -> int:
        """Return how many documents are indexed."""
        self._ensure()
        return self.client.count(index=self.alias)["count"]

    def search(self, query: SearchQuery) -> list[SearchHit]:
        """Return the best hits; when nothing matches, try again tolerating typos."""
        if not query.text.strip():
            return []
        self._ensure()
        hits = self.dialect.search(self.alias, dsl.search_body(query))["hits"]["hits"]
        if not hits:
            hits = self.dialect.search(self.alias, dsl.search_body(query, fuzzy=True))["hits"]["hits"]
        return [self._hit(h) for h in hits]

    @staticmethod
    def _hit(hit: dict) -> SearchHit:
        src = hit["_source"]
        marked, passage = dsl.snippet(hit)
        return SearchHit(id=hit["_id"], title=src["title"], score=round(hit["_score"] or 0.0, 4), snippet=marked,
                         language=src["language"], topic=src["topic"], url=src.get("url") or "",
                         external_id=src.get("external_id"), passage=passage)

    def drop(self) -> None:
        """Delete the alias and every index behind it (tests and benchmarks clean up with this)."""
        if self.client.indices.exists_alias(name=self.alias):
            for index in list(self.client.indices.get_alias(name=self.alias)):
                self.client.indices.delete(index=index)
        self._ready = False
