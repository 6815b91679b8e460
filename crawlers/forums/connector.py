"""The ``forum`` and ``discourse`` connectors: a Scrapy crawl in its own process → posts, incremental by date."""
from __future__ import annotations

from datetime import datetime

from crawlers.base import FetchResult
from crawlers.errors import BlockedAddress, FetchError, SourceGone, TransientError
from crawlers.forums.runner import CrawlOutcome, run_spider
from crawlers.forums.settings import crawl_settings
from crawlers.netguard import check_url
from crawlers.posts import make_post


def start_failure(outcome: CrawlOutcome, url: str):
    """Return the error for a crawl whose start page failed (gone, rate-limited, down, refused), else None."""
    failed = next((f for f in outcome.failures if f["start"]), None)
    if failed is None:
        return None
    status, error = failed["status"], failed["error"]
    if status in (404, 410):
        return SourceGone(f"{url}: {status}: the forum page is gone", status)
    if status == 429 or (status and status >= 500) or "Timeout" in error or "ConnectionRefused" in error:
        return TransientError(f"{url}: {error}", status)
    if "Forbidden by robots.txt" in error:
        return FetchError(f"{url}: robots.txt forbids crawling this page")
    if "resolves to the non-public address" in error:
        return BlockedAddress(error)
    return FetchError(f"{url}: {error}", status)


class ForumConnector:
    """Crawl a forum (``spider`` option: forum, phpbb) or a Discourse site; state keeps the newest post time."""

    def __init__(self, kind: str = "forum", runner=run_spider) -> None:
        self.kind, self.runner = kind, runner

    def fetch(self, source, state: dict) -> FetchResult:
        """Crawl the source in a child process and return the posts newer than the last crawl."""
        options = dict(getattr(source, "options", None) or {})
        allow_private = bool(getattr(source, "allow_private", False))
        check_url(source.url, allow_private=allow_private)  # refuse early, before a process is started
        spider = "discourse" if self.kind == "discourse" else options.pop("spider", "forum")
        try:
            settings = crawl_settings(allow_private=allow_private, overrides=options.pop("politeness", None))
        except ValueError as exc:
            raise FetchError(f"source {source.name!r}: {exc}") from exc
        since = state.get("since")
        settings["SUPERFAN_SINCE"] = since
        outcome = self.runner(spider, settings=settings, start_url=source.url, options=options, since=since,
                              search=options.get("search", ""))
        if error := start_failure(outcome, source.url):
            raise error
        posts = [self._post(source, item) for item in outcome.items]
        stamps = [p.published for p in posts if p.published]
        newest = max([datetime.fromisoformat(since), *stamps]) if since else max(stamps, default=None)
        failed = [f for f in outcome.failures if "Forbidden by robots.txt" not in f["error"]]
        warnings = [f"{len(failed)} pages failed, e.g. {failed[0]['url']}: {failed[0]['error']}"] if failed else []
        return FetchResult(posts=posts, state={**state, "since": newest.isoformat() if newest else since},
                           warnings=warnings)

    @staticmethod
    def _post(source, item: dict):
        published = datetime.fromisoformat(item["published"]) if item.get("published") else None
        return make_post(source, external_id=item["external_id"], url=item.get("url", ""),
                         title=item.get("title", ""), html=item.get("html", ""), author=item.get("author", ""),
                         published=published, thread_key=item.get("thread_key"), lang=item.get("lang"),
                         **(item.get("extra") or {}))
