"""The web side of routing: the manager's decision view, reviews before publishing, renew, 409 on bad moves."""
from __future__ import annotations

import re

import pytest

from community.domain.routing.review import ReviewPolicy
from community.services.work import WorkRules
from superfan.web_server import make_app
from tests.foundation.seed import PASSWORD, seed


@pytest.fixture
def app(sqlite_services):
    application = make_app(sqlite_services)
    application.threads = seed(sqlite_services)
    return application


def client_for(app, name: str):
    client = app.test_client()
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": token})
    return client


def post(client, path: str, **data):
    html = client.get("/", follow_redirects=True).get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
    return client.post(path, data={"csrf_token": token, **data})


def test_managers_see_the_rule_the_inputs_and_the_candidates(app):
    tid = app.threads["Pulse Watch Ziffernblatt"]
    html = client_for(app, "maria").get(f"/threads/{tid}").get_data(as_text=True)
    assert "Why it went here" in html and "community-topic" in html and "inputs: topic usage" in html
    assert "Candidates considered" in html and "sofia" in html and "Offers" in html
    fan_view = client_for(app, "sofia").get(f"/threads/{tid}").get_data(as_text=True)
    assert "Why it went here" not in fan_view and "first answer due" in fan_view


def test_invalid_transitions_are_a_409_with_a_clear_message(app):
    tid = app.threads["Pulse Watch Ziffernblatt"]
    sofia = client_for(app, "sofia")
    response = post(sofia, f"/threads/{tid}/release")
    assert response.status_code == 409 and "cannot release a thread that is routed" in response.get_data(as_text=True)
    api = sofia.post(f"/threads/{tid}/renew", headers={"Accept": "application/json"},
                     data={"csrf_token": "x"})
    assert api.status_code == 400  # no valid CSRF token: refused before anything happens


def test_claim_renew_and_a_peer_reviewed_answer(app, sqlite_services, clock):
    sqlite_services.router.work_rules = WorkRules(reviews={"topic:usage": ReviewPolicy(peer_reviews=1)})
    tid = app.threads["Pulse Watch Ziffernblatt"]
    sofia, ben = client_for(app, "sofia"), client_for(app, "ben")
    assert post(sofia, f"/threads/{tid}/claim").status_code == 302
    clock.advance(minutes=20)
    assert post(sofia, f"/threads/{tid}/renew").status_code == 302
    assert post(sofia, f"/threads/{tid}/answer", body="Krone lange drücken.").status_code == 302
    own = sofia.get(f"/threads/{tid}").get_data(as_text=True)
    assert "waiting for review" in own and "Send back" not in own  # nobody reviews their own answer
    assert post(sofia, f"/threads/{tid}/review", verdict="approve").status_code == 403
    assert "Pulse Watch Ziffernblatt" in ben.get("/reviews").get_data(as_text=True)
    assert post(ben, f"/threads/{tid}/review", verdict="approve", note="passt").status_code == 302
    assert "published" in client_for(app, "maria").get(f"/threads/{tid}").get_data(as_text=True)


def test_managers_route_triage_threads_by_hand(app, sqlite_services):
    from tests.routing.conftest import World

    world = World(sqlite_services)
    tid = world.thread(target="triage", queue="triage")
    maria = client_for(app, "maria")
    assert post(maria, f"/threads/{tid}/retarget", target="community", queue="community").status_code == 302
    thread = world.get(tid)
    assert thread.target == "community" and not thread.staff_only
    assert post(client_for(app, "sofia"), f"/threads/{tid}/retarget", target="staff").status_code == 403


def test_threads_offered_to_a_fan_are_marked_in_their_queue(app, sqlite_services):
    tid = app.threads["Pulse Watch Ziffernblatt"]
    with sqlite_services.uow() as uow:
        offered = {o.user_id for o in uow.routing.offers(tid)}
        sofia = uow.users.by_name("sofia").id
    html = client_for(app, "sofia").get("/queue").get_data(as_text=True)
    row = re.search(rf'<tr data-thread="{tid}">.*?</tr>', html, re.S).group(0)
    assert ("offered to you" in row) == (sofia in offered) and sofia in offered
    assert "Doppelt abgebucht" not in html  # staff items never reach a fan's queue
