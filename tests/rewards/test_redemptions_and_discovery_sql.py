"""Redemptions and super-user discovery on a real database, with role checks and profile privacy."""
from __future__ import annotations

import pytest

from community.domain.errors import Forbidden, ValidationError
from community.domain.gamification.ledger import LedgerEntry
from community.domain.model import Analysis, RawPost, Role, User
from community.services import discovery, leaderboards, redemptions


@pytest.fixture
def world(services, clock):
    programme = services.settings.gamification.programme()
    with services.uow() as uow:
        ids = {name: uow.users.add(User(None, name, role), "x") for name, role in
               [("anna", Role.SUPERUSER), ("ben", Role.SUPERUSER), ("mia", Role.MANAGER)]}
        redemptions.sync_catalogue(uow, programme)
        uow.gamification.append([LedgerEntry(ids["anna"], clock.now(), "accepted_answer", 600, "seed")], {})
        uow.commit()
    return services, clock, programme, ids


def test_request_approve_spends_points_through_the_ledger(world):
    services, clock, programme, ids = world
    with services.uow() as uow:
        anna, mia = uow.users.get(ids["anna"]), uow.users.get(ids["mia"])
        voucher = next(r for r in redemptions.catalogue(uow) if r.kind == "discount")
        asked = redemptions.request(uow, anna, voucher.id, clock.now())
        router_test = next(r for r in redemptions.catalogue(uow) if r.kind == "product_test")
        with pytest.raises(ValidationError, match="300 are available"):
            redemptions.request(uow, anna, router_test.id, clock.now())  # 300 of 600 are reserved
        uow.commit()
    with services.uow() as uow:
        with pytest.raises(Forbidden):
            redemptions.approve(uow, uow.users.get(ids["ben"]), asked.id, clock.now())
        done = redemptions.approve(uow, mia, asked.id, clock.now())
        uow.commit()
    with services.uow() as uow:
        assert uow.gamification.balance(ids["anna"]) == 300
        spent = [e for e in uow.gamification.entries(user_id=ids["anna"]) if e.rule == "redemption"]
        assert [e.id for e in spent] == [done.points_event_id] and spent[0].points == -300
        assert uow.catalogue.reward(voucher.id).stock == voucher.stock - 1
        assert redemptions.requests(uow, uow.users.get(ids["ben"])) == []


def test_profile_of_someone_else_shows_only_public_stats(world):
    services, clock, programme, ids = world
    with services.uow() as uow:
        ben, mia = uow.users.get(ids["ben"]), uow.users.get(ids["mia"])
        public = leaderboards.profile(uow, programme, ids["anna"], ben, clock.now())
        full = leaderboards.profile(uow, programme, ids["anna"], mia, clock.now())
    assert public["rank"] == "Helper" and public["earned"] == 600
    assert not {"balance", "history", "redemptions"} & set(public)
    assert full["balance"] == 600 and full["history"][0]["reason"] == "seed"


def test_discovery_ranks_helpful_authors_and_joined_links_the_identity(world):
    services, clock, programme, ids = world
    with services.uow() as uow:
        for n in range(3):
            for author, reply in (("helpful_hans", True), ("loud_lars", False)):
                post = RawPost("forum", f"{author}{n}", f"https://forum.example/{author}/{n}", "", "text",
                               author=author, published=clock.now(), extra={"is_reply": reply, "author_reach": 50})
                uow.posts.add(post, Analysis(topic="usage", sentiment_score=0.6), None, clock.now())
        mia = uow.users.get(ids["mia"])
        found = discovery.candidate_list(uow, mia, programme, clock.now())
        assert [c.author for c in found] == ["helpful_hans"] and len(found[0].evidence) == 3
        with pytest.raises(Forbidden):
            discovery.candidate_list(uow, uow.users.get(ids["ben"]), programme, clock.now())
        discovery.mark(uow, mia, "forum", "helpful_hans", "joined", clock.now(), user_name="ben")
        assert uow.catalogue.linked_users({("forum", "helpful_hans")}) == {ids["ben"]}
        assert discovery.candidate_list(uow, mia, programme, clock.now()) == []
        with pytest.raises(ValidationError):
            discovery.mark(uow, mia, "forum", "loud_lars", "famous", clock.now())


def test_current_rank_gives_the_privileges_routing_can_use(world):
    services, clock, programme, ids = world
    with services.uow() as uow:
        helper = leaderboards.current_rank(uow, programme, ids["anna"], clock.now())
        newcomer = leaderboards.current_rank(uow, programme, ids["ben"], clock.now())
    assert (helper.name, helper.claim_capacity) == ("Helper", 3)
    assert (newcomer.name, newcomer.claim_capacity, newcomer.can_mentor) == ("Newcomer", 2, False)
