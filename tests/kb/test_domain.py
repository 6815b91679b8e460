"""Knowledge-base rules: masking, duplicates, staleness, suggestion order, import lines, building articles."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from community.domain.errors import ValidationError
from community.domain.knowledge import Article, SearchHit
from community.domain.knowledge.article import ArticleFeedback, feedback_boost
from community.domain.knowledge.building import article_from_thread
from community.domain.knowledge.importing import parse_import_line
from community.domain.knowledge.privacy import mask_personal_data
from community.domain.knowledge.similarity import is_near_duplicate
from community.domain.knowledge.staleness import StalenessRules, stale_reasons
from community.domain.knowledge.suggestions import rank_suggestions
from community.domain.model import StoredPost, Thread

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("text, secret, placeholder", [
    ("Schreib an max.mustermann@web.de bitte", "max.mustermann@web.de", "[email]"),
    ("Ruf an: +49 171 1234567", "171 1234567", "[phone]"),
    ("Tel. 030/12345678 ab 9 Uhr", "12345678", "[phone]"),
    ("IBAN DE89 3704 0044 0532 0130 00 wurde belastet", "3704 0044", "[iban]"),
    ("Bestellnummer 4711-223199 fehlt", "223199", "[number]"),
    ("My order #A1234567 is late", "A1234567", "[number]"),
])
def test_personal_data_is_masked(text, secret, placeholder):
    masked = mask_personal_data(text)
    assert secret not in masked and placeholder in masked


def test_ordinary_numbers_survive_masking():
    text = "3 Paar Schuhe für 120 Euro, Größe 42, seit 2024"
    assert mask_personal_data(text) == text


def test_near_duplicates_are_recognised_but_different_questions_are_not():
    assert is_near_duplicate("Wie kann ich meine Bestellung zurückschicken?",
                             "Bestellung zurückschicken – wie geht das?")
    assert not is_near_duplicate("Wie kann ich meine Bestellung zurückschicken?",
                                 "Wie ändere ich meine Lieferadresse?")


def _article(**changes) -> Article:
    base = Article(id=1, title="t", question="q", answer="a", updated_at=NOW - timedelta(days=400))
    return base.with_changes(**changes)


def test_an_old_article_with_mostly_unhelpful_votes_is_stale():
    reasons = stale_reasons(_article(helpful=1, not_helpful=4), NOW, StalenessRules())
    assert reasons and "not helpful" in reasons[1]


def test_an_old_article_asked_about_again_without_resolution_is_stale():
    assert stale_reasons(_article(unresolved_questions=3), NOW, StalenessRules())


def test_young_or_well_liked_articles_are_not_stale():
    assert stale_reasons(_article(not_helpful=9, updated_at=NOW - timedelta(days=10)), NOW, StalenessRules()) == ()
    assert stale_reasons(_article(helpful=20, not_helpful=4), NOW, StalenessRules()) == ()
    assert stale_reasons(_article(), NOW, StalenessRules()) == ()


def test_inserts_raise_and_dismissals_lower_the_ranking_boost():
    assert feedback_boost(ArticleFeedback(inserts=5), 0, 0) > 1.0 > feedback_boost(ArticleFeedback(dismissals=5), 0, 0)
    assert feedback_boost(ArticleFeedback(), 0, 0) == 1.0


def _hit(doc_id: str, lang: str, title: str, passage: str = "") -> SearchHit:
    return SearchHit(id=doc_id, title=title, score=1.0, snippet=passage, language=lang, passage=passage)


def test_suggestions_in_the_askers_language_come_without_a_label():
    ranked = rank_suggestions("Rücksendung Etikett drucken", [_hit("1", "de", "Rücksendung: Etikett drucken")],
                              [_hit("2", "en", "Print a return label")])
    assert [(s.hit.id, s.label) for s in ranked] == [("1", "")]


def test_other_language_articles_are_offered_labelled_when_nothing_good_exists():
    ranked = rank_suggestions("Rücksendung Etikett drucken", [_hit("1", "de", "Versandkosten Schweiz")],
                              [_hit("2", "en", "Rücksendung return label drucken")])
    assert ranked[0].hit.id == "2" and ranked[0].fallback and ranked[0].label == "in English"


def test_import_lines_are_validated_with_a_reason():
    record = parse_import_line('{"id": 7, "lang": "DE", "title": " T ", "body": "B", "tags": ["a"]}')
    assert (record.external_id, record.language, record.title, record.tags) == ("7", "de", "T", ("a",))
    for line, reason in [("{", "not valid JSON"), ('{"id": "1", "lang": "de", "title": "t"}', "body"),
                         ('{"id": "1", "lang": "fr", "title": "t", "body": "b"}', "unsupported lang"),
                         ('{"id": "1", "lang": "de", "title": "t", "body": "b", "tags": "x"}', "tags"),
                         ('{"id": "1", "lang": "de", "title": "t", "body": "b", "url": "javascript:x"}', "url")]:
        with pytest.raises(ValidationError, match=reason):
            parse_import_line(line)


def _post(text: str, url: str) -> StoredPost:
    return StoredPost(id=1, source="forum", external_id=url, url=url, title="Rückgabe", text=text, author="kim",
                      published=NOW, thread_id=5, analysis={"tags": ["returns"]})


def test_an_article_from_a_thread_masks_the_question_and_links_every_source():
    thread = Thread(id=5, key="k", title="Rückgabe an max@example.org?", topic="returns", language="de")
    posts = [_post("Ich bin max@example.org, Bestellung 12345678", "https://f/1"), _post("+1", "https://f/2")]
    article = article_from_thread(thread, posts, "So geht's.", author_id=3, now=NOW)
    assert "max@example.org" not in article.title + article.question and "12345678" not in article.question
    assert article.sources == ("https://f/1", "https://f/2") and article.author_id == 3 and article.published
    assert article.tags == ("returns",)


def test_a_staff_only_thread_gives_an_unpublished_draft():
    thread = Thread(id=5, key="k", title="Refund", staff_only=True)
    article = article_from_thread(thread, [_post("x", "u")], "internal", author_id=1, now=NOW)
    assert not article.published and not article.document().published
