"""The feedback loop: a manager corrects a thread's topic/urgency on the web; training reads the correction."""
from __future__ import annotations

import pytest

from community.adapters.sql.labeled_examples import SqlLabeledExamples
from community.domain.errors import NotFound, ValidationError
from superfan.web_server import make_app
from tests.foundation.seed import seed
from tests.foundation.test_web import login, post

TOPICS = ("payment", "shipping", "cancellation", "other")


@pytest.fixture
def store(services):
    services.extras["labeled_examples"] = SqlLabeledExamples(services.session_factory)
    services.threads_by_title = seed(services)
    return services.extras["labeled_examples"]


def test_a_correction_is_stored_per_post_and_becomes_a_training_row(services, store):
    thread_id = services.threads_by_title["Doppelt abgebucht"]
    assert store.correct(thread_id, topic="payment", urgency="critical", user_id=None, topics=TOPICS) == 1
    assert store.correct(thread_id, topic=None, urgency="high", user_id=None, topics=TOPICS) == 1
    rows = store.training_rows()
    assert len(rows) == 1
    assert rows[0]["topic"] == "payment" and rows[0]["urgency"] == "high"
    assert "zweimal abgebucht" in rows[0]["text"]
    assert store.count() == 2
    thread, posts = store.thread_posts(thread_id)
    assert thread["topic"] == "payment" and posts[0]["urgency"] == "high"


def test_wrong_labels_and_unknown_threads_are_refused(services, store):
    thread_id = services.threads_by_title["Doppelt abgebucht"]
    with pytest.raises(ValidationError):
        store.correct(thread_id, topic="weather", urgency=None, user_id=None, topics=TOPICS)
    with pytest.raises(ValidationError):
        store.correct(thread_id, topic=None, urgency=None, user_id=None, topics=TOPICS)
    with pytest.raises(NotFound):
        store.correct(999_999, topic="payment", urgency=None, user_id=None, topics=TOPICS)


@pytest.fixture
def app(sqlite_services):
    sqlite_services.extras["labeled_examples"] = SqlLabeledExamples(sqlite_services.session_factory)
    application = make_app(sqlite_services)
    application.threads = seed(sqlite_services)
    return application


def test_a_manager_corrects_a_thread_on_the_web(app):
    client = app.test_client()
    login(client, "maria")
    thread_id = app.threads["Pulse Watch Ziffernblatt"]
    page = client.get(f"/threads/{thread_id}/nlp")
    assert page.status_code == 200 and "Ziffernblatt" in page.get_data(as_text=True)
    response = post(client, f"/threads/{thread_id}/nlp", topic="usage", urgency="low")
    assert response.status_code == 302
    listing = client.get("/nlp/corrections").get_data(as_text=True)
    assert "Corrections (1)" in listing and "usage" in listing


def test_corrections_without_csrf_token_are_refused(app):
    client = app.test_client()
    login(client, "maria")
    thread_id = app.threads["Pulse Watch Ziffernblatt"]
    assert client.post(f"/threads/{thread_id}/nlp", data={"topic": "usage"}).status_code == 400


@pytest.mark.parametrize("name", ["stefan", "sofia"])
def test_only_managers_may_correct(app, name):
    client = app.test_client()
    login(client, name)
    thread_id = app.threads["Pulse Watch Ziffernblatt"]
    assert client.get(f"/threads/{thread_id}/nlp").status_code == 403
    assert post(client, f"/threads/{thread_id}/nlp", topic="usage").status_code == 403
    assert client.get("/nlp/corrections").status_code == 403


def test_anonymous_visitors_are_sent_to_login(app):
    response = app.test_client().get("/nlp/corrections")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
