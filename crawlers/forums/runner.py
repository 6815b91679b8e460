"""Run one Scrapy crawl in a child process (the Twisted reactor cannot restart) and hand its items back."""
from __future__ import annotations

import multiprocessing
import queue as queues
from dataclasses import dataclass, field

from crawlers.errors import CrawlerError, TransientError

KEPT_STATS = ("superfan/", "item_scraped_count", "item_dropped_count", "downloader/response_count",
              "downloader/request_count", "robotstxt/", "retry/", "finish_reason")


@dataclass
class CrawlOutcome:
    """What a crawl produced: items as dicts, failed requests, and a few counters."""

    items: list[dict] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)
    stats: dict = field(default_factory=dict)


def _child(results, spider_name: str, kwargs: dict, settings: dict) -> None:
    try:
        from scrapy import signals
        from scrapy.crawler import CrawlerProcess

        from crawlers.forums.spiders import SPIDERS

        items: list[dict] = []

        def collect(item, response, spider):
            items.append(dict(item))

        process = CrawlerProcess({**settings, "LOG_INSTALL_ROOT_HANDLER": False})
        crawler = process.create_crawler(SPIDERS[spider_name])
        crawler.signals.connect(collect, signal=signals.item_scraped)
        process.crawl(crawler, **kwargs)
        process.start()
        stats = {k: v for k, v in crawler.stats.get_stats().items() if k.startswith(KEPT_STATS)}
        failures = getattr(crawler.spider, "failures", [])
        results.put({"items": items, "failures": failures, "stats": {k: str(v) for k, v in stats.items()}})
    except BaseException as exc:  # the parent must always hear back, whatever went wrong
        results.put({"error": f"{type(exc).__name__}: {exc}"})


def _context():
    """Return a fork server context that has Scrapy imported once, so each crawl starts in a fresh fork fast.

    A fork server is single-threaded, unlike the web server + scheduler process that asks for the crawl,
    so forking from it is safe; platforms without it spawn a fresh interpreter instead.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["crawlers.forums.runner", "scrapy.crawler", "crawlers.forums.spiders"])
    return context


def run_spider(spider_name: str, *, settings: dict, timeout: float = 600, **kwargs) -> CrawlOutcome:
    """Run a spider in its own process and return its outcome; a crash or a hang is a CrawlerError."""
    context = _context()
    results = context.Queue()
    process = context.Process(target=_child, args=(results, spider_name, kwargs, settings),
                              name=f"crawl-{spider_name}", daemon=True)
    process.start()
    try:
        answer = results.get(timeout=timeout)
    except queues.Empty:
        process.kill()
        raise TransientError(f"the {spider_name} crawl did not finish within {timeout:g} s") from None
    finally:
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
        results.close()
    if "error" in answer:
        raise CrawlerError(f"the {spider_name} crawl failed: {answer['error']}")
    return CrawlOutcome(answer["items"], answer["failures"], answer["stats"])
