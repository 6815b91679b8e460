"""Reddit through the real praw client against a local server replaying recorded Reddit API responses."""
from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs

import pytest

from crawlers.errors import BlockedAddress, FetchError
from crawlers.ratelimit import RequestLimiter
from crawlers.reddit import RedditConnector, make_reddit, parse_target, post_reply
from tests.listening.cassettes import replay
from tests.listening.sources import Source


def reddit_source(web, **options) -> Source:
    return Source(name="reddit", kind="reddit", allow_private=True,
                  options={"client_id": "cid", "client_secret": "secret", "oauth_url": web.base,
                           "reddit_url": web.base, **options})


def test_new_submissions_of_a_subreddit_are_read_with_app_only_oauth(web):
    replay(web, "TestSubredditStreams.test_submissions")
    result = RedditConnector().fetch(reddit_source(web, subreddit="all", comments=False), {})
    assert len(result.posts) == 100
    first = result.posts[0]
    assert first.external_id.startswith("t3_") and first.thread_key == first.external_id
    assert first.url.startswith("https://www.reddit.com/r/") and first.title
    token = web.requests[0]
    assert token.method == "POST" and token.path == "/api/v1/access_token"
    assert parse_qs(token.body.decode())["grant_type"] == ["client_credentials"]
    assert token.headers["Authorization"].startswith("Basic ")
    assert web.requests[1].path == "/r/all/new" and web.requests[1].headers["Authorization"] == "bearer <ACCESS_TOKEN>"
    newest = max(p.published for p in result.posts)
    assert result.state["newest_utc"] == newest.timestamp()


def test_only_posts_newer_than_the_last_crawl_are_returned(web):
    replay(web, "TestSubredditStreams.test_submissions")
    first = RedditConnector().fetch(reddit_source(web, comments=False), {})
    again = RedditConnector().fetch(reddit_source(web, comments=False), first.state)
    assert again.posts == []
    middle = sorted(p.published.timestamp() for p in first.posts)[49]
    partial = RedditConnector().fetch(reddit_source(web, comments=False), {"newest_utc": middle})
    assert len(partial.posts) == 50


def test_comments_join_the_thread_of_their_submission(web):
    replay(web, "TestSubredditStreams.test_comments__with_pause")
    result = RedditConnector().fetch(reddit_source(web, subreddit="kakapo", submissions=False), {})
    comments = [p for p in result.posts if p.external_id.startswith("t1_")]
    assert comments and all(c.thread_key.startswith("t3_") for c in comments)
    assert all(c.title.startswith("Re: ") and c.url.startswith("https://www.reddit.com/r/kakapo/comments/")
               for c in comments)
    assert any(r.path == "/r/kakapo/comments" or r.path == "/r/kakapo/comments/" for r in web.requests)


def test_search_goes_through_praw_search(web):
    cassette = replay(web, "TestSubreddit.test_search")
    result = RedditConnector().fetch(reddit_source(web, search="praw oauth search"), {})
    assert len(result.posts) == 6 and "/r/all/search/" in cassette.used[-1]
    asked = parse_qs([r for r in web.requests if r.path.startswith("/r/all/search")][0].query)
    assert asked["q"] == ["praw oauth search"] and asked["sort"] == ["new"]


def test_a_reply_to_a_submission_is_posted_through_praw(web):
    replay(web, "TestSubmission.test_reply")
    source = reddit_source(web, username="<USERNAME>", password="<PASSWORD>")
    reply = post_reply(source, "https://www.reddit.com/r/redditdev/comments/4b1tfm/some_title/", "Test reply")
    assert reply["id"] == "t1_d162ara" and reply["parent"] == "t3_4b1tfm"
    sent = [r for r in web.requests if r.path == "/api/comment/"][0]
    assert parse_qs(sent.body.decode()) == {"text": ["Test reply"], "thing_id": ["t3_4b1tfm"], "api_type": ["json"]}
    assert parse_qs(web.requests[0].body.decode())["grant_type"] == ["password"]


def test_a_reply_to_a_comment_is_posted_through_praw(web):
    replay(web, "TestComment.test_reply")
    source = reddit_source(web, username="<USERNAME>", password="<PASSWORD>")
    reply = post_reply(source, "t1_d1616q2", "Comment reply")
    assert reply["parent"] == "t1_d1616q2"
    sent = [r for r in web.requests if r.path == "/api/comment/"][0]
    assert parse_qs(sent.body.decode())["thing_id"] == ["t1_d1616q2"]


