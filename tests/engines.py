"""Find the real engines the integration tests need: skip locally with how to start them, fail under CI."""
from __future__ import annotations

import os

import pytest

HOW_TO = {
    "SUPERFAN_TEST_POSTGRES_URL": "run `eval $(bash .ci/postgres.sh)` to install/start PostgreSQL",
    "SUPERFAN_TEST_OPENSEARCH_URL": "run `eval $(bash .ci/opensearch.sh)` to start an OpenSearch node",
    "SUPERFAN_TEST_ELASTICSEARCH_URL": "point it at an Elasticsearch 8/9 node",
    "SUPERFAN_TEST_CHROMIUM": "install Debian's chromium (`apt-get install chromium`)",
}


def require(env_var: str) -> str:
    """Return the engine URL in ``env_var``; skip (locally) or fail (CI=true) when it is not set."""
    value = os.environ.get(env_var, "")
    if value:
        return value
    message = f"{env_var} is not set: {HOW_TO.get(env_var, 'set it')}"
    if os.environ.get("CI") == "true" and env_var != "SUPERFAN_TEST_ELASTICSEARCH_URL":
        pytest.fail(f"required engine missing under CI: {message}")
    pytest.skip(message)
