"""Search indexes for the contract tests: FTS5 always, OpenSearch/Elasticsearch when a node is named."""
from __future__ import annotations

import uuid

import pytest

from community.adapters.search.fts5 import Fts5Index
from tests.engines import require

CLUSTERS = {"opensearch": "SUPERFAN_TEST_OPENSEARCH_URL", "elasticsearch": "SUPERFAN_TEST_ELASTICSEARCH_URL"}


@pytest.fixture(scope="module")
def cluster_indexes():
    """One index per cluster kind and test module (creating an index takes a second); dropped at the end."""
    made = {}

    def get(kind: str):
        if kind not in made:
            from community.adapters.search.cluster import ClusterIndex

            made[kind] = ClusterIndex.connect(kind, require(CLUSTERS[kind]), prefix=f"test-{uuid.uuid4().hex[:12]}")
        return made[kind]

    yield get
    for index in made.values():
        index.drop()


def _empty(index) -> None:
    """Remove every document of a cluster index (cheaper than a new index per test)."""
    index.count()  # creates the index and alias on first use
    if type(index.client).__module__.startswith("elasticsearch"):
        index.client.delete_by_query(index=index.alias, query={"match_all": {}}, refresh=True, conflicts="proceed")
    else:
        index.client.delete_by_query(index=index.alias, body={"query": {"match_all": {}}}, refresh=True,
                                     conflicts="proceed")


@pytest.fixture(params=["fts5", pytest.param("opensearch", marks=pytest.mark.opensearch),
                        pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def search_index(request, tmp_path, cluster_indexes):
    """A fresh, empty index on every backend."""
    if request.param == "fts5":
        return Fts5Index(tmp_path / "search.db")
    index = cluster_indexes(request.param)
    _empty(index)
    return index
