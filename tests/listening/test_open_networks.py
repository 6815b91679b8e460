"""Hacker News, Mastodon and Bluesky connectors against recorded responses served on 127.0.0.1."""
from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from crawlers.bluesky import BlueskyConnector
from crawlers.errors import BlockedAddress, FetchError
from crawlers.hn import HackerNewsConnector
from crawlers.mastodon import MastodonConnector
from tests.listening.conftest import FIXTURES
from tests.listening.sources import Source


def serve(web, path: str, fixture: str) -> None:
    web.route(path, (FIXTURES / fixture).read_bytes(), Content_Type="application/json; charset=utf-8")


def query_of(web, path: str) -> dict:
    return {k: v[0] for k, v in parse_qs([r for r in web.requests if r.path == path][-1].query).items()}


def test_hacker_news_stories_and_comments_become_posts_with_their_story_as_thread(web):
    serve(web, "/api/v1/search_by_date", "hn/search_by_date.json")
    source = Source(name="hn", kind="hn", url=web.base, query="acme")
    result = HackerNewsConnector().fetch(source, {})
    comment, story, ask = result.posts
    assert comment.external_id == "41234999" and comment.thread_key == "41234567" == story.thread_key
    assert comment.url == "https://news.ycombinator.com/item?id=41234999"
    assert comment.title == "Re: Acme releases router firmware 2.2"
    assert comment.text == "The Acme router keeps dropping the connection every night at 3am.\nAnyone found a fix? Firmware 2.1 & 2.2 both do it."
    assert story.extra["link"] == "https://acme.example/blog/firmware-2-2?utm_source=hn&utm_medium=social"
    assert ask.text == "Has anyone moved from Acme Cloud to self-hosting? Curious about the export tools."
    assert comment.published.isoformat() == "2026-11-25T21:14:05+00:00"
    assert query_of(web, "/api/v1/search_by_date")["query"] == "acme"
    assert result.state == {"created_after": 1795641245}


def test_hacker_news_asks_only_for_newer_items_the_next_time(web):
    serve(web, "/api/v1/search_by_date", "hn/search_by_date.json")
    HackerNewsConnector().fetch(Source(kind="hn", url=web.base, query="acme"), {"created_after": 1795600000})
    assert query_of(web, "/api/v1/search_by_date")["numericFilters"] == "created_at_i>1795600000"


def test_mastodon_hashtag_timeline_is_sanitised_and_incremental(web):
    serve(web, "/api/v1/timelines/tag/acme", "mastodon/timeline_tag.json")
    source = Source(name="masto", kind="mastodon", url=web.base, options={"tag": "#acme"})
    result = MastodonConnector().fetch(source, {"since_id": "113456700000000001"})
    first, reply = result.posts
    assert first.text == "Meine #Acme Kaffeemaschine zeigt seit gestern Fehler E42. Weiß jemand, was das heißt?"
    assert "alert" not in first.text and first.author == "anna@social.example" and first.lang_hint == "de"
    assert reply.text.startswith("Rant über den Kundendienst\nDrei Wochen auf die Erstattung gewartet & immer")
    assert reply.thread_key == "113456700000000000"
    assert query_of(web, "/api/v1/timelines/tag/acme")["since_id"] == "113456700000000001"
    assert result.state["since_id"] == "113456789012345678"


def test_mastodon_search_uses_v2_search_with_the_token(web):
    serve(web, "/api/v2/search", "mastodon/search.json")
    source = Source(kind="mastodon", url=web.base, query="acme app", options={"access_token": "t0k"})
    (post,) = MastodonConnector().fetch(source, {}).posts
    assert post.text == "Is the Acme app down for anyone else? Login just spins."
    assert query_of(web, "/api/v2/search").items() >= {"q": "acme app", "type": "statuses"}.items()
    assert web.requests[-1].headers["Authorization"] == "Bearer t0k"


def test_bluesky_search_posts_become_posts_with_web_links_and_reply_threads(web):
    serve(web, "/xrpc/app.bsky.feed.searchPosts", "bluesky/searchPosts.json")
    source = Source(name="bsky", kind="bluesky", url=web.base, query="acme")
    result = BlueskyConnector().fetch(source, {})
    praise, reply = result.posts
    assert praise.url == "https://bsky.app/profile/dora.bsky.social/post/3lbxyz2abc22k"
    assert praise.external_id == "at://did:plc:abcd1234efgh5678ijkl9012/app.bsky.feed.post/3lbxyz2abc22k"
    assert reply.thread_key.endswith("/3lbroot000001") and reply.lang_hint == "de"
    assert result.state == {"since": "2026-11-25T21:30:00.000Z"}
    BlueskyConnector().fetch(source, result.state)
    assert query_of(web, "/xrpc/app.bsky.feed.searchPosts") == {"q": "acme", "sort": "latest", "limit": "100",
                                                                 "since": "2026-11-25T21:30:00.000Z"}


@pytest.mark.parametrize("connector", [HackerNewsConnector, MastodonConnector, BlueskyConnector])
def test_api_connectors_refuse_private_addresses_unless_allowed(connector, web):
    source = Source(kind="x", url=web.base, query="acme", allow_private=False)
    with pytest.raises(BlockedAddress):
        connector().fetch(source, {})
    assert web.requests == []


def test_an_api_connector_without_search_terms_says_so():
    with pytest.raises(FetchError, match="needs a query"):
        BlueskyConnector().fetch(Source(name="empty", url="http://127.0.0.1:9"), {})


def test_an_api_answering_html_instead_of_json_is_a_clear_error(web):
    web.route("/xrpc/app.bsky.feed.searchPosts", "<html>maintenance</html>")
    with pytest.raises(FetchError, match="not valid JSON"):
        BlueskyConnector().fetch(Source(url=web.base, query="acme"), {})
