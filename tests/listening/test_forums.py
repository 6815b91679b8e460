"""Forum crawling with Scrapy (each crawl in its own process) against forum pages served on 127.0.0.1."""
from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawlers.errors import BlockedAddress, FetchError, SourceGone
from crawlers.forums.connector import ForumConnector
from crawlers.forums.items import ForumPost
from crawlers.forums.pipelines import IncrementalPipeline, RequireContentPipeline
from crawlers.forums.runner import run_spider
from crawlers.forums.settings import crawl_settings
from crawlers.forums.spiders.bases import ForumSpider
from tests.listening.conftest import FIXTURES
from tests.listening.sources import Source

FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0, "RETRY_TIMES": 0}
SELECTORS = {
    "thread_links": "a.topictitle::attr(href)", "next_page": "li.arrow.next a::attr(href)",
    "title": "//h2[@class='topic-title']/a", "post": "div.post", "post_body": "div.content",
    "post_author": "p.author a", "post_date": "p.author time::attr(datetime)", "post_id": "::attr(id)",
    "thread_next_page": "div.action-bar li.arrow.next a::attr(href)",
}
PAGES = {"/forum": "list-1.html", "/forum?page=2": "list-2.html", "/thread/1": "thread-1.html",
         "/thread/1?page=2": "thread-1-page-2.html", "/thread/2": "thread-2.html", "/thread/4": "thread-4.html",
         "/private/3": "thread-4.html", "/robots.txt": "robots.txt"}


@pytest.fixture
def forum(web):
    for path, name in PAGES.items():
        kind = "text/plain" if name.endswith(".txt") else "text/html; charset=utf-8"
        web.route(path, (FIXTURES / "forums" / name).read_bytes(), Content_Type=kind)
    return web


def forum_source(web, **options) -> Source:
    return Source(name="treff", kind="forum", url=web.url("/forum"),
                  options={**SELECTORS, "politeness": FAST, **options})


def test_a_forum_configured_by_selectors_is_crawled_across_pages_obeying_robots_txt(forum):
    result = ForumConnector("forum").fetch(forum_source(forum), {})
    by_id = {p.external_id.rsplit("/", 1)[-1]: p for p in result.posts}
    assert sorted(by_id) == ["1#p11", "1#p12", "1?page=2#p13", "2#p21", "4#p41"]
    first = by_id["1#p11"]
    assert first.title == "Acme Uhr verliert Bluetooth" and first.author == "kathi_k"
    assert first.text == "Seit dem Update verliert meine Acme Pulse jede Nacht die Verbindung.\nHat jemand eine Lösung?"
    assert first.published.isoformat() == "2026-11-20T08:15:00+00:00"
    assert by_id["1?page=2#p13"].thread_key == first.thread_key == forum.url("/thread/1")
    assert by_id["4#p41"].text == "Ist die Acme Pulse ein gutes Geschenk für einen Läufer?\nDanke & Gruß"  # broken HTML
    assert forum.hits("/robots.txt") == 1 and forum.hits("/private/3") == 0
    assert result.state["since"] == "2026-11-25T19:45:00+00:00"


def test_the_next_crawl_only_returns_posts_newer_than_the_last_one(forum):
    result = ForumConnector("forum").fetch(forum_source(forum), {"since": "2026-11-22T00:00:00+00:00"})
    assert sorted(p.author for p in result.posts) == ["Moderator_Jens", "kathi_k", "mia"]
    assert result.state["since"] == "2026-11-25T19:45:00+00:00"


def test_the_phpbb_site_spider_needs_no_selectors(forum):
    source = Source(name="bb", kind="forum", url=forum.url("/forum"), options={"spider": "phpbb", "politeness": FAST})
    result = ForumConnector("forum").fetch(source, {})
    assert len(result.posts) == 5 and {p.author for p in result.posts} >= {"Moderator_Jens", "mia"}


def test_a_gone_forum_is_flagged(web):
    with pytest.raises(SourceGone):
        ForumConnector("forum").fetch(forum_source(web), {})


def test_a_forum_on_a_private_address_is_refused_before_any_process_starts(web):
    source = Source(name="x", kind="forum", url=web.url("/forum"), allow_private=False, options=SELECTORS)
    with pytest.raises(BlockedAddress):
        ForumConnector("forum", runner=lambda *a, **k: pytest.fail("no crawl may start")).fetch(source, {})


def test_unknown_politeness_settings_are_refused():
    source = Source(name="x", kind="forum", url="http://127.0.0.1:9/", options={"politeness": {"ITEM_PIPELINES": {}}})
    with pytest.raises(FetchError, match="politeness may only set"):
        ForumConnector("forum", runner=lambda *a, **k: pytest.fail("no crawl may start")).fetch(source, {})


