"""Knowledge service on a real database and the FTS5 index: resolve, import, suggest, feedback, deflection."""
from __future__ import annotations

import json

import pytest

from community.domain.model import Analysis, RawPost, Role, StoredPost, Thread, User


@pytest.fixture
def kb(services):
    return services.knowledge


def _thread(services, title: str, *, staff_only: bool = False, language: str = "de") -> Thread:
    with services.uow() as uow:
        thread = Thread(id=None, key=f"forum:{title}", title=title, topic="returns", language=language,
                        staff_only=staff_only, created_at=services.clock.now())
        thread.id = uow.threads.add(thread)
        uow.commit()
    return thread


def _user(services, name: str = "kim") -> int:
    with services.uow() as uow:
        user_id = uow.users.add(User(id=None, name=name, role=Role.SUPERUSER), "x" * 20)
        uow.commit()
    return user_id


def _posts(thread: Thread, text: str, url: str) -> list[StoredPost]:
    return [StoredPost(id=1, source="forum", external_id=url, url=url, title=thread.title, text=text, author="a",
                       published=None, thread_id=thread.id, analysis={})]


def test_a_resolved_thread_becomes_a_credited_searchable_article(services, kb):
    author = _user(services)
    thread = _thread(services, "Rücksendeetikett verloren")
    result = kb.resolve(thread, _posts(thread, "Mein Etikett ist weg, Mail: a@b.de", "https://f/1"),
                        "Im Kundenkonto neu drucken.", author_id=author)
    assert result.outcome == "created" and result.article.author_id == author
    assert "a@b.de" not in result.article.question
    hits = kb.search("Rücksendeetikett", language="de")
    assert [h.id for h in hits] == [str(result.article.id)]


def test_a_near_duplicate_question_attaches_its_source_to_the_existing_article(services, kb):
    first = _thread(services, "Wie kann ich meine Bestellung zurückschicken?")
    created = kb.resolve(first, _posts(first, "Bestellung zurückschicken", "https://f/1"), "So.", author_id=None)
    again = _thread(services, "Bestellung zurückschicken – wie geht das?")
    attached = kb.resolve(again, _posts(again, "Wie kann ich die Bestellung zurückschicken?", "https://f/2"),
                          "Genauso.", author_id=None)
    assert attached.outcome == "attached" and attached.article.id == created.article.id
    assert attached.article.sources == ("https://f/1", "https://f/2")
    assert kb.articles.count() == 1


def test_a_staff_only_thread_never_reaches_public_search(services, kb):
    thread = _thread(services, "Erstattung Sonderfall Gutschrift", staff_only=True)
    result = kb.resolve(thread, _posts(thread, "intern", "https://f/9"), "Intern erstatten.", author_id=None)
    assert not result.article.published
    assert kb.search("Gutschrift Sonderfall") == []


def test_import_is_idempotent_by_id_and_reports_rejections(services, kb, tmp_path):
    lines = [json.dumps({"id": "faq-1", "lang": "de", "title": "Versandkosten", "body": "Was kostet der Versand?",
                         "answer": "4,95 Euro."}), "{broken", json.dumps({"id": "faq-2", "lang": "en",
                                                                          "title": "Shipping", "body": "Cost?"})]
    first = kb.import_lines(lines)
    assert (first.created, first.updated, [n for n, _ in first.rejected]) == (2, 0, [2])
    lines[0] = lines[0].replace("4,95", "5,95")
    second = kb.import_lines(lines)
    assert (second.created, second.updated, second.unchanged) == (0, 1, 1)
    assert kb.articles.count() == 2
    assert kb.search("Versandkosten")[0].public_id == "faq-1"


def test_suggestions_prefer_the_askers_language_and_fall_back_labelled(services, kb):
    kb.import_lines([json.dumps({"id": "en-1", "lang": "en", "title": "Print a return label",
                                 "body": "Open your orders and print the return label."})])
    fallback = kb.suggest("return label", "de")
    assert fallback and fallback[0].fallback and fallback[0].label == "in English"
    kb.import_lines([json.dumps({"id": "de-1", "lang": "de", "title": "Rücksendeetikett drucken (return label)",
                                 "body": "Unter Bestellungen das Etikett drucken."})])
    own = kb.suggest("return label", "de")
    assert own[0].hit.public_id == "de-1" and not own[0].fallback


def test_inserts_and_dismissals_move_an_article_in_the_ranking(services, kb):
    kb.import_lines([json.dumps({"id": f"a{i}", "lang": "de", "title": "Lieferzeit Paket",
                                 "body": "Das Paket kommt in zwei Tagen."}) for i in (1, 2)])
    before = [h.public_id for h in kb.search("Lieferzeit Paket")]
    loser, winner = (int(h.id) for h in kb.search("Lieferzeit Paket"))
    for _ in range(3):
        kb.feedback(loser, "dismiss")
        kb.feedback(winner, "insert")
    after = [h.public_id for h in kb.search("Lieferzeit Paket")]
    assert after == list(reversed(before))


def test_a_new_mention_matching_a_published_article_is_likely_answered(services, kb):
    kb.import_lines([json.dumps({"id": "pw", "lang": "de", "title": "Passwort zurücksetzen",
                                 "body": "Ich habe mein Passwort vergessen, wie setze ich es zurück?"})])
    post = RawPost(source="forum", external_id="9", url="u", title="Passwort vergessen",
                   text="Wie kann ich mein Passwort zurücksetzen?")
    article = kb.likely_answered(post, Analysis(language="de"))
    assert article is not None and article.external_id == "pw"
    other = RawPost(source="forum", external_id="10", url="u", title="Paket beschädigt", text="Karton kaputt")
    assert kb.likely_answered(other, Analysis(language="de")) is None


def test_old_articles_with_unhelpful_votes_are_flagged_and_an_edit_clears_the_flag(services, kb, clock):
    kb.import_lines([json.dumps({"id": "old", "lang": "de", "title": "Alt", "body": "Veraltete Antwort"})])
    article_id = int(kb.search("Veraltete")[0].id)
    clock.advance(days=400)
    for _ in range(3):
        kb.feedback(article_id, "not_helpful")
    assert [a.id for a in kb.flag_stale()] == [article_id]
    edited = kb.edit(article_id, answer="Neue Antwort")
    assert not edited.stale and kb.flag_stale() == []


def test_merge_moves_sources_and_unpublishes_the_duplicate(services, kb):
    kb.import_lines([json.dumps({"id": i, "lang": "de", "title": f"Gutschein {i}", "body": "Gutschein einlösen"})
                     for i in ("g1", "g2")])
    first, second = (kb.articles.by_external_id(i) for i in ("g1", "g2"))
    merged = kb.merge(second.id, first.id)
    assert merged.id == first.id
    assert [h.public_id for h in kb.search("Gutschein")] == ["g1"]
    kb.set_published(first.id, False)
    assert kb.search("Gutschein") == []
    assert kb.reindex() == 2 and kb.search("Gutschein") == []
