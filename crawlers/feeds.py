"""RSS/Atom feeds with feedparser."""
from __future__ import annotations

import calendar
from datetime import UTC, datetime

import feedparser
import nh3
import requests

from community.domain.model import RawPost
from crawlers.base import CrawlError, FetchResult

USER_AGENT = "Superfan/0.1 (+https://github.com/superfan; social listening)"


def html_to_text(html: str) -> str:
    """Strip every tag from untrusted HTML and return plain text."""
    return " ".join(nh3.clean(html or "", tags=set()).split())


def _published(entry) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC) if parsed else None


def parse_feed(source_name: str, content: bytes) -> tuple[list[RawPost], str | None]:
    """Parse feed bytes into posts; returns (posts, warning for a malformed feed)."""
    feed = feedparser.parse(content)
    warning = f"malformed feed: {feed.get('bozo_exception')}" if feed.get("bozo") else None
    posts = []
    for entry in feed.entries:
        body = entry.get("content", [{}])[0].get("value") if entry.get("content") else entry.get("summary", "")
        link = entry.get("link", "")
        posts.append(RawPost(source=source_name, external_id=entry.get("id") or link or entry.get("title", ""),
                             url=link, title=html_to_text(entry.get("title", "")), text=html_to_text(body),
                             author=entry.get("author", ""), published=_published(entry),
                             lang_hint=(feed.feed.get("language") or "")[:2].lower() or None))
    if warning and not posts:
        raise CrawlError(warning)
    return posts, warning


class FeedConnector:
    """Fetch an RSS/Atom feed over HTTP."""

    def __init__(self, timeout: float = 15.0) -> None:
        self.timeout = timeout

    def fetch(self, source, state: dict) -> FetchResult:
        """Fetch and parse the feed at ``source.url``."""
        try:
            response = requests.get(source.url, timeout=self.timeout, headers={"User-Agent": USER_AGENT})
        except requests.RequestException as exc:
            raise CrawlError(f"cannot fetch {source.url}: {exc}") from exc
        if response.status_code >= 400:
            raise CrawlError(f"{source.url} answered HTTP {response.status_code}")
        posts, warning = parse_feed(source.name, response.content)
        return FetchResult(posts=posts, state=state, warnings=[warning] if warning else [])
