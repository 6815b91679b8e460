"""Property-based checks of the query language: round trips, robustness, and the matcher against brute force."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawlers.query import QueryBank, QuerySyntaxError, compile_matcher, parse, render
from tests.listening.test_query_strategies import posts, queries, reference_match

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
QUERY_ALPHABET = st.sampled_from(list('ab kü AND OR NOT NEAR/2f ONEAR/1 ()"\\-*?:~<>title: site: lang:\t'))


@FAST
@given(queries)
def test_rendering_a_tree_and_parsing_it_gives_the_same_tree(tree):
    assert parse(render(tree)) == tree


@FAST
@given(st.text(max_size=40) | st.text(QUERY_ALPHABET, max_size=40))
def test_any_text_either_parses_or_raises_a_query_syntax_error_with_a_valid_position(text):
    try:
        tree = parse(text)
    except QuerySyntaxError as exc:
        assert 0 <= exc.position <= len(text)
        assert str(exc)
    else:
        assert parse(render(tree)) == tree


@FAST
@given(queries, st.lists(posts, min_size=1, max_size=6))
def test_the_fast_matcher_agrees_with_the_brute_force_reference(tree, docs):
    matcher = compile_matcher(tree)
    for doc in docs:
        assert (matcher(doc) is not None) == reference_match(tree, doc), (render(tree), doc)


@settings(FAST, max_examples=40)
@given(st.lists(queries, min_size=1, max_size=5), posts)
def test_a_query_bank_finds_exactly_the_queries_that_match_one_by_one(trees, doc):
    bank = QueryBank(enumerate(trees))
    expected = [i for i, tree in enumerate(trees) if compile_matcher(tree)(doc) is not None]
    assert [i for i, _ in bank.match(doc)] == expected
