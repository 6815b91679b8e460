"""Search backends implementing the ``SearchIndex`` port: SQLite FTS5 (embedded) and OpenSearch/Elasticsearch."""
