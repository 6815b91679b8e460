"""The listening query language: parse once, then match posts in memory or search the archive.

``parse(text)`` gives an immutable tree; ``compile_matcher(tree)`` a fast in-memory matcher (and
``QueryBank`` many at once); ``to_fts5(tree)`` / ``to_search_dsl(tree)`` the same query for SQLite FTS5 and
OpenSearch/Elasticsearch; ``highlight(text, result)`` marks why a post matched.
"""
from crawlers.query.bank import QueryBank
from crawlers.query.document import PreparedDoc, prepare
from crawlers.query.errors import QuerySyntaxError
from crawlers.query.folding import index_text
from crawlers.query.fts5 import Fts5Query, compile_fts5, to_fts5
from crawlers.query.highlight import highlight
from crawlers.query.matcher import Matcher, compile_matcher
from crawlers.query.nodes import render
from crawlers.query.parser import parse
from crawlers.query.result import MatchResult, Span
from crawlers.query.search_dsl import to_search_dsl

__all__ = ["Fts5Query", "MatchResult", "Matcher", "PreparedDoc", "QueryBank", "QuerySyntaxError", "Span",
           "compile_fts5", "compile_matcher", "highlight", "index_text", "parse", "prepare", "render", "to_fts5",
           "to_search_dsl"]
