"""Superfan listening: connectors, listening queries, ingestion jobs."""
