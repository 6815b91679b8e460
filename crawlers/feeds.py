"""RSS/Atom feeds with feedparser: conditional GET, malformed feeds read as far as possible, WordPress comments."""
from __future__ import annotations

import calendar
from datetime import UTC, datetime

import feedparser

from community.domain.model import content_hash
from crawlers.api import ClientFactory, default_client
from crawlers.base import FetchResult
from crawlers.errors import CrawlerError, ParseError
from crawlers.http import HttpClient, HttpResponse
from crawlers.posts import make_post
from crawlers.text import html_to_text  # noqa: F401  (kept importable from here for older callers)

MAX_COMMENT_FEEDS = 10  # comment feeds followed per run; the newest entries' feeds come first


def conditional_headers(state: dict) -> dict[str, str]:
    """Return If-None-Match / If-Modified-Since headers from what the last fetch kept."""
    headers = {}
    if state.get("etag"):
        headers["If-None-Match"] = state["etag"]
    if state.get("last_modified"):
        headers["If-Modified-Since"] = state["last_modified"]
    return headers


def validators(response: HttpResponse) -> dict[str, str]:
    """Return the ETag / Last-Modified of a response, to send back next time."""
    headers = {k.lower(): v for k, v in response.headers.items()}
    return {key: headers[name] for key, name in (("etag", "etag"), ("last_modified", "last-modified"))
            if headers.get(name)}


def bozo_message(url: str, feed) -> str | None:
    """Describe what was wrong with a malformed feed, in words for the source-health page."""
    if not feed.get("bozo"):
        return None
    exc = feed.get("bozo_exception")
    name = type(exc).__name__
    if name == "CharacterEncodingOverride":
        return f"{url}: wrong character encoding: {exc}"
    where = f" at line {exc.getLineNumber()}" if hasattr(exc, "getLineNumber") else ""
    return (f"{url}: malformed feed ({name}{where}: {exc}); read {len(feed.entries)} entries anyway")


def _published(entry) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC) if parsed else None


def _body(entry) -> str:
    if entry.get("content"):
        return max((c.get("value", "") for c in entry.content), key=len)
    return entry.get("summary", "") or entry.get("description", "")


def entry_post(source, entry, *, lang: str | None, thread_key: str | None = None):
    """Turn one feed entry into a post, or None when it has no title, text or link at all."""
    title, body, link = entry.get("title", ""), _body(entry), entry.get("link", "")
    link = link if link.startswith(("http://", "https://")) else ""  # feedparser copies a urn: id here
    if not (title.strip() or body.strip() or link):
        return None
    external_id = entry.get("id") or link or content_hash(title, body)
    return make_post(source, external_id=external_id, url=link, title=title, html=body,
                     author=entry.get("author", ""), published=_published(entry), thread_key=thread_key, lang=lang)


def parse(source, response: HttpResponse, thread_key: str | None = None):
    """Parse a feed response into (feed, posts, warnings)."""
    feed = feedparser.parse(response.content, response_headers={"content-type": response.headers.get(
        "Content-Type", response.headers.get("content-type", ""))})
    if feed.get("bozo") and not feed.entries and not feed.get("feed"):
        raise ParseError(f"{response.url}: not a feed: {feed.get('bozo_exception')}")
    lang = (feed.feed.get("language") or "")[:2] or None
    warnings = [w for w in [bozo_message(response.url, feed)] if w]
    posts = [p for e in feed.entries if (p := entry_post(source, e, lang=lang, thread_key=thread_key))]
    if skipped := len(feed.entries) - len(posts):
        warnings.append(f"{response.url}: {skipped} empty entries skipped")
    return feed, posts, warnings


class FeedConnector:
    """Fetch an RSS/Atom feed (and the WordPress comment feeds of its entries) over the shared HTTP client."""

    def __init__(self, client_factory: ClientFactory = default_client,
                 max_comment_feeds: int = MAX_COMMENT_FEEDS) -> None:
        self.client_factory = client_factory
        self.max_comment_feeds = max_comment_feeds

    def fetch(self, source, state: dict) -> FetchResult:
        """Fetch ``source.url`` conditionally; a 304 answer means nothing changed."""
        http = self.client_factory(bool(getattr(source, "allow_private", False)))
        response = http.get(source.url, headers=conditional_headers(state))
        if response.status == 304:
            return FetchResult(state=dict(state), not_modified=True)
        feed, posts, warnings = parse(source, response)
        if feed.get("bozo") and not posts and not feed.entries:
            raise ParseError(warnings[0] if warnings else f"{source.url}: unreadable feed")
        comment_state: dict = {}
        if (source.options or {}).get("comments", True):
            comment_state = self._comments(http, source, feed, posts, state.get("comment_feeds", {}), warnings)
        new_state = {**validators(response), "comment_feeds": comment_state}
        return FetchResult(posts=posts, state=new_state, warnings=warnings)

    def _comments(self, http: HttpClient, source, feed, posts: list, known: dict, warnings: list) -> dict:
        kept: dict = {}
        followed = 0
        for entry, post in zip(feed.entries, [entry_post(source, e, lang=None) for e in feed.entries], strict=True):
            url = entry.get("wfw_commentrss")
            if not url or post is None or str(entry.get("slash_comments", "1")).strip() == "0":
                continue
            if followed >= self.max_comment_feeds:
                break
            followed += 1
            seen = known.get(url, {})
            try:
                response = http.get(url, headers=conditional_headers(seen))
                if response.status == 304:
                    kept[url] = seen
                    continue
                _, comments, comment_warnings = parse(source, response, thread_key=post.external_id)
            except CrawlerError as exc:
                warnings.append(f"comments of {post.url or post.external_id}: {exc}")
                kept[url] = seen
                continue
            posts.extend(comments)
            warnings.extend(comment_warnings)
            kept[url] = validators(response)
        return kept
