"""The first slice: a configured RSS feed is crawled, matching entries stored once, routed by topic."""
from __future__ import annotations

import pytest

from superfan.bootstrap import build_services
from superfan.crawl import crawl_source
from superfan.settings import SourceSettings
from tests.foundation.feeds import ITEMS, rss
from tests.listening.localserver import LocalServer, Reply


@pytest.fixture
def feed_server():
    with LocalServer() as server:
        server.routes["/feed.xml"] = Reply(200, rss(ITEMS), {"Content-Type": "application/rss+xml"})
        yield server


def source(url: str) -> SourceSettings:
    return SourceSettings(name="forum", kind="rss", url=url, allow_private=True)


def threads_by_title(services):
    with services.uow() as uow:
        return {t.title: t for t in uow.threads.list(limit=50)}


def test_crawl_stores_brand_mentions_once_and_routes_them(services, feed_server):
    first = crawl_source(services, source(feed_server.url("/feed.xml")))
    assert (first.seen, first.new, first.skipped) == (4, 3, 1)
    second = crawl_source(services, source(feed_server.url("/feed.xml")))
    assert (second.new, second.duplicates) == (0, 3)
    with services.uow() as uow:
        assert uow.posts.count() == 3
        health = uow.sources.health()[0]
    assert health["last_error"] is None and health["posts_seen"] == 4
    threads = threads_by_title(services)
    assert threads["Doppelt abgebucht"].target == "staff" and threads["Doppelt abgebucht"].queue == "billing"
    assert threads["Pulse Watch Ziffernblatt"].topic == "usage"
    assert threads["Pulse Watch Ziffernblatt"].target == "community"
    assert threads["Geschenk für Papa"].topic == "recommendation"
    assert all(t.state == "routed" and t.decision["explanation"] for t in threads.values())


def test_routing_decision_is_explained_in_the_history(services, feed_server):
    crawl_source(services, source(feed_server.url("/feed.xml")))
    thread = threads_by_title(services)["Doppelt abgebucht"]
    with services.uow() as uow:
        events = uow.threads.events(thread.id)
    assert events[0].kind == "routed" and "payment" in events[0].body


def test_sla_due_time_follows_priority(services, feed_server, clock):
    crawl_source(services, source(feed_server.url("/feed.xml")))
    thread = threads_by_title(services)["Pulse Watch Ziffernblatt"]
    assert (thread.first_response_due - clock.now()).total_seconds() == 240 * 60


def test_same_question_on_two_sources_becomes_one_thread(services, feed_server):
    crawl_source(services, source(feed_server.url("/feed.xml")))
    other = SourceSettings(name="mirror", kind="rss", url=feed_server.url("/feed.xml"), allow_private=True)
    report = crawl_source(services, other)
    assert report.new == 3 and report.threads_created == 0 and report.attached == 3
    with services.uow() as uow:
        assert uow.threads.counts_by_state() == {"routed": 3}


def test_broken_feed_is_shown_in_source_health(services):
    with LocalServer() as server:
        server.routes["/feed.xml"] = Reply(200, "<html><body>not a feed <<<", {})
        report = crawl_source(services, source(server.url("/feed.xml")))
        server.routes["/gone.xml"] = Reply(410, "gone", {})
        gone = crawl_source(services, SourceSettings(name="gone", kind="rss", url=server.url("/gone.xml"),
                                                     allow_private=True))
    assert report.new == 0 and report.errors
    assert gone.errors and "410" in gone.errors[0]
    with services.uow() as uow:
        health = {h["name"]: h for h in uow.sources.health()}
    assert health["forum"]["last_error"] and health["forum"]["consecutive_failures"] == 1
    assert "410" in health["gone"]["last_error"]


def test_crash_mid_batch_loses_and_doubles_nothing(sqlite_services, feed_server, monkeypatch):
    services = sqlite_services
    calls = {"n": 0}
    original = services.classifier.analyse

    def flaky(post):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("classifier crashed")
        return original(post)

    monkeypatch.setattr(services.classifier, "analyse", flaky)
    crashed = crawl_source(services, source(feed_server.url("/feed.xml")))
    assert (crashed.new, crashed.analysed) == (3, 0) and "classifier crashed" in crashed.errors[0]
    with services.uow() as uow:
        assert uow.posts.count() == 3  # stored; the analysis batch rolled back as a whole and waits
        assert uow.threads.counts_by_state() == {"new": 3}
        assert uow.sources.health()[0]["last_error"] is None  # the source itself was fine
    report = crawl_source(services, source(feed_server.url("/feed.xml")))
    assert (report.new, report.duplicates, report.analysed, report.routed) == (0, 3, 3, 3)
    with services.uow() as uow:
        assert uow.posts.count() == 3
        assert uow.threads.counts_by_state() == {"routed": 3}


def test_services_do_not_connect_before_use(settings_factory, tmp_path):
    svc = build_services(settings_factory(SUPERFAN_DATABASE_URL=f"sqlite:///{tmp_path / 'lazy' / 'x.db'}"))
    assert svc.engine.pool.checkedout() == 0
    assert not (tmp_path / "lazy" / "x.db").exists()
