"""Crawling a source records its health: backoff with jitter, dead sources raise an alert, crashes lose nothing."""
from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import text

from community.domain.source_health import BackoffPolicy
from community.services.status import platform_status
from crawlers.http import HttpPolicy
from superfan.crawl import analyse_stored, crawl_source
from superfan.settings import SourceSettings
from tests.listening.localserver import Reply


def rss(count: int, start: int = 0) -> str:
    items = "".join(
        f"<item><title>Kolibri Frage {i}</title><link>http://forum.example/t/{i}</link><guid>t-{i}</guid>"
        f"<description>Beitrag {i}: meine Kolibri Pulse Watch zeigt Fehler {i * 7} und Code {i * 13}, "
        f"Firmware {i}.{i % 3}, Filiale {i * 31}.</description></item>" for i in range(start, start + count))
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'


@pytest.fixture
def svc(sqlite_services, monkeypatch):
    monkeypatch.setattr(time, "sleep", lambda seconds: None)  # the HTTP client's retries must not slow tests
    return sqlite_services


def source(web, path: str = "/feed", **extra) -> SourceSettings:
    return SourceSettings(name="feed", kind="rss", url=web.url(path), allow_private=True, **extra)


def health(services) -> dict:
    with services.uow() as uow:
        return uow.sources.health_of("feed")


def alerts(services) -> list[tuple]:
    with services.engine.connect() as conn:
        return conn.execute(text("SELECT action, subject FROM audit_events WHERE action = 'source.dead'")).all()


def test_a_successful_crawl_records_counts_and_the_newest_post(svc, web):
    web.route("/feed", rss(3))
    report = crawl_source(svc, source(web))
    assert (report.seen, report.new) == (3, 3)
    state = health(svc)
    assert state["last_success"] == svc.clock.now() and state["consecutive_failures"] == 0
    assert state["backoff_until"] is None and state["posts_new"] == 3


def test_429_with_retry_after_backs_the_source_off_and_scheduled_runs_wait(svc, web):
    web.route("/feed", "slow down", 429, Retry_After="7200")
    report = crawl_source(svc, source(web))
    assert "429" in report.errors[0]
    state = health(svc)
    assert state["consecutive_failures"] == 1 and "429" in state["last_error"]
    assert state["backoff_until"] >= svc.clock.now() + timedelta(seconds=7200)
    hits = web.hits("/feed")
    skipped = crawl_source(svc, source(web), scheduled=True)
    assert web.hits("/feed") == hits and skipped.errors[0].startswith("backing off until")
    web.route("/feed", rss(1))
    crawl_source(svc, source(web))  # by hand: goes ahead, and success clears the backoff
    assert health(svc)["backoff_until"] is None and health(svc)["consecutive_failures"] == 0


def test_5xx_backs_off_exponentially_with_jitter(svc, web):
    web.route("/feed", "down", 503)
    crawl_source(svc, source(web))
    first = health(svc)["backoff_until"] - svc.clock.now()
    assert timedelta(minutes=3.75) <= first <= timedelta(minutes=6.25)
    svc.clock.advance(minutes=10)
    crawl_source(svc, source(web), scheduled=True)
    second = health(svc)["backoff_until"] - svc.clock.now()
    assert timedelta(minutes=7.5) <= second <= timedelta(minutes=12.5)
    assert web.hits("/feed") == 6  # two runs, each with its two in-run retries


def test_a_timeout_counts_as_a_failure(svc, web, monkeypatch):
    def late(request):
        threading.Event().wait(0.5)  # time.sleep is stubbed out in these tests
        return Reply(200, rss(1))

    web.route("/feed", late)
    monkeypatch.setattr("superfan.connectors.http_policy", lambda listening=None: HttpPolicy(read_timeout=0.1, retries=0))
    crawl_source(svc, source(web))
    assert "timed out" in health(svc)["last_error"] and health(svc)["consecutive_failures"] == 1


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_source_is_flagged_dead_at_once_with_one_alert(svc, web, status):
    web.route("/feed", "", status)
    crawl_source(svc, source(web))
    assert health(svc)["last_error"].startswith("gone: ")
    crawl_source(svc, source(web))
    assert alerts(svc) == [("source.dead", "feed")]


