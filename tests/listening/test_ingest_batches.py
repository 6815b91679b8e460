"""A whole batch is stored at once: concurrent writers, offers within a batch and history order still hold."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from community.domain.model import Analysis, RawPost, Role, Target, Thread, ThreadState, User
from community.services.analysis import analyse_pending
from community.services.ingest import ingest, store
from superfan.scheduler import registered_jobs

QUESTIONS = [
    "Wie kann ich bei der Pulse Watch das Ziffernblatt einstellen?",
    "Wie stelle ich bei der Pulse Watch den Wecker ein, Tipp gesucht?",
    "Wie kann ich die Schrittzählung der Pulse Watch einstellen?",
    "Wie kann ich bei der Pulse Watch die Helligkeit einstellen?",
]


def post(n: int, text: str | None = None) -> RawPost:
    return RawPost(source="forum", external_id=f"p{n}", url=f"https://forum.example/p{n}", title=f"Frage {n}",
                   text=text or QUESTIONS[n % len(QUESTIONS)], author=f"kunde{n}", lang_hint="de")


class WriterInTheMiddle:
    """A clock: when the batch's transaction asks it the time, another writer stores one of its posts and commits."""

    def __init__(self, services, clash: RawPost) -> None:
        self.services, self.clash, self.done = services, clash, False

    def now(self):
        if not self.done:
            self.done = True
            svc = self.services
            assert ingest(svc.uow, [self.clash], classifier=svc.classifier, router=svc.router,
                          clock=svc.clock).new == 1
        return self.services.clock.now()


def test_a_post_stored_by_a_concurrent_writer_during_the_batch_is_neither_lost_nor_doubled(services):
    if services.engine.dialect.name == "sqlite":
        pytest.skip("SQLite transactions begin IMMEDIATE: no other writer can commit inside a batch")
    batch = [post(1), post(2), post(3)]
    report = store(services.uow, batch, clock=WriterInTheMiddle(services, batch[1]))
    assert (report.new, report.duplicates, report.threads_created, report.errors) == (2, 1, 2, [])
    with services.uow() as uow:
        assert uow.posts.count() == 3
        assert len(uow.threads.list(states=None)) == 3


class ReaderInTheMiddle:
    """A classifier during whose reading another ingest stores a post and analyses everything waiting."""

    def __init__(self, services, other: RawPost) -> None:
        self.services, self.other, self.done = services, other, False

    def analyse(self, raw: RawPost):
        if not self.done:
            self.done = True
            svc = self.services
            report = ingest(svc.uow, [self.other], classifier=svc.classifier, router=svc.router, clock=svc.clock)
            assert (report.new, report.routed) == (1, 4)  # its own post and the three the outer pass is reading
        return self.services.classifier.analyse(raw)


def test_two_analysis_passes_at_once_route_each_thread_once(services):
    stored = store(services.uow, [post(1), post(2), post(3)], clock=services.clock)
    assert stored.threads_created == 3
    with services.uow() as uow:
        assert uow.threads.counts_by_state() == {"new": 3}  # stored, waiting to be read and routed
    report = analyse_pending(services.uow, classifier=ReaderInTheMiddle(services, post(4)), router=services.router,
                             clock=services.clock)
    assert (report.analysed, report.routed) == (0, 0)  # the other pass took every post while this one was reading
    with services.uow() as uow:
        threads = uow.threads.list()
        assert uow.threads.counts_by_state() == {"routed": 4}
        assert [[e.kind for e in uow.threads.events(t.id)] for t in threads] == [["routed"]] * 4
        assert uow.posts.pending(0, 10) == []


def test_offers_made_earlier_in_a_batch_count_against_a_fans_capacity(sqlite_services):
    svc = sqlite_services
    with svc.uow() as uow:
        fan = User(id=None, name="fan", role=Role.SUPERUSER, languages=("de",), expertise={"usage": 3}, capacity=2)
        uow.users.add(fan, "x")
        uow.commit()
    report = ingest(svc.uow, [post(n) for n in range(4)], classifier=svc.classifier, router=svc.router,
                    clock=svc.clock)
    assert report.threads_created == 4
    with svc.uow() as uow:
        threads = sorted(uow.threads.list(), key=lambda t: t.id)
        offered = [[o.user_id for o in uow.routing.offers(t.id)] for t in threads]
        history = [[e.kind for e in uow.threads.events(t.id)] for t in threads]
    assert offered == [[fan.id], [fan.id], [], []]  # the third thread finds the fan at capacity (2 open offers)
    assert history[:2] == [["routed", "offered"]] * 2 and history[2:] == [["routed"]] * 2


def test_the_same_thread_key_twice_in_a_batch_is_one_thread_with_a_mention(sqlite_services):
    svc = sqlite_services
    first = post(1)
    reply = RawPost(source="forum", external_id="p1-r1", url="https://forum.example/p1#r1", title="Re: Frage 1",
                    text="Bei mir auch, unter Einstellungen gibt es das leider nicht.", thread_key="p1")
    report = ingest(svc.uow, [first, reply], classifier=svc.classifier, router=svc.router, clock=svc.clock)
    assert (report.new, report.threads_created, report.attached) == (2, 1, 1)
    with svc.uow() as uow:
        (thread,) = uow.threads.list()
        assert [p.external_id for p in uow.posts.for_thread(thread.id)] == ["p1", "p1-r1"]
        assert [e.kind for e in uow.threads.events(thread.id)] == ["routed", "mention"]


