"""Web pages of the programme: leaderboard, profiles (public vs own), rewards with approval, candidates."""
from __future__ import annotations

import pytest

from community.domain.gamification.ledger import LedgerEntry
from community.domain.model import Analysis, RawPost
from community.services import redemptions, rewards
from superfan.web_server import make_app
from tests.foundation.seed import seed
from tests.foundation.test_web import login, post
from tests.rewards.rewards_helpers import ANSWER_TEXT


@pytest.fixture
def app(sqlite_services, clock):
    svc = sqlite_services
    threads = seed(svc)
    programme = svc.settings.gamification.programme()
    with svc.uow() as uow:
        sofia = uow.users.by_name("sofia")
        redemptions.sync_catalogue(uow, programme)
        uow.gamification.append([LedgerEntry(sofia.id, clock.now(), "accepted_answer", 1000, "seed", topic="usage")],
                                programme.weights)
        rewards.on_event(uow, "answered", threads["Geschenk für Papa"], uow.users.by_name("ben").id, clock.now(),
                         programme, body=ANSWER_TEXT)
        for n in range(3):
            uow.posts.add(RawPost("forum", f"h{n}", f"https://forum.example/h{n}", "", "Try the reset.",
                                  author="helpful_hans", published=clock.now(), extra={"is_reply": True}),
                          Analysis(topic="usage"), None, clock.now())
        uow.commit()
        application = make_app(svc)
        application.ids = {name: uow.users.by_name(name).id for name in ("sofia", "ben", "maria")}
        application.voucher = next(r for r in redemptions.catalogue(uow) if r.kind == "discount")
    return application


def client_for(app, name):
    client = app.test_client()
    login(client, name)
    return client


def test_leaderboard_lists_super_users_by_points(app):
    page = client_for(app, "ben").get("/leaderboard?period=all").get_data(as_text=True).split('id="leaderboard"')[1]
    assert page.index("sofia") < page.index("ben") and "1000" in page
    assert client_for(app, "ben").get("/leaderboard?period=year").status_code == 400


def test_someone_elses_profile_shows_public_stats_only(app):
    ben = client_for(app, "ben")
    other = ben.get(f"/users/{app.ids['sofia']}").get_data(as_text=True)
    own = ben.get(f"/users/{app.ids['ben']}").get_data(as_text=True)
    assert "Expert" in other and "1000 rank points" in other
    assert 'id="history"' not in other and "balance" not in other
    assert 'id="history"' in own and "answer on thread" in own


def test_redeem_then_manager_approves_and_the_points_are_spent(app):
    sofia, maria = client_for(app, "sofia"), client_for(app, "maria")
    page = sofia.get("/rewards").get_data(as_text=True)
    assert 'id="balance">1000<' in page
    assert post(sofia, f"/rewards/{app.voucher.id}/redeem").status_code == 302
    pending = maria.get("/rewards/requests").get_data(as_text=True)
    request_id = int(pending.split('data-request="')[1].split('"')[0])
    assert post(sofia, f"/redemptions/{request_id}/approve").status_code == 403
    assert post(maria, f"/redemptions/{request_id}/approve").status_code == 302
    assert 'id="balance">700<' in sofia.get("/rewards").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/candidates", "/rewards/requests"])
def test_super_users_cannot_open_manager_pages(app, path):
    assert client_for(app, "sofia").get(path).status_code == 403


def test_manager_sees_candidates_with_evidence_and_marks_one_joined(app):
    maria = client_for(app, "maria")
    page = maria.get("/candidates").get_data(as_text=True)
    assert "helpful_hans" in page and "https://forum.example/h0" in page
    response = post(maria, "/candidates/mark", source="forum", author="helpful_hans", status="joined", user_name="ben")
    assert response.status_code == 302
    after = maria.get("/candidates").get_data(as_text=True)
    assert "helpful_hans marked joined" in after and "helpful_hans" not in after.split('id="candidates"')[1]


def test_posts_without_csrf_token_are_refused(app):
    assert client_for(app, "sofia").post("/rewards/1/redeem").status_code == 400


def test_helpful_vote_on_an_article_pays_its_author_once(app):
    svc = app.extensions["superfan"]
    with svc.uow() as uow:
        thread = next(t for t in uow.threads.list() if t.title == "Pulse Watch Ziffernblatt")
        posts = uow.posts.for_thread(thread.id)
    article = svc.knowledge.resolve(thread, posts, ANSWER_TEXT, author_id=app.ids["ben"]).article
    sofia = client_for(app, "sofia")
    for _ in range(2):
        assert post(sofia, f"/kb/articles/{article.id}/vote", helpful="yes").status_code == 302
    with svc.uow() as uow:
        votes = [e for e in uow.gamification.entries(user_id=app.ids["ben"]) if e.rule == "helpful_vote"]
    assert [(e.points, e.article_id) for e in votes] == [(2, article.id)]