@pytest.mark.parametrize(("value", "expected"), [
    ("https://www.reddit.com/r/x/comments/4b1tfm/title/", ("submission", "4b1tfm")),
    ("https://old.reddit.com/r/x/comments/4b1tfm/title/d1616q2/?context=3", ("comment", "d1616q2")),
    ("t1_d1616q2", ("comment", "d1616q2")), ("t3_4b1tfm", ("submission", "4b1tfm")), ("4b1tfm", ("submission", "4b1tfm")),
])
def test_reply_targets_are_read_from_urls_and_fullnames(value, expected):
    assert parse_target(value) == expected


def test_a_nonsense_reply_target_is_refused():
    with pytest.raises(FetchError):
        parse_target("https://example.com/nothing here")


def test_reddit_base_urls_on_private_addresses_are_refused_unless_allowed(web):
    replay(web, "TestSubredditStreams.test_submissions")
    source = Source(name="r", kind="reddit", allow_private=False,
                    options={"client_id": "cid", "oauth_url": web.base, "reddit_url": web.base})
    with pytest.raises(BlockedAddress):
        RedditConnector().fetch(source, {})
    assert web.requests == []


def test_the_limiter_keeps_to_100_requests_a_minute():
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    limiter = RequestLimiter(100, 60.0, clock=lambda: now[0], sleep=sleep)
    for i in range(100):
        now[0] = i * 0.1
        assert limiter.acquire() == 0.0
    assert limiter.acquire() == pytest.approx(50.1)  # the first slot frees 60 s after it was taken
    assert waits == [pytest.approx(50.1)]


def test_every_praw_request_passes_through_the_limiter(web):
    replay(web, "TestSubredditStreams.test_submissions")
    taken: list[float] = []

    class Counting(RequestLimiter):
        def acquire(self) -> float:
            taken.append(1)
            return 0.0

    source = reddit_source(web, comments=False)
    RedditConnector(lambda s: make_reddit(s, limiter=Counting(100))).fetch(source, {})
    assert len(taken) == len(web.requests) == 2


def test_published_times_are_aware_utc(web):
    replay(web, "TestSubredditStreams.test_submissions")
    post = RedditConnector().fetch(reddit_source(web, comments=False), {}).posts[0]
    assert post.published.tzinfo is UTC and post.published < datetime(2017, 1, 1, tzinfo=UTC)


def test_a_429_from_reddit_becomes_a_rate_limit_with_backoff(web):
    from crawlers.errors import RateLimited

    replay(web, "TestSubredditStreams.test_submissions")
    web.route("/r/all/new", '{"message": "Too Many Requests", "error": 429}', 429, Content_Type="application/json",
              Retry_After="30")
    with pytest.raises(RateLimited) as info:
        RedditConnector().fetch(reddit_source(web, comments=False), {})
    assert info.value.transient and info.value.retry_after == 30


def test_submissions_carry_score_and_comments_as_engagement_and_are_no_replies(web):
    replay(web, "TestSubredditStreams.test_submissions")
    posts = RedditConnector().fetch(reddit_source(web, subreddit="all", comments=False), {}).posts
    assert all(p.extra["is_reply"] is False for p in posts)
    assert all(p.extra["engagement"] == max(0, p.extra["score"]) + p.extra["num_comments"] for p in posts)
    assert any(p.extra["engagement"] > 0 for p in posts)
    assert not any("author_reach" in p.extra for p in posts)  # listings carry no karma; none is asked for


def test_comments_name_whom_they_answer_and_answering_oneself_is_no_reply(web):
    replay(web, "TestSubredditStreams.test_comments__with_pause")
    posts = RedditConnector().fetch(reddit_source(web, subreddit="kakapo", submissions=False), {}).posts
    by_id = {p.external_id: p for p in posts}
    top_level = by_id["t1_dg7dqfd"]  # answers the submission of 3string (the listing's link_author)
    assert top_level.extra["is_reply"] is True and top_level.extra["parent_author"] == "3string"
    nested = by_id["t1_dfkuf3q"]  # answers comment t1_dfktga0, which is in the same listing
    assert nested.extra == {**nested.extra, "is_reply": True, "parent_author": "Surgeon-San"}
    own = by_id["t1_dg3s290"]  # Rewardoffered commenting under their own submission
    assert own.author == "Rewardoffered" and own.extra["is_reply"] is False
    assert "parent_author" not in by_id["t1_dfgwaxy"].extra  # the submission's author deleted their account
    assert by_id["t1_d75kgcd"].extra["engagement"] == 5
