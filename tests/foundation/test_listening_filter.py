"""Which crawled posts become mentions: brand queries (default: names and products) or a source's query."""
from __future__ import annotations

from community.domain.model import RawPost
from crawlers.listening import ListeningFilter, terms_query


def post(text: str, source: str = "forum", title: str = "") -> RawPost:
    return RawPost(source=source, external_id=text[:20], url="https://x.example/1", title=title, text=text)


def test_default_brand_query_matches_names_and_products_but_not_lookalikes():
    keep = ListeningFilter({"Kolibri": terms_query(["Kolibri", "Aero Buds", "Pulse Watch"])})
    mention = post("Meine aero buds rauschen")
    assert keep(mention) and mention.extra["queries"] == ["Kolibri"]
    assert keep(post("KOLIBRI-Shop antwortet nicht"))
    assert not keep(post("Echte Kolibris im Garten gesehen"))
    assert not keep(post("Die Uhr pulsiert"))


def test_a_brand_query_with_operators_is_applied():
    keep = ListeningFilter({"Kolibri": '"Kolibri" AND (kündig* OR Akku) NOT Vogel'})
    assert keep(post("Ich will Kolibri Plus kuendigen"))
    assert not keep(post("Kolibri ist ein Vogel mit Akku"))
    assert not keep(post("Kolibri Werbung"))


def test_a_source_query_overrides_the_brand_queries_for_that_source():
    keep = ListeningFilter({"Kolibri": '"Kolibri"'}, {"hn": "smartwatch NEAR/3 battery"})
    assert keep(post("the smartwatch battery died", source="hn"))
    assert not keep(post("Kolibri is great", source="hn"))
    assert keep(post("Kolibri is great", source="forum"))


def test_no_query_at_all_keeps_everything():
    assert ListeningFilter({})(post("anything"))
