"""RSS/Atom: conditional GET, WordPress comments, malformed feeds, wrong encodings, huge and empty posts."""
from __future__ import annotations

import pytest

from crawlers.errors import ParseError, SourceGone
from crawlers.feeds import FeedConnector
from tests.listening.conftest import FIXTURES
from tests.listening.localserver import Reply
from tests.listening.sources import Source

RSS = "application/rss+xml; charset=utf-8"


def serve_feed(web, path: str, fixture: str, content_type: str = RSS, **headers) -> None:
    body = (FIXTURES / "feeds" / fixture).read_bytes().replace(b"{base}", web.base.encode())
    web.route(path, body, Content_Type=content_type, **headers)


def blog(web) -> Source:
    serve_feed(web, "/feed/", "wordpress.xml", ETag='"v1"', Last_Modified="Wed, 25 Nov 2026 18:00:00 GMT")
    serve_feed(web, "/2026/11/acme-pulse-review/feed/", "wordpress-comments.xml", ETag='"c1"')
    return Source(name="blog", url=web.url("/feed/"))


def test_wordpress_posts_and_their_comment_feeds_are_heard(web):
    result = FeedConnector().fetch(blog(web), {})
    review, gifts, tom, jana = result.posts
    assert review.title == "Acme Pulse Watch review: three weeks later"
    assert review.text == "The battery lasts nine days, the strap is comfy.\nBut syncing with the app fails about once a day."
    assert review.url == web.url("/2026/11/acme-pulse-review/") and review.lang_hint == "en"
    assert tom.text == "Same here, the Acme app loses the watch every morning. Any fix?"
    assert tom.thread_key == review.external_id == jana.thread_key and tom.author == "Tom"
    assert web.hits("/2026/11/gift-ideas/feed/") == 0  # slash:comments says 0, nothing to fetch
    assert result.state["etag"] == '"v1"' and result.state["comment_feeds"]


def test_crawled_html_is_sanitised_to_text(web):
    review = FeedConnector().fetch(blog(web), {}).posts[0]
    assert "<" not in review.text and "cookie" not in review.text and "alert" not in review.text


def test_the_next_fetch_is_conditional_and_304_means_not_modified(web):
    source = blog(web)
    first = FeedConnector().fetch(source, {})

    def conditional(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return Reply(304)
        return Reply(500, "validators missing")

    web.route("/feed/", conditional)
    again = FeedConnector().fetch(source, first.state)
    assert again.not_modified and again.posts == [] and again.state == first.state
    assert web.requests[-1].headers["If-Modified-Since"] == "Wed, 25 Nov 2026 18:00:00 GMT"


def test_a_failing_comment_feed_is_a_warning_not_a_failed_source(web):
    source = blog(web)
    web.route("/2026/11/acme-pulse-review/feed/", "boom", 500)
    result = FeedConnector(client_factory=lambda allow: __import__("crawlers.http").http.HttpClient(
        allow_private=allow, sleep=lambda s: None)).fetch(source, {})
    assert [p.title for p in result.posts] == ["Acme Pulse Watch review: three weeks later", "Five gift ideas under 50 euros"]
    assert "comments of" in result.warnings[0] and "500" in result.warnings[0]


def test_a_malformed_feed_is_read_as_far_as_possible_with_a_clear_health_message(web):
    serve_feed(web, "/bad.xml", "malformed.xml")
    result = FeedConnector().fetch(Source(url=web.url("/bad.xml")), {})
    assert result.posts[0].title == "Acme & friends: login broken"
    assert result.posts[0].text == "Since today I cannot log in to the Acme app at all."
    assert "malformed feed" in result.warnings[0] and "line" in result.warnings[0]


def test_html_that_is_not_a_feed_at_all_fails_the_source(web):
    web.route("/page", "<html><body><h1>Welcome</h1><p>No feed here", Content_Type="text/html")
    with pytest.raises(ParseError):
        FeedConnector().fetch(Source(url=web.url("/page")), {})


def test_a_latin1_feed_declared_as_utf8_keeps_its_umlauts(web):
    serve_feed(web, "/reviews.xml", "latin1-declared-utf8.xml")
    result = FeedConnector().fetch(Source(url=web.url("/reviews.xml")), {})
    (post,) = result.posts
    assert post.title == "Grüße aus Köln" and "großartig" in post.text and post.lang_hint == "de"
    assert "wrong character encoding" in result.warnings[0]


def test_a_huge_post_is_truncated_with_a_marker_that_keeps_the_link(web):
    huge = "Acme " + "wirklich sehr lange Beschwerde " * 5000
    web.route("/huge.xml", f"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
      <item><title>Lang</title><link>http://blog.example/long#top</link><description>{huge}</description></item>
      </channel></rss>""", Content_Type=RSS)
    (post,) = FeedConnector().fetch(Source(url=web.url("/huge.xml")), {}).posts
    assert len(post.text) < 20_200
    assert post.text.endswith("characters in total; full text at http://blog.example/long]")


def test_empty_entries_are_skipped_and_title_only_entries_kept(web):
    serve_feed(web, "/atom.xml", "atom-empty-entries.xml", content_type="application/atom+xml")
    result = FeedConnector().fetch(Source(url=web.url("/atom.xml")), {})
    (post,) = result.posts
    assert post.title == "Only a title, no body" and post.text == ""
    assert result.warnings == [f"{web.url('/atom.xml')}: 1 empty entries skipped"]


def test_a_gone_feed_raises_source_gone(web):
    web.route("/feed/", "", 410)
    with pytest.raises(SourceGone):
        FeedConnector().fetch(Source(url=web.url("/feed/")), {})


@pytest.mark.parametrize("fixture", ["wordpress.xml", "wordpress-comments.xml", "atom-empty-entries.xml"])
def test_the_fast_path_reads_well_formed_feeds_exactly_as_feedparser_does(fixture, monkeypatch):
    from crawlers import fastfeed
    from crawlers.feeds import parse
    from crawlers.http import HttpResponse

    body = (FIXTURES / "feeds" / fixture).read_bytes().replace(b"{base}", b"http://blog.example")
    response = HttpResponse("http://blog.example/feed/", 200, {"Content-Type": RSS}, body, "utf-8")
    assert fastfeed.read(body, "utf-8") is not None
    fast = parse(Source(), response)[1]
    monkeypatch.setattr(fastfeed, "read", lambda content, charset: None)
    assert parse(Source(), response)[1] == fast


def test_documents_with_a_doctype_or_another_charset_go_to_feedparser():
    from crawlers import fastfeed

    bomb = b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]><rss version="2.0"><channel></channel></rss>'
    assert fastfeed.read(bomb, None) is None
    assert fastfeed.read(b'<rss version="2.0"><channel></channel></rss>', "iso-8859-1") is None
    assert fastfeed.read(b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', None) is None


def test_comment_feed_entries_answer_the_article_and_articles_count_their_comments(web):
    review, gifts, tom, jana = FeedConnector().fetch(blog(web), {}).posts
    assert review.extra["is_reply"] is False and review.extra["engagement"] == review.extra["replies"] == 2
    assert gifts.extra["engagement"] == 0
    assert tom.extra["is_reply"] is True and tom.extra["parent_author"] == "Jana"
    assert jana.extra["is_reply"] is False  # the article's author answering in their own comments