def test_a_source_failing_n_times_in_a_row_raises_one_dead_alert(svc, web):
    web.route("/feed", "<html>not a feed</html>", Content_Type="text/html")
    limit = svc.settings.listening.dead_after_failures
    for run in range(limit + 1):
        crawl_source(svc, source(web))
        assert len(alerts(svc)) == (1 if run + 1 >= limit else 0)
    assert health(svc)["consecutive_failures"] == limit + 1


def test_a_hostile_private_url_in_settings_is_refused_unless_allowed(svc, web):
    web.route("/feed", rss(2))
    crawl_source(svc, SourceSettings(name="feed", kind="rss", url=web.url("/feed")))
    assert "refusing" in health(svc)["last_error"] and web.requests == []
    crawl_source(svc, source(web))
    assert health(svc)["posts_new"] == 2


def test_a_crash_in_the_middle_of_a_batch_loses_nothing_and_doubles_nothing(svc, web):
    web.route("/feed", rss(120))
    real_uow, commits = svc.uow, {"n": 0}

    class DiskFullOnSecondBatch:
        def __init__(self):
            self.uow = real_uow()

        def __enter__(self):
            uow = self.uow.__enter__()
            original = uow.commit

            def commit():
                commits["n"] += 1
                if commits["n"] == 4:  # after the source's row and two chunks of posts: the third fails
                    raise RuntimeError("disk full")
                original()
            uow.commit = commit
            return uow

        def __exit__(self, *exc):
            return self.uow.__exit__(*exc)

    svc.uow = DiskFullOnSecondBatch
    crashed = crawl_source(svc, source(web))
    assert "internal error: RuntimeError: disk full" in crashed.errors[0]
    with real_uow() as uow:
        stored_after_crash = uow.posts.count()
    assert 0 < stored_after_crash < 120
    svc.uow = real_uow
    again = crawl_source(svc, source(web))
    assert again.new == 120 - stored_after_crash and again.duplicates == stored_after_crash
    assert again.analysed == 120 and again.routed == 120  # the first batch waited, stored, for this pass
    with svc.engine.connect() as conn:
        rows = conn.execute(text("SELECT external_id, COUNT(*) FROM posts GROUP BY external_id")).all()
        routed = conn.execute(text("SELECT thread_id, COUNT(*) FROM thread_events WHERE kind = 'routed' "
                                   "GROUP BY thread_id")).all()
    assert len(rows) == 120 and all(count == 1 for _, count in rows)
    assert len(routed) == 120 and all(count == 1 for _, count in routed)


def test_a_crash_while_reading_stored_posts_keeps_them_waiting_for_the_next_pass(svc, web):
    web.route("/feed", rss(120))
    real = svc.classifier

    class CrashesOnce:
        calls = 0

        def analyse(self, post):
            CrashesOnce.calls += 1
            if CrashesOnce.calls == 70:
                raise RuntimeError("model file truncated")
            return real.analyse(post)

    svc.classifier = CrashesOnce()
    crashed = crawl_source(svc, source(web))
    assert crashed.new == 120 and crashed.errors == [
        "analysis failed (posts kept, waiting for the next pass): RuntimeError: model file truncated"]
    assert health(svc)["last_error"] is None  # the source was fine: its health does not suffer
    with svc.uow() as uow:
        waiting = len(uow.posts.pending(0, 1000))
        assert platform_status(uow)["waiting_for_analysis"] == waiting  # what `superfan status` shows
    assert waiting == 120  # the batch being read rolled back as a whole
    svc.classifier = real
    again = analyse_stored(svc)
    assert (again.analysed, again.routed, again.errors) == (waiting, waiting, [])
    with svc.uow() as uow:
        assert uow.posts.pending(0, 1000) == [] and uow.threads.counts_by_state() == {"routed": 120}


def test_backoff_policy_caps_and_honours_retry_after():
    policy = BackoffPolicy(base_minutes=5, max_minutes=60, dead_after=3)
    assert policy.delay(10, jitter=lambda: 0.5) == timedelta(minutes=60)
    assert policy.delay(1, retry_after_seconds=1800, jitter=lambda: 0.0) == timedelta(minutes=30)
    assert policy.is_dead(3, None) and policy.is_dead(1, "gone: 404") and not policy.is_dead(2, "HTTP 500")
