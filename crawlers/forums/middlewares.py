"""Downloader middleware: every request (robots.txt and redirects included) passes the SSRF guard."""
from __future__ import annotations

from scrapy.exceptions import IgnoreRequest

from crawlers.errors import BlockedAddress
from crawlers.netguard import check_url


class NetGuardMiddleware:
    """Drop requests to loopback/private/reserved addresses unless the source allows them."""

    def __init__(self, allow_private: bool, stats) -> None:
        self.allow_private, self.stats = allow_private, stats

    @classmethod
    def from_crawler(cls, crawler):
        """Build the middleware from the crawl's settings."""
        return cls(crawler.settings.getbool("SUPERFAN_ALLOW_PRIVATE"), crawler.stats)

    def process_request(self, request, spider=None):
        """Refuse the request when its host is not allowed."""
        try:
            check_url(request.url, allow_private=self.allow_private)
        except BlockedAddress as exc:
            self.stats.inc_value("superfan/blocked_address")
            raise IgnoreRequest(str(exc)) from exc
        return None
