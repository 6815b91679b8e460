"""The listening query language: parse once, then match posts in memory or search the archive.

``parse(text)`` gives an immutable tree; ``compile_matcher(tree)`` a fast in-memory matcher;
``to_fts5(tree)`` / ``to_search_dsl(tree)`` the same query for SQLite FTS5 and OpenSearch/Elasticsearch.
"""
from crawlers.query.errors import QuerySyntaxError
from crawlers.query.nodes import render
from crawlers.query.parser import parse

__all__ = ["QuerySyntaxError", "parse", "render"]