def test_the_schedulers_analysis_pass_routes_posts_left_waiting(sqlite_services):
    svc = sqlite_services
    store(svc.uow, [post(1), post(2)], clock=svc.clock)  # e.g. the process stopped before reading them
    job = next(j for j in registered_jobs() if j.id == "listening:analyse")
    assert job.minutes == 1
    job.func(svc)
    with svc.uow() as uow:
        assert uow.threads.counts_by_state() == {"routed": 2} and uow.posts.pending(0, 10) == []
        assert {p.analysis["topic"] for p in uow.posts.recent()} == {"usage"}


def test_a_thread_read_late_keeps_the_sla_clock_of_when_it_was_stored(sqlite_services):
    svc = sqlite_services
    store(svc.uow, [post(1)], clock=svc.clock)
    stored_at = svc.clock.now()
    svc.clock.advance(minutes=45)  # the analysis pass ran late (a crash, a broken model)
    analyse_pending(svc.uow, classifier=svc.classifier, router=svc.router, clock=svc.clock)
    with svc.uow() as uow:
        (thread,) = uow.threads.list()
    minutes = thread.decision["sla_first_response_minutes"]
    assert minutes and thread.first_response_due == stored_at + timedelta(minutes=minutes)


def test_a_post_whose_new_thread_another_pass_routed_meanwhile_joins_it(sqlite_services):
    svc = sqlite_services
    reply = RawPost(source="forum", external_id="p1-r1", url="https://forum.example/p1#r1", title="Re: Frage 1",
                    text="Bei mir auch, unter Einstellungen gibt es das leider nicht.", thread_key="p1")
    store(svc.uow, [post(1), reply], clock=svc.clock)

    class StopsAfterTheFirstPost:
        calls = 0

        def analyse(self, raw):
            StopsAfterTheFirstPost.calls += 1
            if StopsAfterTheFirstPost.calls > 1:
                raise RuntimeError("stopped")
            return svc.classifier.analyse(raw)

    class AnotherPassRoutesTheThreadMeanwhile:
        done = False

        def analyse(self, raw):
            if not self.done:  # this pass has read both posts and still sees the thread as new
                self.done = True
                with pytest.raises(RuntimeError):
                    analyse_pending(svc.uow, classifier=StopsAfterTheFirstPost(), router=svc.router,
                                    clock=svc.clock, batch_size=1)  # routes the thread with post 1 only
            return svc.classifier.analyse(raw)

    report = analyse_pending(svc.uow, classifier=AnotherPassRoutesTheThreadMeanwhile(), router=svc.router,
                             clock=svc.clock)
    assert (report.analysed, report.routed) == (1, 0)
    with svc.uow() as uow:
        (thread,) = uow.threads.list()
        assert [e.kind for e in uow.threads.events(thread.id)] == ["routed", "mention"]
        assert uow.posts.pending(0, 10) == []


def test_a_batch_stores_exactly_the_rows_that_storing_one_at_a_time_does(services):
    berlin = timezone(timedelta(hours=2))
    published = [datetime(2026, 11, 25, 23, 59, 59, 123456, tzinfo=berlin), datetime(2026, 1, 2, 3, 4, 5),
                 datetime(999, 1, 1, tzinfo=UTC), None]
    with services.uow() as uow:
        for n, when in enumerate(published):
            one = Thread(id=None, key=f"one:{n}", title="Grüße „zitiert“", state=ThreadState.ROUTED,
                         target=Target.COMMUNITY, staff_only=n % 2 == 1, created_at=when, first_response_due=when,
                         decision={"rule": "ä", "n": n})
            uow.threads.add(one)
            uow.threads.add_many([replace(one, id=None, key=f"many:{n}")])
            raw = RawPost(source="forum", external_id=f"one{n}", url="https://forum.example/ü", title="Ärger",
                          text="Straße und 😀", author="kunde", published=when, lang_hint="de",
                          extra={"accepted": n == 1, "tags": ["a", "ß"]})
            analysis = Analysis(language="de", topic="billing", urgency_score=2, entities=("Pulse Watch",))
            at = datetime(2026, 11, 26, 9, 0, n, 7, tzinfo=UTC)
            uow.posts.add(raw, analysis, one.id, at)
            uow.posts.add_many([(replace(raw, external_id=f"many{n}"), analysis, one.id),
                                (replace(raw, external_id=f"waiting{n}"), None, None)], at)
        uow.commit()
    with services.uow() as uow:
        threads = uow.session.execute(text("SELECT * FROM threads ORDER BY id")).mappings().all()
        posts = uow.session.execute(text("SELECT * FROM posts ORDER BY id")).mappings().all()
    assert len(threads) == 8 and len(posts) == 12
    for single, batch in zip(threads[::2], threads[1::2], strict=True):
        assert {**single, "id": 0, "key": ""} == {**batch, "id": 0, "key": ""}
    for single, batch in zip(posts[::3], posts[1::3], strict=True):
        assert {**single, "id": 0, "external_id": ""} == {**batch, "id": 0, "external_id": ""}
