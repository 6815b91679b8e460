"""Faults at the HTTP edge: redirect loops, 404/410, 429 with Retry-After, 5xx, timeouts, huge bodies."""
from __future__ import annotations

import time
from datetime import UTC

import pytest

from crawlers.errors import RateLimited, ResponseTooLarge, SourceGone, TooManyRedirects, TransientError
from crawlers.http import HttpClient, HttpPolicy, retry_after_seconds
from tests.listening.localserver import Reply


def client(**policy) -> tuple[HttpClient, list[float]]:
    waits: list[float] = []
    return HttpClient(allow_private=True, policy=HttpPolicy(**policy), sleep=waits.append, jitter=lambda: 0.5), waits


def test_a_redirect_loop_is_a_clear_error(web):
    web.route("/a", "", 301, Location="/b")
    web.route("/b", "", 302, Location="/a")
    with pytest.raises(TooManyRedirects, match="redirect loop: .*/a → .*/b → .*/a"):
        client()[0].get(web.url("/a"))


def test_too_many_redirects_stop_at_the_limit(web):
    for i in range(10):
        web.route(f"/r{i}", "", 302, Location=f"/r{i + 1}")
    with pytest.raises(TooManyRedirects, match="more than 3 redirects"):
        client(max_redirects=3)[0].get(web.url("/r0"))
    assert web.hits("/r4") == 0


def test_redirects_are_followed_to_the_final_answer(web):
    web.route("/old", "", 301, Location="/new")
    web.route("/new", "here", 200)
    assert client()[0].get(web.url("/old")).text == "here"


@pytest.mark.parametrize("status", [404, 410])
def test_404_and_410_mean_the_source_is_gone(web, status):
    web.route("/feed", "gone", status)
    with pytest.raises(SourceGone) as info:
        client()[0].get(web.url("/feed"))
    assert info.value.status == status and not info.value.transient
    assert web.hits("/feed") == 1


def test_429_waits_as_long_as_retry_after_says_then_succeeds(web):
    answers = iter([Reply(429, "slow down", {"Retry-After": "7"}), Reply(200, "fine")])
    web.route("/api", lambda request: next(answers))
    http, waits = client()
    assert http.get(web.url("/api")).text == "fine"
    assert waits == [7.0]


def test_a_long_retry_after_is_not_slept_but_handed_to_the_source_backoff(web):
    web.route("/api", "slow down", 429, Retry_After="3600")
    http, waits = client()
    with pytest.raises(RateLimited) as info:
        http.get(web.url("/api"))
    assert info.value.retry_after == 3600 and waits == [] and web.hits("/api") == 1


def test_5xx_is_retried_with_growing_jittered_backoff_then_raised(web):
    web.route("/api", "oops", 503)
    http, waits = client(retries=2, backoff_seconds=1.0)
    with pytest.raises(TransientError, match="503"):
        http.get(web.url("/api"))
    assert web.hits("/api") == 3
    assert waits == [1.0, 2.0]  # base·2^attempt·(0.5 + jitter 0.5)


def test_a_timeout_is_transient_and_retried(web):
    def slow(request):
        time.sleep(0.6)
        return Reply(200, "late")
    web.route("/slow", slow)
    http, waits = client(read_timeout=0.2, retries=1)
    with pytest.raises(TransientError, match="timed out"):
        http.get(web.url("/slow"))
    assert len(waits) == 1


def test_a_huge_response_is_refused(web):
    web.route("/big", b"x" * 5000)
    with pytest.raises(ResponseTooLarge, match="larger than 1000 bytes"):
        client(max_bytes=1000)[0].get(web.url("/big"))


def test_requests_carry_the_user_agent_and_the_charset_is_used(web):
    web.route("/t", "Grüße".encode("latin-1"), Content_Type="text/plain; charset=ISO-8859-1")
    assert client()[0].get(web.url("/t")).text == "Grüße"
    assert web.requests[0].headers["User-Agent"].startswith("Superfan/")


def test_retry_after_accepts_an_http_date():
    from datetime import datetime
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert retry_after_seconds("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30
    assert retry_after_seconds("garbage") is None and retry_after_seconds("120") == 120
