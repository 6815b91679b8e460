"""Knowledge base on the web: search page, JSON API, article votes, manager actions, suggestions with insert."""
from __future__ import annotations

import json

import pytest

from community.domain.model import Analysis, RawPost, Role, Target, Thread, ThreadState, User
from community.services.accounts import add_user
from superfan.web_server import make_app
from tests.foundation.seed import PASSWORD
from tests.foundation.test_web import csrf, login

FAQ = [
    {"id": "faq-ret", "lang": "de", "title": "Rücksendung", "body": "Wie schicke ich die Bestellung zurück?",
     "answer": "Rücksendeetikett im Kundenkonto drucken."},
    {"id": "faq-zif", "lang": "de", "title": "Ziffernblatt der Pulse Watch einstellen",
     "body": "Wie stelle ich das Ziffernblatt der Pulse Watch ein?", "answer": "In der App unter Uhr > Design."},
    {"id": "faq-en", "lang": "en", "title": "Return <b>label</b>", "body": "How do I print a return label?",
     "answer": "Print it from your account."},
]


def seed(services) -> dict[str, int]:
    """Create a manager, staff agent, two super-users and one routed thread (without the ingest pipeline)."""
    now = services.clock.now()
    with services.uow() as uow:
        for name, role in [("maria", Role.MANAGER), ("stefan", Role.STAFF), ("sofia", Role.SUPERUSER),
                           ("ben", Role.SUPERUSER)]:
            add_user(uow, User(id=None, name=name, role=role), PASSWORD, services.hasher)
        thread = Thread(id=None, key="forum:p2", title="Pulse Watch Ziffernblatt", state=ThreadState.ROUTED,
                        target=Target.COMMUNITY, queue="community", language="de", created_at=now)
        thread_id = uow.threads.add(thread)
        uow.posts.add(RawPost("forum", "p2", "https://forum.example/p2", thread.title,
                              "Wie kann ich bei der Pulse Watch das Ziffernblatt einstellen?"),
                      Analysis(language="de"), thread_id, now)
        uow.commit()
    return {thread.title: thread_id}


@pytest.fixture
def app(sqlite_services):
    threads = seed(sqlite_services)
    sqlite_services.knowledge.import_lines([json.dumps(line) for line in FAQ])
    application = make_app(sqlite_services)
    application.threads = threads
    application.kb = sqlite_services.knowledge
    return application


def client_for(app, name):
    client = app.test_client()
    login(client, name)
    return client


def _id(app, external_id: str) -> int:
    return app.kb.articles.by_external_id(external_id).id


def test_the_search_page_lists_highlighted_hits_with_escaped_titles(app):
    page = client_for(app, "sofia").get("/kb?q=Rücksendeetikett").get_data(as_text=True)
    assert "<mark>Rücksendeetikett</mark>" in page and "Rücksendung" in page
    english = client_for(app, "sofia").get("/kb?q=label&lang=en").get_data(as_text=True)
    assert "Return &lt;b&gt;label&lt;/b&gt;" in english


def test_the_json_search_returns_imported_ids_and_checks_its_input(app):
    client = client_for(app, "stefan")
    hits = client.get("/api/v1/kb/search?q=return%20label&lang=en").get_json()
    assert hits[0]["id"] == "faq-en" and {"title", "score", "snippet"} <= set(hits[0])
    assert client.get("/api/v1/kb/search?q=x&lang=fr").status_code == 400
    assert client.get("/api/v1/kb/search?q=x&since=yesterday").status_code == 400
    assert client.get("/api/v1/kb/search?q=return%20label&source=thread").get_json() == []
    assert client.get("/api/v1/kb/search?q=return%20label&since=2020-01-01").get_json()[0]["id"] == "faq-en"
    assert app.test_client().get("/api/v1/kb/search?q=x").status_code in (401, 302)
    assert "/api/v1/kb/search" in client.get("/api/v1/openapi.json").get_json()["paths"]


def test_votes_are_counted_on_the_article_page(app):
    client, article_id = client_for(app, "ben"), _id(app, "faq-ret")
    page = client.get(f"/kb/articles/{article_id}").get_data(as_text=True)
    assert "Rücksendeetikett im Kundenkonto drucken." in page and 'id="kb-manage"' not in page
    client.post(f"/kb/articles/{article_id}/vote", data={"csrf_token": csrf(client, "/kb"), "helpful": "no"})
    assert app.kb.get(article_id).not_helpful == 1


def test_only_managers_edit_merge_and_unpublish(app):
    ret, zif = _id(app, "faq-ret"), _id(app, "faq-zif")
    ben = client_for(app, "ben")
    assert ben.post(f"/kb/articles/{ret}/unpublish", data={"csrf_token": csrf(ben, "/kb")}).status_code == 403
    maria = client_for(app, "maria")
    token = csrf(maria, "/kb")
    maria.post(f"/kb/articles/{ret}/edit", data={"csrf_token": token, "title": "Rücksendung (neu)",
                                                  "question": "Zurückschicken?", "answer": "Neu.", "tags": "a, b"})
    assert app.kb.get(ret).title == "Rücksendung (neu)" and app.kb.get(ret).tags == ("a", "b")
    maria.post(f"/kb/articles/{zif}/merge", data={"csrf_token": token, "into": ret})
    assert not app.kb.get(zif).published and app.kb.get(zif).merged_into == ret
    assert ben.get(f"/kb/articles/{zif}").status_code == 404
    assert "Ziffernblatt" in maria.get("/kb/review").get_data(as_text=True)


def test_the_answer_form_gets_suggestions_with_one_click_insert_and_dismiss(app):
    thread_id = app.threads["Pulse Watch Ziffernblatt"]
    client = client_for(app, "maria")
    assert 'hx-get="/kb/suggestions?thread_id=' in client.get(f"/threads/{thread_id}").get_data(as_text=True)
    fragment = client.get(f"/kb/suggestions?thread_id={thread_id}").get_data(as_text=True)
    assert "Ziffernblatt der Pulse Watch einstellen" in fragment and "In der App unter Uhr &gt; Design." in fragment
    article_id = _id(app, "faq-zif")
    headers = {"X-CSRFToken": csrf(client, "/kb")}
    assert client.post(f"/kb/suggestions/{article_id}/insert", data={"thread_id": thread_id},
                       headers=headers).status_code == 200
    client.post(f"/kb/suggestions/{article_id}/dismiss", headers=headers)
    feedback = app.kb.get(article_id).feedback
    assert (feedback.inserts, feedback.dismissals) == (1, 1)
