"""Ingest routes new threads with the rules engine, stores the explanation and offers them to matching fans."""
from __future__ import annotations

from datetime import timedelta

from community.domain.model import RawPost, Role, Target
from community.services.ingest import ingest
from community.services.routing import replay

POSTS = [
    ("p1", "Doppelt abgebucht", "Kolibri hat meine Bestellung zweimal abgebucht, Lastschrift!"),
    ("p2", "Pulse Watch Ziffernblatt", "Wie kann ich bei der Pulse Watch das Ziffernblatt einstellen?"),
    ("p3", "Hallo", "Kolibri ist eine Marke."),
    ("p4", "Anwalt", "Wie kann ich das einstellen? Sonst gehe ich zum Anwalt."),
]


def _ingest(svc, posts=POSTS):
    raw = [RawPost(source="forum", external_id=eid, url=f"https://forum.example/{eid}", title=title, text=text,
                   author="kunde", lang_hint="de") for eid, title, text in posts]
    return ingest(svc.uow, raw, classifier=svc.classifier, router=svc.router, clock=svc.clock)


def _threads(svc):
    with svc.uow() as uow:
        return {t.title: t for t in uow.threads.list(limit=50)}


def test_new_threads_are_routed_explained_and_offered(world):
    svc = world.services
    de = [world.user(f"fan{i}", expertise={"usage": i}, languages=("de",)) for i in range(1, 5)]
    world.user("anna", languages=("en",))
    world.user("paul", active=False, expertise={"usage": 5})
    world.user("stefan", Role.STAFF)
    _ingest(svc)
    threads = _threads(svc)
    usage, payment = threads["Pulse Watch Ziffernblatt"], threads["Doppelt abgebucht"]
    assert (usage.target, usage.decision["rule"]) == (Target.COMMUNITY, "community-topic")
    assert (payment.target, payment.queue, payment.decision["rule"]) == (Target.STAFF, "billing", "staff-topic")
    assert threads["Hallo"].target == Target.TRIAGE and threads["Hallo"].decision["rule"] == "unsure-topic"
    assert threads["Anwalt"].decision["rule"] == "legal-or-personal-data" and threads["Anwalt"].staff_only
    with svc.uow() as uow:
        offered = [o.user_id for o in uow.routing.offers(usage.id)]
        assert all(not uow.routing.offers(t.id) for t in threads.values() if t.target != Target.COMMUNITY)
    assert offered == [de[3].id, de[2].id, de[1].id]  # most expertise first, only German speakers, nobody paused
    reasons = {c["name"]: c["reason"] for c in usage.decision["candidates"]}
    assert reasons["anna"] == "does not speak 'de'" and reasons["paul"] == "paused"
    assert any(line.startswith("candidates: 4 eligible") for line in usage.decision["explanation"])


def test_replay_reports_moves_between_community_and_staff_per_rule(world, clock):
    svc = world.services
    _ingest(svc)
    clock.advance(hours=1)
    with svc.uow() as uow:
        same = replay(uow, svc.router.engine, clock.now() - timedelta(days=1))
    assert (same.total, same.changed) == (4, 0)
    strict = svc.router.engine
    strict.rules = type(strict.rules).from_tables([
        {"name": "everything-to-staff", "when": {}, "then": {"target": "staff", "queue": "all"}}])
    with svc.uow() as uow:
        moved = replay(uow, strict, clock.now() - timedelta(days=1))
    assert moved.moves == {"community→staff": 1, "triage→staff": 1}
    assert moved.as_dict()["by_rule"] == {"everything-to-staff": {"community→staff": 1, "triage→staff": 1}}


def test_claiming_takes_ones_own_offer_and_withdraws_the_others(world):
    from community.services import work

    svc = world.services
    fans = [world.user(f"fan{i}", expertise={"usage": i}, languages=("de",)) for i in range(1, 5)]
    _ingest(svc)
    usage = _threads(svc)["Pulse Watch Ziffernblatt"]
    world.do(work.claim, usage.id, fans[2])
    with svc.uow() as uow:
        statuses = {o.user_id: o.status for o in uow.routing.offers(usage.id)}
        assert uow.routing.offered_threads(fans[3].id, svc.clock.now()) == []
    assert statuses == {fans[3].id: "withdrawn", fans[2].id: "taken", fans[1].id: "withdrawn"}
