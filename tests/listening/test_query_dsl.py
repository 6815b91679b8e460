"""The OpenSearch/Elasticsearch query DSL produced for a listening query (shape only; no cluster here)."""
import json

from crawlers.query import parse, to_search_dsl


def dsl(query: str) -> dict:
    return to_search_dsl(parse(query))


def either_field(clause_for) -> dict:
    return {"bool": {"should": [clause_for("title"), clause_for("text")], "minimum_should_match": 1}}


def test_boolean_operators_become_a_bool_query():
    assert dsl("Netz (Ausfall OR Störung) -Sauerstoff") == {"bool": {
        "must": [
            either_field(lambda f: {"match_phrase": {f: {"query": "Netz"}}}),
            {"bool": {"should": [either_field(lambda f: {"match_phrase": {f: {"query": "Ausfall"}}}),
                                 either_field(lambda f: {"match_phrase": {f: {"query": "Störung"}}})],
                      "minimum_should_match": 1}},
        ],
        "must_not": [either_field(lambda f: {"match_phrase": {f: {"query": "Sauerstoff"}}})],
    }}


def test_a_sloppy_phrase_becomes_match_phrase_with_slop():
    assert dsl('title:"Netz ausgefallen"~3') == {"match_phrase": {"title": {"query": "Netz ausgefallen", "slop": 3}}}


def test_proximity_becomes_span_near_with_order():
    assert dsl("title:x OR Netz ONEAR/2 (kündig* OR \"kein Empfang\")")["bool"]["should"][1] == either_field(
        lambda f: {"span_near": {"clauses": [
            {"span_term": {f: "netz"}},
            {"span_or": {"clauses": [
                {"span_multi": {"match": {"prefix": {f: {"value": "kundig"}}}}},
                {"span_near": {"clauses": [{"span_term": {f: "kein"}}, {"span_term": {f: "empfang"}}],
                               "slop": 0, "in_order": True}},
            ]}},
        ], "slop": 2, "in_order": True}})
    assert dsl("a NEAR/4 b")["bool"]["should"][0]["span_near"]["in_order"] is False


def test_wildcards_use_folded_prefix_and_wildcard_queries():
    assert dsl("title:Kündig*") == {"prefix": {"title": {"value": "kundig"}}}
    assert dsl("title:K?ndigung") == {"wildcard": {"title": {"value": "k?ndigung"}}}


def test_metadata_filters_become_term_and_wildcard_queries():
    query = dsl("Netz lang:de source:reddit site:reddit.com subreddit:r/de author:Jörg url:forum")
    assert query["bool"]["must"][1:] == [
        {"term": {"lang": {"value": "de", "case_insensitive": True}}},
        {"term": {"source": {"value": "reddit", "case_insensitive": True}}},
        {"bool": {"should": [{"term": {"site": "reddit.com"}}, {"wildcard": {"site": {"value": "*.reddit.com"}}}],
                  "minimum_should_match": 1}},
        {"term": {"subreddit": {"value": "de", "case_insensitive": True}}},
        {"term": {"author": {"value": "Jörg", "case_insensitive": True}}},
        {"wildcard": {"url": {"value": "*forum*", "case_insensitive": True}}},
    ]


def test_the_dsl_is_plain_json():
    query = dsl('"O2" AND (Netz OR kündig*) NOT Sauerstoff a NEAR/3f b site:*.reddit.com')
    assert json.loads(json.dumps(query)) == query
