"""Shared base of the JSON-over-HTTP connectors (Hacker News, Mastodon, Bluesky)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from community.domain.model import RawPost
from community.domain.urls import canonical_url
from crawlers.errors import FetchError
from crawlers.http import HttpClient
from crawlers.text import html_to_text, one_line, truncate

ClientFactory = Callable[[bool], HttpClient]


def default_client(allow_private: bool) -> HttpClient:
    """Build the shared HTTP client, refusing private addresses unless allowed."""
    return HttpClient(allow_private=allow_private)


class ApiConnector:
    """Base of the API connectors: options, limits and the one way to build a RawPost."""

    default_base = ""

    def __init__(self, client_factory: ClientFactory = default_client) -> None:
        self.client_factory = client_factory

    def client(self, source) -> HttpClient:
        """Return an HTTP client for this source (private addresses only when the source allows them)."""
        return self.client_factory(bool(getattr(source, "allow_private", False)))

    def base_url(self, source) -> str:
        """Return the API base URL: the source's URL, or the public service's."""
        return (source.url or self.default_base).rstrip("/")

    @staticmethod
    def option(source, name: str, default=None):
        """Return a connector option from ``source.options``."""
        return (getattr(source, "options", None) or {}).get(name, default)

    def search_terms(self, source) -> str:
        """Return what to ask the API for: ``options.search``, else the source's query."""
        terms = self.option(source, "search") or getattr(source, "query", "")
        if not terms:
            raise FetchError(f"source {source.name!r} needs a query (or options.search) to search {type(self).__name__}")
        return terms

    def max_posts(self, source) -> int:
        """Return how many posts one fetch may return at most."""
        return int(self.option(source, "max_posts", 100))


def make_post(source, *, external_id: str, url: str, title: str = "", html: str | None = None,
              text: str | None = None, author: str = "", published: datetime | None = None,
              thread_key: str | None = None, lang: str | None = None, **extra) -> RawPost:
    """Build a normalised post: sanitised text, truncated when huge, canonical URL, one-line title."""
    link = canonical_url(url)
    body = html_to_text(html) if html is not None else (text or "").strip()
    return RawPost(source=source.name, external_id=str(external_id), url=link, title=one_line(html_to_text(title)),
                   text=truncate(body, link), author=author or "", published=published, thread_key=thread_key,
                   lang_hint=(lang or None) and lang[:2].lower(), extra={k: v for k, v in extra.items() if v is not None})
