"""Index settings, mappings and queries for OpenSearch 2.x and Elasticsearch 8/9 (identical for both)."""
from __future__ import annotations

import html
import re

from community.domain.knowledge import SearchDocument, SearchQuery

LANGUAGE_ANALYZERS = {"de": "german", "en": "english"}
TEXT_FIELDS = {"title": 2.5, "body": 1.0, "answer": 0.8}
_PART = re.compile(r'"([^"]*)"|(\S+)')


def _text_field() -> dict:
    return {"type": "text", "analyzer": "standard",
            "fields": {lang: {"type": "text", "analyzer": analyzer} for lang, analyzer in LANGUAGE_ANALYZERS.items()}}


SETTINGS = {"number_of_shards": 1, "number_of_replicas": 0}
MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        **{name: _text_field() for name in TEXT_FIELDS},
        "tags": {"type": "text", "analyzer": "standard", "fields": {"raw": {"type": "keyword"}}},
        "language": {"type": "keyword"}, "topic": {"type": "keyword"}, "source": {"type": "keyword"},
        "url": {"type": "keyword", "index": False}, "external_id": {"type": "keyword"},
        "updated_at": {"type": "date"}, "published": {"type": "boolean"}, "boost": {"type": "float"},
    },
}


def source(doc: SearchDocument) -> dict:
    """Return the stored JSON of a document."""
    return {"title": doc.title, "body": doc.body, "answer": doc.answer, "tags": list(doc.tags),
            "language": doc.language, "topic": doc.topic, "source": doc.source, "url": doc.url,
            "external_id": doc.external_id, "published": doc.published, "boost": doc.boost,
            "updated_at": doc.updated_at.isoformat() if doc.updated_at else None}


def _fields(language: str | None) -> list[str]:
    langs = [language] if language in LANGUAGE_ANALYZERS else list(LANGUAGE_ANALYZERS)
    return [f"{name}.{lang}^{weight}" for name, weight in TEXT_FIELDS.items() for lang in langs] + ["tags^1.5"]


def _filters(query: SearchQuery) -> list[dict]:
    filters: list[dict] = []
    if query.published_only:
        filters.append({"term": {"published": True}})
    for name, value in (("language", query.language), ("topic", query.topic), ("source", query.source)):
        if value:
            filters.append({"term": {name: value}})
    span = {k: v.isoformat() for k, v in (("gte", query.since), ("lt", query.until)) if v is not None}
    if span:
        filters.append({"range": {"updated_at": span}})
    return filters


def search_body(query: SearchQuery, *, fuzzy: bool = False) -> dict:
    """Return the search request: phrases, prefixes and words over the language's fields, boosted by feedback."""
    fields = _fields(query.language)
    should: list[dict] = []
    loose: list[str] = []
    for phrase, raw in ((m.group(1), m.group(2)) for m in _PART.finditer(query.text)):
        if phrase is not None:
            should.append({"multi_match": {"query": phrase, "fields": fields, "type": "phrase"}})
        elif raw.endswith("*") and raw.strip("*"):
            should.append({"multi_match": {"query": raw.strip("*"), "fields": fields, "type": "phrase_prefix"}})
        else:
            loose.append(raw)
    if loose:
        match = {"query": " ".join(loose), "fields": fields, "type": "best_fields", "tie_breaker": 0.3}
        should.append({"multi_match": {**match, "fuzziness": "AUTO", "prefix_length": 1} if fuzzy else match})
    inner = {"bool": {"should": should, "minimum_should_match": 1, "filter": _filters(query),
                      "must_not": [{"ids": {"values": list(query.exclude)}}] if query.exclude else []}}
    return {
        "size": query.limit,
        "query": {"function_score": {"query": inner, "boost_mode": "multiply",
                                     "field_value_factor": {"field": "boost", "missing": 1.0}}},
        "highlight": {"pre_tags": ["<mark>"], "post_tags": ["</mark>"], "encoder": "html",
                      "fields": {f"{name}.{lang}": {"fragment_size": 240, "number_of_fragments": 1}
                                 for name in ("body", "answer") for lang in LANGUAGE_ANALYZERS}},
    }


def snippet(hit: dict) -> tuple[str, str]:
    """Return (highlighted snippet, plain passage) of a search hit; the body's start when nothing is highlighted."""
    for name in ("body", "answer"):
        for lang in LANGUAGE_ANALYZERS:
            fragments = hit.get("highlight", {}).get(f"{name}.{lang}")
            if fragments:
                marked = fragments[0]
                return marked, html.unescape(re.sub(r"</?mark>", "", marked))
    passage = " ".join(hit["_source"].get("body", "").split())[:240]
    return html.escape(passage), passage
