"""Points follow the real work actions: work.record hands every thread event to the programme."""
from __future__ import annotations

import pytest

from community.domain.gamification.programme import Programme
from community.services import rewards, work
from tests.foundation.seed import seed
from tests.rewards.rewards_helpers import ANSWER_TEXT


@pytest.fixture
def setup(sqlite_services, clock):
    threads = seed(sqlite_services)
    rewards.configure(sqlite_services.settings.gamification.programme())
    with sqlite_services.uow() as uow:
        users = {n: uow.users.by_name(n) for n in ("sofia", "ben", "stefan", "maria")}
    yield sqlite_services, clock, threads["Pulse Watch Ziffernblatt"], users
    rewards.configure(Programme())


def rules_of(uow, user):
    return [(e.rule, e.points) for e in uow.gamification.entries(user_id=user.id)]


def test_claim_answer_accept_pays_and_spam_dismissal_takes_it_back(setup):
    svc, clock, thread_id, users = setup
    with svc.uow() as uow:
        work.claim(uow, thread_id, users["sofia"], clock)
        clock.advance(minutes=10)
        work.answer(uow, thread_id, users["sofia"], ANSWER_TEXT, clock)
        work.accept(uow, thread_id, clock)
        assert rules_of(uow, users["sofia"]) == [("answer", 10), ("fast_response", 5), ("accepted_answer", 25)]
        work.reopen(uow, thread_id, users["maria"], clock)
        work.dismiss(uow, thread_id, users["maria"], "spam: link farm", clock)
        assert uow.gamification.balance(users["sofia"].id) == 0
        uow.commit()


def test_hand_on_pays_when_staff_resolves_and_staff_earn_nothing_themselves(setup):
    svc, clock, thread_id, users = setup
    with svc.uow() as uow:
        work.claim(uow, thread_id, users["ben"], clock)
        work.hand_on(uow, thread_id, users["ben"], "needs a replacement", clock)
        assert uow.gamification.balance(users["ben"].id) == 0
        work.claim(uow, thread_id, users["stefan"], clock)
        work.answer(uow, thread_id, users["stefan"], ANSWER_TEXT, clock)
        work.resolve(uow, thread_id, users["stefan"], clock)
        assert rules_of(uow, users["ben"]) == [("hand_on", 5)]
        assert rules_of(uow, users["stefan"]) == []