def test_discourse_latest_topics_and_their_whole_post_stream(web):
    for path, name in {"/latest.json": "latest.json", "/t/11.json": "t-11.json",
                       "/t/11/posts.json": "t-11-posts.json", "/search.json": "search.json"}.items():
        web.route(path, (FIXTURES / "forums" / "discourse" / name).read_bytes(), Content_Type="application/json")
    source = Source(name="disc", kind="discourse", url=web.base, options={"politeness": FAST})
    result = ForumConnector("discourse").fetch(source, {"since": "2026-11-01T00:00:00+00:00"})
    assert [p.external_id for p in sorted(result.posts, key=lambda p: p.published)] == ["101", "102", "103"]
    staff = next(p for p in result.posts if p.author == "acme_staff")
    assert staff.text == "A fix ships in 4.2.1 tomorrow. Sorry!" and staff.thread_key == "11"
    assert staff.url == web.url("/t/acme-app-crashes-when-paying/11/3")
    assert web.hits("/t/7.json") == 0  # the welcome topic had no activity since the last crawl
    assert [parse_qs(r.query) for r in web.requests if r.path == "/t/11/posts.json"] == [{"post_ids[]": ["103"]}]

    searched = ForumConnector("discourse").fetch(
        Source(name="disc", kind="discourse", url=web.base, options={"politeness": FAST, "search": "acme"}), {})
    assert len(searched.posts) == 3
    assert [parse_qs(r.query) for r in web.requests if r.path == "/search.json"] == [{"q": ["acme order:latest"]}]


def _pipeline(cls, **settings):
    return cls.from_crawler(get_crawler(ForumSpider, settings_dict=settings))


def test_pipelines_drop_empty_and_already_seen_posts_and_count_them():
    empty = _pipeline(RequireContentPipeline)
    with pytest.raises(DropItem):
        empty.process_item(ForumPost(external_id="x", html="  ", title=""))
    assert empty.stats.get_value("superfan/dropped_empty") == 1
    incremental = _pipeline(IncrementalPipeline, SUPERFAN_SINCE="2026-11-22T00:00:00+00:00")
    kept = ForumPost(external_id="n", html="new", published="2026-11-23T00:00:00+00:00")
    assert incremental.process_item(kept) is kept
    with pytest.raises(DropItem):
        incremental.process_item(ForumPost(external_id="o", html="old", published="2026-11-21T00:00:00+00:00"))
    assert incremental.stats.get_value("superfan/dropped_old") == 1


def test_forum_posts_after_a_thread_s_first_answer_its_starter(forum):
    posts = {p.external_id.rsplit("/", 1)[-1]: p for p in ForumConnector("forum").fetch(forum_source(forum), {}).posts}
    assert posts["1#p11"].extra == {"is_reply": False}
    assert posts["1#p12"].extra == {"is_reply": True, "parent_author": "kathi_k"}  # Moderator_Jens answers
    assert posts["1?page=2#p13"].extra == {"is_reply": False, "parent_author": "kathi_k"}  # the starter's thanks


def test_discourse_posts_carry_whom_they_answer_likes_replies_and_the_accepted_answer(web):
    for path, name in {"/latest.json": "latest.json", "/t/11.json": "t-11.json",
                       "/t/11/posts.json": "t-11-posts.json"}.items():
        web.route(path, (FIXTURES / "forums" / "discourse" / name).read_bytes(), Content_Type="application/json")
    source = Source(name="disc", kind="discourse", url=web.base, options={"politeness": FAST})
    posts = {p.external_id: p.extra for p in ForumConnector("discourse").fetch(source, {}).posts}
    assert posts["101"] == {"is_reply": False, "replies": 1, "engagement": 2, "author_trust_level": 1,
                            "accepted": False}
    assert posts["102"]["is_reply"] is True and posts["102"]["parent_author"] == "sam"
    assert posts["102"]["engagement"] == 0
    staff = posts["103"]  # no reply_to_user here: the author of post 1 is taken from the topic's first chunk
    assert staff["is_reply"] is True and staff["parent_author"] == "sam" and staff["accepted"] is True
    assert staff["engagement"] == 1 and staff["author_trust_level"] == 4


def test_a_forum_host_resolving_to_a_private_address_at_connect_time_is_refused(forum):
    # DNS rebinding: pretend the URL check passed (middleware off), the crawl's own resolver must still refuse
    settings = crawl_settings(allow_private=False, overrides=FAST)
    settings["DOWNLOADER_MIDDLEWARES"] = {}
    outcome = run_spider("forum", settings=settings, start_url=forum.url("/forum").replace("127.0.0.1", "localhost"),
                         options=dict(SELECTORS), since=None, search="")
    assert outcome.items == [] and forum.requests == []
    assert "localhost" in " ".join(f["error"] for f in outcome.failures)  # Scrapy reports a failed DNS lookup
