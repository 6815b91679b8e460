"""One contract for every SearchIndex adapter: FTS5, OpenSearch and Elasticsearch answer alike."""
from __future__ import annotations

from datetime import UTC, datetime

from community.domain.knowledge import SearchDocument, SearchQuery

JAN, JUN = datetime(2026, 1, 10, tzinfo=UTC), datetime(2026, 6, 10, tzinfo=UTC)
DOCS = [
    SearchDocument(id="1", title="Rücksendung kostenlos", language="de", topic="returns", source="import",
                   body="Wie schicke ich meine Bestellung zurück? Das Rücksendeetikett liegt dem Paket bei.",
                   answer="Kleben Sie das Etikett auf den Karton.", updated_at=JAN, external_id="faq-returns"),
    SearchDocument(id="2", title="Versandkosten", language="de", topic="shipping", source="thread",
                   body="Der Versand in die Schweiz kostet 9,95 Euro. Die Straße muss vollständig sein.",
                   updated_at=JUN),
    SearchDocument(id="3", title="Print a return label", language="en", topic="returns", source="import",
                   body="Open your orders and print the return label for the parcel.", updated_at=JUN),
    SearchDocument(id="4", title="Delivery times", language="en", topic="shipping", source="thread",
                   body="Parcels arrive in two days. A label with <b>tracking</b> is mailed to you.", updated_at=JAN),
    SearchDocument(id="5", title="Gutschein einlösen", language="de", topic="payment", source="thread",
                   body="Den Gutscheincode geben Sie an der Kasse ein.", published=False, updated_at=JUN),
]


def ids(index, text: str, **filters) -> list[str]:
    return [h.id for h in index.search(SearchQuery(text, **filters))]


def test_words_match_whatever_the_umlauts_case_and_inflection(search_index):
    search_index.bulk(DOCS)
    assert ids(search_index, "rucksendung")[0] == "1"
    assert ids(search_index, "STRASSE") == ["2"]
    assert ids(search_index, "Bestellungen", language="de")[0] == "1"
    assert ids(search_index, "returns labels", language="en")[0] == "3"


def test_a_title_match_ranks_above_a_body_match(search_index):
    search_index.bulk(DOCS)
    assert ids(search_index, "label", language="en") == ["3", "4"]


def test_phrases_need_the_words_together_and_prefixes_complete_words(search_index):
    search_index.bulk(DOCS)
    assert ids(search_index, '"return label"') == ["3"]
    assert ids(search_index, '"label return"') == []
    assert ids(search_index, "bestell*") == ["1"]


def test_filters_on_language_topic_source_and_date(search_index):
    search_index.bulk(DOCS)
    assert set(ids(search_index, "label etikett")) == {"1", "3", "4"}
    assert ids(search_index, "label etikett", language="de") == ["1"]
    assert set(ids(search_index, "label etikett", topic="returns")) == {"1", "3"}
    assert ids(search_index, "label etikett", source="thread") == ["4"]
    assert ids(search_index, "label etikett", since=datetime(2026, 3, 1, tzinfo=UTC)) == ["3"]
    assert set(ids(search_index, "label etikett", until=datetime(2026, 3, 1, tzinfo=UTC))) == {"1", "4"}


def test_unpublished_documents_are_found_only_when_asked_for(search_index):
    search_index.bulk(DOCS)
    assert ids(search_index, "Gutschein") == []
    assert ids(search_index, "Gutschein", published_only=False) == ["5"]


def test_hits_carry_a_highlighted_html_safe_snippet_and_the_imported_id(search_index):
    search_index.bulk(DOCS)
    hit = search_index.search(SearchQuery("Rücksendeetikett"))[0]
    assert "<mark>Rücksendeetikett</mark>" in hit.snippet
    assert hit.public_id == "faq-returns" and hit.title == "Rücksendung kostenlos" and hit.score > 0
    tracking = search_index.search(SearchQuery("tracking"))[0]
    assert "&lt;b&gt;" in tracking.snippet and "<b>" not in tracking.snippet


def test_a_misspelt_word_still_finds_the_article(search_index):
    search_index.bulk(DOCS)
    assert ids(search_index, "Versnadkosten")[:1] == ["2"]


def test_indexing_an_id_again_replaces_it_and_delete_removes_it(search_index):
    search_index.bulk(DOCS)
    search_index.index(SearchDocument(id="2", title="Lieferzeit", body="Pakete kommen in zwei Tagen.", language="de"))
    assert ids(search_index, "Versandkosten") == []
    assert ids(search_index, "Lieferzeit") == ["2"]
    search_index.delete("2")
    search_index.delete("does-not-exist")
    assert ids(search_index, "Lieferzeit") == []
    assert search_index.count() == len(DOCS) - 1


def test_limit_and_exclude(search_index):
    search_index.bulk(DOCS)
    assert len(ids(search_index, "label etikett", limit=2)) == 2
    assert "3" not in ids(search_index, "label etikett", exclude=("3",))


def test_reindex_swaps_in_the_new_content_while_searches_keep_answering(search_index):
    search_index.bulk(DOCS)
    seen_during_rebuild = []

    def rebuilt():
        yield SearchDocument(id="9", title="Neue Rückgabe-Regeln", body="Rückgabe binnen 30 Tagen.", language="de")
        seen_during_rebuild.append(ids(search_index, "Rücksendeetikett"))
        yield SearchDocument(id="10", title="Returns policy", body="Return within 30 days.", language="en")

    assert search_index.reindex(rebuilt()) == 2
    assert seen_during_rebuild == [["1"]]
    assert ids(search_index, "Rücksendeetikett") == []
    assert ids(search_index, "Rückgabe") == ["9"]
    assert search_index.count() == 2


def test_an_fts5_index_sees_words_another_process_added(tmp_path):
    from community.adapters.search.fts5 import Fts5Index

    reader, writer = Fts5Index(tmp_path / "shared.db"), Fts5Index(tmp_path / "shared.db")
    reader.bulk(DOCS[1:2])
    writer.bulk([SearchDocument(id="7", title="Etikett der Rücksendung", body="Drucken.", language="de")])
    assert [h.id for h in reader.search(SearchQuery("Rücksendeetikett"))] == ["7"]
