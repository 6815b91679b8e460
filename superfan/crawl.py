"""Run one source now: connector → ingest → source health."""
from __future__ import annotations

import logging

from community.services.ingest import IngestReport, ingest
from crawlers.base import Connector, CrawlError
from crawlers.feeds import FeedConnector
from superfan.settings import SourceSettings

log = logging.getLogger(__name__)


def connectors() -> dict[str, Connector]:
    """Return the connector for each source kind."""
    return {"rss": FeedConnector()}


def crawl_source(services, source: SourceSettings) -> IngestReport:
    """Fetch one source, ingest what matches, and record the outcome in the source's health."""
    connector = connectors().get(source.kind)
    with services.uow() as uow:
        uow.sources.ensure(source.name, source.kind, source.url)
        state = uow.sources.get_state(source.name)
        uow.commit()
    report = IngestReport()
    try:
        if connector is None:
            raise CrawlError(f"no connector for source kind {source.kind!r} yet")
        result = connector.fetch(source, state)
        report = ingest(services.uow, result.posts, classifier=services.classifier, router=services.router,
                        clock=services.clock, matches=services.matches)
        error = "; ".join(result.warnings) or None
        ok = True
    except CrawlError as exc:
        log.warning("source %s failed: %s", source.name, exc)
        result, ok, error = None, False, str(exc)
    except Exception as exc:  # a bug or an outage mid-batch: keep the source's health honest, lose nothing
        log.exception("source %s crashed", source.name)
        result, ok, error = None, False, f"internal error: {type(exc).__name__}: {exc}"
    with services.uow() as uow:
        uow.sources.record_run(source.name, ok=ok, seen=report.seen, new=report.new, error=error,
                               at=services.clock.now())
        if result is not None:
            uow.sources.set_state(source.name, result.state)
        uow.commit()
    report.errors.extend([error] if error else [])
    return report
