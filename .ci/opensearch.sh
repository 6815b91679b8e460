#!/usr/bin/env bash
# Start a single local OpenSearch 2.x node (127.0.0.1:9201) for the search contract tests.
# Idempotent: does nothing if a node already answers. Prints the export line for the tests.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
PORT="${SUPERFAN_OPENSEARCH_PORT:-9201}"
URL="http://127.0.0.1:${PORT}"
STATE="${SUPERFAN_OPENSEARCH_DIR:-${TMPDIR:-/tmp}/superfan-opensearch}"
WAIT="${SUPERFAN_OPENSEARCH_WAIT:-180}"

healthy() {
  curl -fsS -m 3 "${URL}/_cluster/health" 2>/dev/null | grep -Eq '"status":"(green|yellow)"'
}

if ! healthy; then
  mkdir -p "${STATE}"
  CP_FILE="${STATE}/classpath.txt"
  if [ ! -s "${CP_FILE}" ]; then
    mvn -q -f "${HERE}/opensearch/pom.xml" dependency:build-classpath -Dmdep.outputFile="${CP_FILE}" >&2
  fi
  if ! curl -s -m 2 "${URL}" >/dev/null 2>&1; then
    rm -rf "${STATE}/node"
    nohup java -Xmx1g -cp "$(cat "${CP_FILE}")" org.codelibs.opensearch.runner.OpenSearchRunner \
      -basePath "${STATE}/node" -numOfNode 1 >"${STATE}/node.log" 2>&1 &
    echo $! >"${STATE}/node.pid"
    echo "opensearch: starting node (pid $(cat "${STATE}/node.pid"), log ${STATE}/node.log)" >&2
  fi
  for _ in $(seq 1 "${WAIT}"); do
    healthy && break
    sleep 1
  done
  if ! healthy; then
    echo "opensearch: node did not become healthy within ${WAIT}s, see ${STATE}/node.log" >&2
    exit 1
  fi
fi
echo "export SUPERFAN_TEST_OPENSEARCH_URL=${URL}"
