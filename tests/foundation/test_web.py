"""The web app: login, role checks on every route, CSRF, and the super-user's claim → answer → hand on."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from community.domain.model import RawPost
from community.services.ingest import store
from superfan.web_server import make_app
from tests.foundation.seed import PASSWORD, seed


@pytest.fixture
def app(services):
    threads = seed(services)
    application = make_app(services)
    application.config["TESTING"] = True
    application.threads = threads
    return application


@pytest.fixture
def sqlite_app(sqlite_services):
    threads = seed(sqlite_services)
    application = make_app(sqlite_services)
    application.threads = threads
    return application


def csrf(client, path="/login") -> str:
    html = client.get(path, follow_redirects=True).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def login(client, name: str, password: str = PASSWORD):
    token = csrf(client)
    return client.post("/login", data={"username": name, "password": password, "csrf_token": token})


def post(client, path: str, **data):
    return client.post(path, data={"csrf_token": csrf(client, "/"), **data})


def test_login_redirects_each_role_to_its_inbox(sqlite_app):
    for name, home in [("maria", "/triage"), ("stefan", "/staff"), ("sofia", "/queue")]:
        client = sqlite_app.test_client()
        response = login(client, name)
        assert response.status_code == 302 and response.headers["Location"].endswith(home)


def test_wrong_password_is_refused_and_then_rate_limited(sqlite_app):
    client = sqlite_app.test_client()
    codes = [login(client, "sofia", "wrong-password").status_code for _ in range(6)]
    assert codes[:5] == [401] * 5 and codes[5] == 429
    assert login(client, "sofia").status_code == 429  # even the right password waits out the minute


def test_pages_need_a_login(sqlite_app):
    client = sqlite_app.test_client()
    assert client.get("/queue").status_code == 302
    assert client.get("/api/v1/threads").status_code == 401


@pytest.mark.parametrize("path", ["/staff", "/triage", "/api/v1/status"])
def test_superuser_gets_403_on_staff_and_manager_pages(sqlite_app, path):
    client = sqlite_app.test_client()
    login(client, "sofia")
    assert client.get(path).status_code == 403


def test_superuser_never_sees_staff_only_threads(sqlite_app):
    client = sqlite_app.test_client()
    login(client, "sofia")
    staff_thread = sqlite_app.threads["Doppelt abgebucht"]
    assert "Doppelt abgebucht" not in client.get("/queue").get_data(as_text=True)
    assert client.get(f"/threads/{staff_thread}").status_code == 403
    assert post(client, f"/threads/{staff_thread}/claim").status_code == 403
    titles = [t["title"] for t in client.get("/api/v1/threads").get_json()]
    assert "Doppelt abgebucht" not in titles and "Pulse Watch Ziffernblatt" in titles


def test_form_posts_without_csrf_token_are_rejected(sqlite_app):
    client = sqlite_app.test_client()
    login(client, "sofia")
    thread = sqlite_app.threads["Pulse Watch Ziffernblatt"]
    assert client.post(f"/threads/{thread}/claim").status_code == 400


def test_crawled_html_is_escaped(sqlite_app):
    client = sqlite_app.test_client()
    login(client, "sofia")
    html = client.get(f"/threads/{sqlite_app.threads['Geschenk für Papa']}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_claim_answer_and_the_thread_leaves_the_queue(app):
    client = app.test_client()
    login(client, "sofia")
    thread = app.threads["Pulse Watch Ziffernblatt"]
    assert post(client, f"/threads/{thread}/claim").status_code == 302
    other = app.test_client()
    login(other, "ben")
    assert post(other, f"/threads/{thread}/claim").status_code == 409  # one claim only
    assert post(client, f"/threads/{thread}/answer", body="Einstellungen > Ziffernblatt, dann wischen.").status_code == 302
    assert "Pulse Watch Ziffernblatt" not in client.get("/queue").get_data(as_text=True)
    assert post(client, f"/threads/{thread}/answer", body="again").status_code == 409
    manager = app.test_client()
    login(manager, "maria")
    page = manager.get(f"/threads/{thread}").get_data(as_text=True)
    assert "Ziffernblatt, dann wischen" in page and "answered" in page


def test_hand_on_moves_the_thread_to_staff_with_the_note_and_keeps_the_clock(app, clock):
    client = app.test_client()
    login(client, "sofia")
    thread = app.threads["Geschenk für Papa"]
    post(client, f"/threads/{thread}/claim")
    clock.advance(minutes=20)
    response = post(client, f"/threads/{thread}/hand-on", note="Kunde fragt nach Rabatt")
    assert response.status_code == 302
    staff = app.test_client()
    login(staff, "stefan")
    assert "Geschenk für Papa" in staff.get("/staff").get_data(as_text=True)
    detail = staff.get(f"/threads/{thread}").get_data(as_text=True)
    assert "Kunde fragt nach Rabatt" in detail
    with app.extensions["superfan"].uow() as uow:
        moved = uow.threads.get(thread)
    assert moved.state == "escalated" and moved.staff_only
    assert moved.first_response_due == clock.now() - timedelta(minutes=20) + timedelta(minutes=240)
    assert client.get(f"/threads/{thread}").status_code == 403  # now staff-only


def test_manager_sees_the_decision_explanation_and_source_health(sqlite_app):
    client = sqlite_app.test_client()
    login(client, "maria")
    page = client.get(f"/threads/{sqlite_app.threads['Doppelt abgebucht']}").get_data(as_text=True)
    assert "Why it went here" in page and "payment" in page
    assert "Doppelt abgebucht" in client.get("/triage").get_data(as_text=True)


def test_status_api_and_openapi(sqlite_app):
    client = sqlite_app.test_client()
    login(client, "maria")
    status = client.get("/api/v1/status").get_json()
    assert status["mentions"] == 3 and status["threads"]["by_state"] == {"routed": 3}
    assert "/api/v1/threads" in client.get("/api/v1/openapi.json").get_json()["paths"]


def test_passwords_are_stored_hashed(sqlite_app):
    with sqlite_app.extensions["superfan"].uow() as uow:
        stored = uow.users.password_hash("sofia")
    assert PASSWORD not in stored and stored.startswith(("scrypt:", "pbkdf2:"))


def test_triage_shows_source_health_with_the_last_error(sqlite_app, clock):
    with sqlite_app.extensions["superfan"].uow() as uow:
        uow.sources.ensure("shop-forum", "rss", "https://forum.example/feed")
        uow.sources.record_run("shop-forum", ok=False, seen=0, new=0, error="HTTP 503 from forum.example",
                               at=clock.now())
        uow.commit()
    client = sqlite_app.test_client()
    login(client, "maria")
    page = client.get("/triage").get_data(as_text=True)
    row = page[page.index("shop-forum"):]
    assert "HTTP 503 from forum.example" in row[:2000] and "<td>1</td>" in row[:2000]


def fan_claims_and(app, title: str, action: str, **form) -> int:
    """Let the super-user sofia claim a seeded thread and then act on it; return the thread's id."""
    fan = app.test_client()
    login(fan, "sofia")
    thread = app.threads[title]
    post(fan, f"/threads/{thread}/claim")
    post(fan, f"/threads/{thread}/{action}", **form)
    return thread


