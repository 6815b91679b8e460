"""Shared base of the JSON-over-HTTP connectors (Hacker News, Mastodon, Bluesky)."""
from __future__ import annotations

from collections.abc import Callable

from crawlers.errors import FetchError
from crawlers.http import HttpClient

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
