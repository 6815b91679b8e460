#!/usr/bin/env bash
# Install (if missing) and start a local PostgreSQL for the storage tests; prints the export line.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  echo "installing PostgreSQL from Debian packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
fi
ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h 2>/dev/null | grep -q "^$ver main"; then
  pg_createcluster "$ver" main >&2
fi
pg_ctlcluster "$ver" main start >&2 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p 5432 >&2
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='superfan'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"CREATE ROLE superfan LOGIN SUPERUSER PASSWORD 'superfan'\"" >&2
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='superfan_test'\"" | grep -q 1 \
  || su postgres -c "createdb -O superfan superfan_test" >&2
echo "export SUPERFAN_TEST_POSTGRES_URL=postgresql://superfan:superfan@127.0.0.1:5432/superfan_test"