def test_manager_sees_the_decision_history_after_a_hand_on(sqlite_app):
    thread = fan_claims_and(sqlite_app, "Pulse Watch Ziffernblatt", "hand-on", note="Bitte übernehmen")
    manager = sqlite_app.test_client()
    login(manager, "maria")
    page = manager.get(f"/threads/{thread}").get_data(as_text=True)
    history = page[page.index("Decision history"):]
    assert "community / community" in history and "staff / advisor" in history


def test_resolving_an_answered_thread_publishes_a_credited_kb_article(sqlite_app):
    svc = sqlite_app.extensions["superfan"]
    thread = fan_claims_and(sqlite_app, "Geschenk für Papa", "answer",
                            body="Die Aero Buds sind ein tolles Geschenk, das Ladecase passt in jede Tasche.")
    staff = sqlite_app.test_client()
    login(staff, "stefan")
    response = post(staff, f"/threads/{thread}/resolve")
    assert response.status_code == 302
    assert "article created" in staff.get("/staff").get_data(as_text=True)
    hits = svc.knowledge.search("Geschenk Aero Buds", language="de")
    assert hits and "Geschenk" in hits[0].title
    article = svc.knowledge.get(int(hits[0].id))
    with svc.uow() as uow:
        sofia = uow.users.by_name("sofia")
    assert article.author_id == sofia.id
    page = staff.get(f"/kb/articles/{article.id}").get_data(as_text=True)
    assert "Ladecase passt" in page and "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_resolving_a_staff_thread_keeps_its_article_out_of_public_search(sqlite_app):
    svc = sqlite_app.extensions["superfan"]
    staff = sqlite_app.test_client()
    login(staff, "stefan")
    thread = sqlite_app.threads["Doppelt abgebucht"]
    post(staff, f"/threads/{thread}/answer", body="Wir haben die doppelte Lastschrift storniert, das Geld ist unterwegs.")
    post(staff, f"/threads/{thread}/resolve")
    assert svc.knowledge.search("doppelte Lastschrift storniert", language="de") == []


def test_manager_can_reach_the_topic_correction_form_from_the_thread(sqlite_app):
    client = sqlite_app.test_client()
    login(client, "maria")
    thread = sqlite_app.threads["Doppelt abgebucht"]
    page = client.get(f"/threads/{thread}").get_data(as_text=True)
    assert f"/threads/{thread}/nlp" in page
    assert client.get(f"/threads/{thread}/nlp").status_code == 200
    fan = sqlite_app.test_client()
    login(fan, "sofia")
    assert fan.get(f"/threads/{thread}/nlp").status_code == 403


def store_waiting(services, external_id: str, title: str, text: str) -> None:
    """Store a mention without reading it (as a crawl does before its analysis pass)."""
    store(services.uow, [RawPost(source="forum", external_id=external_id, title=title, text=text,
                                 url=f"https://forum.example/{external_id}")], clock=services.clock)


def test_triage_shows_a_mention_still_waiting_for_the_analysis_pass(sqlite_app, sqlite_services):
    store_waiting(sqlite_services, "w1", "Pulse Watch <b>Akku</b> leer", "Seit gestern hält der Akku keinen Tag")
    client = sqlite_app.test_client()
    login(client, "maria")
    page = client.get("/triage").get_data(as_text=True)
    row = page[page.index("Pulse Watch &lt;b&gt;Akku&lt;/b&gt; leer"):]
    assert "waiting to be read and routed" in row[:1500] and "None /" not in row[:1500]


def test_a_mention_still_waiting_opens_like_any_other(sqlite_app, sqlite_services):
    store_waiting(sqlite_services, "w2", "Aero Buds rauschen", "Links rauscht es seit dem Update")
    with sqlite_services.uow() as uow:
        (waiting,) = uow.threads.list(states=["new"])
    client = sqlite_app.test_client()
    login(client, "maria")
    page = client.get(f"/threads/{waiting.id}")
    assert page.status_code == 200 and "Links rauscht es seit dem Update" in page.get_data(as_text=True)
