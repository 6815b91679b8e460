"""Review before publishing on a real database: peers and staff approve, nobody reviews their own answer."""
from __future__ import annotations

import pytest

from community.domain.errors import Forbidden, InvalidTransition
from community.domain.model import Role, ThreadState
from community.domain.routing.review import ReviewPolicy
from community.services import review, work
from community.services.work import WorkRules

RULES = WorkRules(reviews={"target:community": ReviewPolicy(peer_reviews=2, staff_approval=True)})


def _first_response(world, tid):
    with world.services.uow() as uow:
        return uow.routing.sla_records()[0].first_response_at if uow.threads.get(tid).state != "resolved" else None


def test_an_answer_is_published_after_two_peers_and_staff(world):
    author, p1, p2 = world.user("sofia"), world.user("ben"), world.user("lena")
    staff = world.user("stefan", Role.STAFF)
    tid = world.thread()
    world.do(work.claim, tid, author)
    world.do(work.answer, tid, author, "Antwort im Namen der Marke", rules=RULES)
    assert world.events(tid)[-1] == "review_requested" and _first_response(world, tid) is None
    with pytest.raises(Forbidden):
        world.do(review.review, tid, author, "approve", "", rules=RULES)
    world.do(review.review, tid, p1, "approve", "passt", rules=RULES)
    with pytest.raises(InvalidTransition, match="already reviewed"):
        world.do(review.review, tid, p1, "approve", "", rules=RULES)
    world.do(review.review, tid, p2, "approve", "", rules=RULES)
    assert "published" not in world.events(tid)
    world.do(review.review, tid, staff, "approve", "freigegeben", rules=RULES)
    assert world.events(tid)[-1] == "published" and _first_response(world, tid) is not None
    with world.services.uow() as uow:
        assert uow.routing.latest_answer(tid).status == "published"


def test_a_rejection_hands_the_thread_back_to_its_author(world):
    author, peer = world.user("sofia"), world.user("ben")
    tid = world.thread()
    world.do(work.claim, tid, author)
    world.do(work.answer, tid, author, "erster Entwurf", rules=RULES)
    thread = world.do(review.review, tid, peer, "reject", "bitte Link ergänzen", rules=RULES)
    assert thread.state == ThreadState.CLAIMED and thread.claimed_by == author.id
    world.do(work.answer, tid, author, "zweiter Entwurf mit Link", rules=RULES)
    with world.services.uow() as uow:
        assert uow.routing.latest_answer(tid).status == "pending_review"
        pending = review.pending_for(uow, peer)
    assert [t.id for t, _ in pending] == [tid]


def test_without_a_policy_answers_publish_at_once(world):
    fan = world.user("sofia")
    tid = world.thread()
    world.do(work.claim, tid, fan)
    world.do(work.answer, tid, fan, "direkt")
    with world.services.uow() as uow:
        assert uow.routing.latest_answer(tid).status == "published"
    with pytest.raises(InvalidTransition, match="no answer waiting"):
        world.do(review.review, tid, world.user("ben"), "approve", "")
