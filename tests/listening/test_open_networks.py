"""Hacker News, Mastodon and Bluesky connectors against recorded responses served on 127.0.0.1."""
from __future__ import annotations

import copy
import json
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


def test_hacker_news_comments_are_replies_and_stories_carry_points_and_comments_as_engagement(web):
    serve(web, "/api/v1/search_by_date", "hn/search_by_date.json")
    comment, story, ask = HackerNewsConnector().fetch(Source(kind="hn", url=web.base, query="acme"), {}).posts
    assert comment.extra["is_reply"] is True and "parent_author" not in comment.extra  # Algolia does not name it
    assert story.extra["is_reply"] is False and story.extra["engagement"] == 42 + 1
    assert ask.extra["engagement"] == 3 and "engagement" not in comment.extra
    assert not any("author_reach" in p.extra for p in (comment, story, ask))  # HN shows no follower counts


def test_mastodon_statuses_carry_followers_engagement_and_whom_they_answer(web):
    serve(web, "/api/v1/timelines/tag/acme", "mastodon/timeline_tag.json")
    source = Source(name="masto", kind="mastodon", url=web.base, options={"tag": "acme"})
    first, reply = MastodonConnector().fetch(source, {}).posts
    assert first.extra["is_reply"] is False and first.extra["author_reach"] == 120
    assert first.extra["engagement"] == 1 + 0 + 2 and first.extra["replies"] == 1
    assert reply.extra["is_reply"] is True and "parent_author" not in reply.extra  # account 1234 is not mentioned


def test_a_mastodon_reply_names_the_mentioned_account_it_answers_and_a_self_reply_is_no_reply(web):
    statuses = json.loads((FIXTURES / "mastodon/timeline_tag.json").read_text())
    answer, own = statuses[1], copy.deepcopy(statuses[1])
    answer["mentions"] = [{"id": "1234", "username": "carla", "url": "https://social.example/@carla",
                           "acct": "carla@social.example"}]
    own["id"], own["in_reply_to_account_id"] = "113456789012340001", own["account"]["id"]
    web.route("/api/v1/timelines/tag/acme", json.dumps([answer, own]), Content_Type="application/json")
    answered, continued = MastodonConnector().fetch(Source(kind="mastodon", url=web.base,
                                                           options={"tag": "acme"}), {}).posts
    assert answered.extra["parent_author"] == "carla@social.example" and answered.extra["is_reply"] is True
    assert continued.extra["parent_author"] == "ben@other.example" and continued.extra["is_reply"] is False


def test_bluesky_posts_carry_engagement_and_replies_to_others_but_not_to_themselves(web):
    data = json.loads((FIXTURES / "bluesky/searchPosts.json").read_text())
    own = copy.deepcopy(data["posts"][1])
    own["uri"] = own["uri"].replace("3lbxyz1reply2", "3lbxyz1reply3")
    own["record"]["reply"]["parent"]["uri"] = "at://did:plc:zzzz1111yyyy2222xxxx3333/app.bsky.feed.post/3lbxyz1reply2"
    web.route("/xrpc/app.bsky.feed.searchPosts", json.dumps({"posts": [*data["posts"], own]}),
              Content_Type="application/json")
    praise, reply, thread = BlueskyConnector().fetch(Source(kind="bluesky", url=web.base, query="acme"), {}).posts
    assert praise.extra["is_reply"] is False and praise.extra["engagement"] == 0 + 1 + 5 + 0
    assert reply.extra["is_reply"] is True and reply.extra["parent_did"] == "did:plc:abcd1234efgh5678ijkl9012"
    assert "parent_author" not in reply.extra  # searchPosts names the parent by DID only
    assert thread.extra["is_reply"] is False and thread.extra["parent_author"] == "eli.example.com"
    assert not any("author_reach" in p.extra for p in (praise, reply))  # no followersCount in a basic profile
