"""Item pipelines, one concern each, counting what they drop in the crawler stats."""
from __future__ import annotations

from datetime import datetime

from scrapy.exceptions import DropItem

from crawlers.text import html_to_text


class RequireContentPipeline:
    """Drop posts without an id or without any visible text."""

    def __init__(self, stats) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        """Build the pipeline with the crawl's stats."""
        return cls(crawler.stats)

    def process_item(self, item, spider=None):
        """Pass the item on, or drop it when it is empty."""
        if not item.get("external_id") or not html_to_text(item.get("html")):
            self.stats.inc_value("superfan/dropped_empty")
            raise DropItem("empty post")
        return item


class IncrementalPipeline:
    """Drop posts published at or before the newest post of the last crawl (``SUPERFAN_SINCE``)."""

    def __init__(self, since: datetime | None, stats) -> None:
        self.since, self.stats = since, stats

    @classmethod
    def from_crawler(cls, crawler):
        """Build the pipeline from the crawl's ``SUPERFAN_SINCE`` setting (ISO 8601)."""
        since = crawler.settings.get("SUPERFAN_SINCE")
        return cls(datetime.fromisoformat(since) if since else None, crawler.stats)

    def process_item(self, item, spider=None):
        """Pass new posts on; drop the ones seen in an earlier crawl."""
        published = item.get("published")
        if self.since and published and datetime.fromisoformat(published) <= self.since:
            self.stats.inc_value("superfan/dropped_old")
            raise DropItem("seen in an earlier crawl")
        return item
