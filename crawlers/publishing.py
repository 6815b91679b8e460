"""Post answers back to the sources that allow it (Reddit through praw, with a script account)."""
from __future__ import annotations

from collections.abc import Iterable

from community.domain.errors import ChannelError
from crawlers.base import CrawlError
from crawlers.reddit import make_reddit, post_reply


class SourcePublisher:
    """ChannelPublisher over the configured sources: a source answers in its channel when its options say
    ``answer_in_channel = true`` (Reddit also needs ``username``/``password`` of the brand's account)."""

    def __init__(self, sources: Iterable, reddit_factory=make_reddit) -> None:
        self.sources = {s.name: s for s in sources}
        self.reddit_factory = reddit_factory

    def reply(self, source: str, url: str, body: str) -> dict | None:
        """Post ``body`` as a reply to ``url`` on ``source``; None when that source is not answered automatically."""
        settings = self.sources.get(source)
        if settings is None or not settings.options.get("answer_in_channel"):
            return None
        if settings.kind != "reddit":
            raise ChannelError(f"answering in the channel is not supported for {settings.kind} sources yet")
        if not settings.options.get("username"):
            raise ChannelError(f"source {source!r}: set options.username and options.password of the brand's "
                               "Reddit account to answer in the channel")
        try:
            return post_reply(settings, url, body, reddit_factory=self.reddit_factory)
        except CrawlError as exc:
            raise ChannelError(f"{source}: the reply was not posted: {exc}") from exc
