"""RSS/Atom feeds with feedparser: conditional GET, malformed feeds read as far as possible, WordPress comments."""
from __future__ import annotations

import calendar
from datetime import UTC, datetime

import feedparser

from community.domain.model import content_hash
from crawlers import fastfeed
from crawlers.api import ClientFactory, default_client
from crawlers.base import FetchResult
from crawlers.errors import CrawlerError, ParseError
from crawlers.fastfeed import Entry
from crawlers.http import HttpClient, HttpResponse
from crawlers.posts import count, make_post, reply_facts
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


def from_feedparser(entry) -> Entry:
    """Turn one feedparser entry into the connector's Entry."""
    return Entry(title=entry.get("title", ""), link=entry.get("link", ""), id=entry.get("id", ""),
                 body=_body(entry), author=entry.get("author", ""), published=_published(entry),
                 comment_feed=entry.get("wfw_commentrss", ""), comment_count=str(entry.get("slash_comments", "")))


def entry_post(source, entry: Entry, *, lang: str | None, thread_key: str | None = None,
               parent_author: str | None = None):
    """Turn one feed entry into a post, or None when it has no title, text or link at all.

    An entry of a comment feed (``thread_key`` set) answers the article, written by ``parent_author``.
    """
    link = entry.link if entry.link.startswith(("http://", "https://")) else ""  # feedparser copies a urn: id here
    if not (entry.title.strip() or entry.body.strip() or link):
        return None
    external_id = entry.id or link or content_hash(entry.title, entry.body)
    comments = int(entry.comment_count) if entry.comment_count.strip().isdigit() else None
    return make_post(source, external_id=external_id, url=link, title=entry.title, html=entry.body,
                     author=entry.author, published=entry.published, thread_key=thread_key, lang=lang,
                     replies=comments, engagement=count(comments),
                     **reply_facts(entry.author, parent_author, thread_key is not None))


def read_entries(response: HttpResponse) -> tuple[str | None, list[Entry], list[str]]:
    """Read a feed's language, entries and warnings: the fast path for well-formed feeds, feedparser otherwise."""
    content_type = response.headers.get("Content-Type", response.headers.get("content-type", ""))
    fast = fastfeed.read(response.content, response.encoding)
    if fast is not None:
        return fast[0], fast[1], []
    feed = feedparser.parse(response.content, response_headers={"content-type": content_type})
    if feed.get("bozo") and not feed.entries and not feed.get("feed"):
        raise ParseError(f"{response.url}: not a feed: {feed.get('bozo_exception')}")
    if feed.get("bozo") and not feed.entries and not feed.feed.get("title"):
        raise ParseError(bozo_message(response.url, feed) or f"{response.url}: unreadable feed")
    warnings = [w for w in [bozo_message(response.url, feed)] if w]
    return feed.feed.get("language") or None, [from_feedparser(e) for e in feed.entries], warnings


def parse(source, response: HttpResponse, thread_key: str | None = None, parent_author: str | None = None):
    """Parse a feed response into (entries, posts, warnings); a comment feed's posts answer ``parent_author``."""
    language, entries, warnings = read_entries(response)
    lang = (language or "")[:2] or None
    posts = [p for e in entries
             if (p := entry_post(source, e, lang=lang, thread_key=thread_key, parent_author=parent_author))]
    if skipped := len(entries) - len(posts):
        warnings.append(f"{response.url}: {skipped} empty entries skipped")
    return entries, posts, warnings


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
        entries, posts, warnings = parse(source, response)
        comment_state: dict = {}
        if (source.options or {}).get("comments", True):
            comment_state = self._comments(http, source, entries, posts, state.get("comment_feeds", {}), warnings)
        new_state = {**validators(response), "comment_feeds": comment_state}
        return FetchResult(posts=posts, state=new_state, warnings=warnings)

    def _comments(self, http: HttpClient, source, entries: list[Entry], posts: list, known: dict,
                  warnings: list) -> dict:
        kept: dict = {}
        followed = 0
        for entry in entries:
            url, post = entry.comment_feed, entry_post(source, entry, lang=None)
            if not url or post is None or entry.comment_count.strip() == "0":
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
                _, comments, comment_warnings = parse(source, response, thread_key=post.external_id,
                                                      parent_author=post.author)
            except CrawlerError as exc:
                warnings.append(f"comments of {post.url or post.external_id}: {exc}")
                kept[url] = seen
                continue
            posts.extend(comments)
            warnings.extend(comment_warnings)
            kept[url] = validators(response)
        return kept
