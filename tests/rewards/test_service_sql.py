"""The programme on a real database (SQLite and PostgreSQL): work events → ledger, totals, badges, recompute."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from community.domain.gamification.leaderboard import totals
from community.domain.gamification.points import PointsRule
from community.domain.model import Analysis, RawPost, Role, Target, Thread, ThreadEvent, ThreadState, User
from community.services import leaderboards, rewards
from tests.rewards.rewards_helpers import ANSWER_TEXT, unique_text


@pytest.fixture
def world(services, clock):
    """Two super-users, a staff agent and a manager; programme from the repo's settings.toml."""
    programme = services.settings.gamification.programme()
    with services.uow() as uow:
        ids = {name: uow.users.add(User(None, name, role), "x") for name, role in
               [("anna", Role.SUPERUSER), ("ben", Role.SUPERUSER), ("sam", Role.STAFF), ("mia", Role.MANAGER)]}
        uow.commit()
    return services, clock, programme, ids


def new_thread(uow, clock, key="t1", author="customer", topic="usage", target=Target.COMMUNITY):
    thread_id = uow.threads.add(Thread(None, key, "Router blinks", ThreadState.ROUTED, target, topic=topic,
                                       language="de", created_at=clock.now(),
                                       first_response_due=clock.now() + timedelta(hours=4)))
    uow.posts.add(RawPost("forum", key, f"https://forum.example/{key}", "Router blinks", "help", author=author),
                  Analysis(language="de", topic=topic), thread_id, clock.now())
    return thread_id


def test_first_answer_within_sla_pays_answer_and_fast_response_and_earns_the_first_badge(world):
    services, clock, programme, ids = world
    with services.uow() as uow:
        thread_id = new_thread(uow, clock)
        clock.advance(minutes=20)
        rewards.on_event(uow, "answered", thread_id, ids["anna"], clock.now(), programme, body=ANSWER_TEXT)
        uow.commit()
    with services.uow() as uow:
        assert [(e.rule, e.points) for e in uow.gamification.entries(user_id=ids["anna"])] == [
            ("answer", 10), ("fast_response", 5)]
        assert ("first_answer", "bronze") in {(a.badge, a.tier) for a in uow.gamification.awards(ids["anna"])}
        board = leaderboards.leaderboard(uow, "week", clock.now(), topic="usage")
        assert board == [{"place": 1, "user_id": ids["anna"], "name": "anna", "points": round(15 * 1.0 + 5 * 1.0)}]
        me = leaderboards.profile(uow, programme, ids["anna"], uow.users.get(ids["anna"]), clock.now())
        assert (me["balance"], me["answers"], me["median_response_minutes"], me["rank"]) == (15, 1, 20.0, "Newcomer")


def test_answering_ones_own_post_earns_nothing(world):
    services, clock, programme, ids = world
    with services.uow() as uow:
        uow.catalogue.mark_identity("forum", "anna_de", "joined", ids["mia"], clock.now(), ids["anna"])
        thread_id = new_thread(uow, clock, author="anna_de")
        (scored, *_) = rewards.on_event(uow, "answered", thread_id, ids["anna"], clock.now(), programme,
                                        body=ANSWER_TEXT)
        assert scored.entries == () and "own post" in scored.refused
        assert uow.gamification.balance(ids["anna"]) == 0


def test_claim_and_release_loop_earns_nothing(world):
    services, clock, programme, ids = world
    with services.uow() as uow:
        thread_id = new_thread(uow, clock)
        for _ in range(2):
            uow.threads.add_event(ThreadEvent(thread_id, "released", clock.now(), actor_id=ids["ben"]))
        (scored, *_) = rewards.on_event(uow, "answered", thread_id, ids["ben"], clock.now(), programme,
                                        body=ANSWER_TEXT)
        assert "claim-and-release" in scored.refused


def test_spam_dismissal_reverses_and_the_stored_totals_follow_the_ledger(world):
    services, clock, programme, ids = world
    with services.uow() as uow:
        thread_id = new_thread(uow, clock)
        rewards.on_event(uow, "answered", thread_id, ids["anna"], clock.now(), programme, body=ANSWER_TEXT)
        rewards.on_event(uow, "accepted", thread_id, ids["anna"], clock.now(), programme, actor_id=ids["mia"])
        rewards.on_event(uow, "dismissed", thread_id, ids["mia"], clock.now(), programme, reason="Spam ring")
        uow.commit()
    with services.uow() as uow:
        entries = uow.gamification.entries()
        assert uow.gamification.balance(ids["anna"]) == 0 and len(entries) == 6
        assert uow.gamification.stored_totals() == {k: v for k, v in totals(entries, programme.weights).items() if v}
        assert leaderboards.leaderboard(uow, "week", clock.now())[0]["points"] == 0


def test_hand_on_pays_only_once_staff_resolves_it(world):
    services, clock, programme, ids = world
    with services.uow() as uow:
        thread_id = new_thread(uow, clock)
        assert rewards.on_event(uow, "handed_on", thread_id, ids["ben"], clock.now(), programme) == []
        assert uow.gamification.balance(ids["ben"]) == 0
        uow.threads.save(replace(uow.threads.get(thread_id), target=Target.STAFF, state=ThreadState.ESCALATED))
        clock.advance(hours=1)
        rewards.on_event(uow, "resolved", thread_id, ids["sam"], clock.now(), programme)
        rewards.on_event(uow, "resolved", thread_id, ids["sam"], clock.now(), programme)
        assert uow.gamification.balance(ids["ben"]) == 5


def test_recompute_applies_a_changed_rule_through_appended_corrections_and_is_idempotent(world):
    services, clock, programme, ids = world
    with services.uow() as uow:
        for n in range(3):
            thread_id = new_thread(uow, clock, key=f"t{n}")
            rewards.on_event(uow, "answered", thread_id, ids["anna"], clock.now(), programme, body=unique_text(n))
        before = len(uow.gamification.entries())
        richer = replace(programme, points=replace(programme.points, rules={
            **programme.points.rules, "answer": PointsRule("answer", 12, 60)}))
        result = rewards.recompute(uow, clock.now(), richer)
        assert (result["corrections"], result["points_changed"]) == (3, 6)
        assert len(uow.gamification.entries()) == before + 3
        rebuilt = {k: v for k, v in totals(uow.gamification.entries(), richer.weights).items() if v}
        assert uow.gamification.stored_totals() == rebuilt
        assert rewards.recompute(uow, clock.now(), richer)["corrections"] == 0
        assert rewards.recompute_badges(uow, richer) == []


def test_helpful_votes_pay_the_author_once_per_voter_and_never_for_ones_own_article(world):
    services, clock, programme, ids = world
    with services.uow() as uow:
        for voter in ("ben", "ben", "mia", "anna"):
            rewards.on_event(uow, "helpful_vote", None, ids["anna"], clock.now(), programme, article_id=7,
                             actor_id=ids[voter], topic="usage", language="de")
        assert [(e.rule, e.points, e.article_id) for e in uow.gamification.entries(user_id=ids["anna"])] == [
            ("helpful_vote", 2, 7), ("helpful_vote", 2, 7)]
