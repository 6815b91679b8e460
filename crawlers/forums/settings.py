"""Scrapy settings of every forum crawl: polite by default (robots.txt, AutoThrottle, small concurrency)."""
from __future__ import annotations

from crawlers.http import USER_AGENT

BOT_NAME = "superfan"
SPIDER_MODULES = ["crawlers.forums.spiders"]
USER_AGENT = USER_AGENT
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_DELAY = 1.0
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_TIMEOUT = 20
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "ERROR"
CLOSESPIDER_PAGECOUNT = 200
DOWNLOADER_MIDDLEWARES = {"crawlers.forums.middlewares.NetGuardMiddleware": 50}
ITEM_PIPELINES = {
    "crawlers.forums.pipelines.RequireContentPipeline": 100,
    "crawlers.forums.pipelines.IncrementalPipeline": 200,
}

# What a source's ``options.politeness`` table may override (everything else stays as above).
TUNABLE = frozenset({"DOWNLOAD_DELAY", "AUTOTHROTTLE_START_DELAY", "AUTOTHROTTLE_MAX_DELAY",
                     "AUTOTHROTTLE_TARGET_CONCURRENCY", "CONCURRENT_REQUESTS_PER_DOMAIN", "DOWNLOAD_TIMEOUT",
                     "RETRY_TIMES", "CLOSESPIDER_PAGECOUNT"})


def crawl_settings(*, allow_private: bool, overrides: dict | None = None) -> dict:
    """Return the settings of one crawl: these defaults, the SSRF switch and the allowed overrides."""
    base = {name: value for name, value in globals().items() if name.isupper() and name != "TUNABLE"}
    unknown = sorted(set(overrides or {}) - TUNABLE)
    if unknown:
        raise ValueError(f"options.politeness may only set {', '.join(sorted(TUNABLE))}; not {', '.join(unknown)}")
    guard = {} if allow_private else {"DNS_RESOLVER": "crawlers.forums.resolver.PublicOnlyResolver"}
    return {**base, **(overrides or {}), **guard, "SUPERFAN_ALLOW_PRIVATE": allow_private}
