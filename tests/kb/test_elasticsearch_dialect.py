"""The Elasticsearch client sends the same index, bulk and search requests as OpenSearch (checked on a local fake).

A real node runs the whole contract (tests/kb/test_search_contract.py) when SUPERFAN_TEST_ELASTICSEARCH_URL is
set; this fake only records what the ``elasticsearch`` 8.x client puts on the wire, so the dialect cannot drift.
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from community.adapters.search import cluster_dsl as dsl
from community.adapters.search.cluster import ClusterIndex
from community.domain.knowledge import SearchDocument, SearchQuery


class FakeElasticsearch(BaseHTTPRequestHandler):
    """Answer like an Elasticsearch 8 node and remember every request."""

    requests: list = []

    def log_message(self, *args) -> None:
        pass

    def _reply(self, status: int, body: dict | None) -> None:
        data = json.dumps(body or {}).encode()
        self.send_response(status)
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        self.requests.append((self.command, self.path.split("?")[0], raw))
        path = self.path.split("?")[0]
        if self.command == "HEAD" and path.startswith("/_alias/"):
            return self._reply(404, None)
        if path == "/_bulk":
            items = [{"index": {"_id": json.loads(line)["index"]["_id"], "status": 201}}
                     for line in raw.splitlines()[::2] if line]
            return self._reply(200, {"errors": False, "took": 1, "items": items})
        if path.endswith("/_search"):
            return self._reply(200, {"hits": {"total": {"value": 1}, "hits": [{
                "_id": "1", "_score": 2.5, "_source": dsl.source(DOC),
                "highlight": {"body.de": ["Das <mark>Etikett</mark> liegt bei."]}}]}})
        return self._reply(200, {"acknowledged": True})

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle


DOC = SearchDocument(id="1", title="Rücksendung", body="Das Etikett liegt bei.", language="de", external_id="faq-1")


@pytest.fixture
def node():
    FakeElasticsearch.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeElasticsearch)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_elasticsearch_dialect_sends_the_shared_mappings_bulk_and_query(node):
    index = ClusterIndex.connect("elasticsearch", node, prefix="t")
    assert index.bulk([DOC]) == 1
    hits = index.search(SearchQuery("Etikett", language="de"))
    assert [(h.public_id, h.snippet, h.passage) for h in hits] == [
        ("faq-1", "Das <mark>Etikett</mark> liegt bei.", "Das Etikett liegt bei.")]
    sent = {(method, path.split("/")[-1] if path.startswith("/t-kb-") else path): body
            for method, path, body in FakeElasticsearch.requests}
    created = next(json.loads(b) for (m, p), b in sent.items() if m == "PUT" and p.startswith("t-kb-"))
    assert created == {"settings": dsl.SETTINGS, "mappings": dsl.MAPPINGS}
    assert json.loads(sent[("POST", "/_aliases")])["actions"][0]["add"]["alias"] == "t-kb"
    assert json.loads(sent[("PUT", "/_bulk")].splitlines()[1]) == dsl.source(DOC)
    assert json.loads(sent[("POST", "/t-kb/_search")]) == dsl.search_body(SearchQuery("Etikett", language="de"))
