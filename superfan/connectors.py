"""Pick the connector for each source kind, with the HTTP limits from the ``[listening]`` settings."""
from __future__ import annotations

from crawlers.base import Connector
from crawlers.bluesky import BlueskyConnector
from crawlers.feeds import FeedConnector
from crawlers.forums.connector import ForumConnector
from crawlers.hn import HackerNewsConnector
from crawlers.http import HttpClient, HttpPolicy
from crawlers.mastodon import MastodonConnector
from crawlers.reddit import RedditConnector

KINDS = ("rss", "forum", "discourse", "reddit", "hn", "mastodon", "bluesky")


def http_policy(listening=None) -> HttpPolicy:
    """Return the HTTP limits the settings ask for (the defaults without settings)."""
    if listening is None:
        return HttpPolicy()
    return HttpPolicy(read_timeout=listening.request_timeout_seconds,
                      max_bytes=int(listening.max_response_mb * 1024 * 1024))


def connectors(settings=None) -> dict[str, Connector]:
    """Return the connector for each source kind."""
    policy = http_policy(getattr(settings, "listening", None))

    def client(allow_private: bool) -> HttpClient:
        return HttpClient(allow_private=allow_private, policy=policy)

    return {"rss": FeedConnector(client), "forum": ForumConnector("forum"), "discourse": ForumConnector("discourse"),
            "reddit": RedditConnector(), "hn": HackerNewsConnector(client), "mastodon": MastodonConnector(client),
            "bluesky": BlueskyConnector(client)}
