"""Run one source now: connector → ingest → source health (backoff with jitter, dead-source alert)."""
from __future__ import annotations

import logging
from collections.abc import Callable

from community.domain.source_health import DEAD_ALERT, GONE_PREFIX, BackoffPolicy, waiting
from community.services.ingest import IngestReport, store
from crawlers.base import CrawlError
from crawlers.errors import SourceGone
from superfan.connectors import connectors
from superfan.routing import analyse_stored
from superfan.settings import SourceSettings

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (stage, done, total)
CHUNK = 50


def backoff_policy(settings) -> BackoffPolicy:
    """Return the backoff rules of the ``[listening]`` settings."""
    listening = settings.listening
    return BackoffPolicy(listening.backoff_base_minutes, listening.backoff_max_minutes, listening.dead_after_failures)


def _ingest_in_chunks(services, posts: list, progress: Progress | None) -> IngestReport:
    """Store the posts a chunk at a time (progress), then analyse and route what waits.

    A failing analysis is not the source's fault: the posts stay stored and waiting for the next pass (the
    scheduler's analysis job), the error is logged and reported, and the source's health stays as the fetch was.
    """
    total = IngestReport()
    knowledge = getattr(services, "knowledge", None)
    for start in range(0, len(posts), CHUNK):
        total.absorb(store(services.uow, posts[start:start + CHUNK], clock=services.clock, matches=services.matches,
                           knowledge=knowledge))
        if progress:
            progress("storing", min(start + CHUNK, len(posts)), len(posts))
    total.absorb(analyse_stored(services))
    return total


def crawl_source(services, source: SourceSettings, *, scheduled: bool = False,
                 progress: Progress | None = None) -> IngestReport:
    """Fetch one source, ingest what matches, and record the outcome in the source's health.

    A scheduled run leaves a source alone while it backs off; a run asked for by hand always goes ahead.
    """
    policy, now = backoff_policy(services.settings), services.clock.now()
    with services.uow() as uow:
        uow.sources.ensure(source.name, source.kind, source.url)
        state = uow.sources.get_state(source.name)
        before = uow.sources.health_of(source.name) or {}
        uow.commit()
    report = IngestReport()
    if scheduled and waiting(before.get("backoff_until"), now):
        report.errors.append(f"backing off until {before['backoff_until']:%Y-%m-%d %H:%M} UTC")
        return report
    connector = connectors(services.settings).get(source.kind)
    result, retry_after = None, None
    try:
        if connector is None:
            raise CrawlError(f"no connector for source kind {source.kind!r}")
        if progress:
            progress("fetching", 0, 1)
        result = connector.fetch(source, state)
        if progress:
            progress("fetching", 1, 1)
        report = _ingest_in_chunks(services, list(result.posts), progress)
        ok, error = True, "; ".join(result.warnings) or None
    except CrawlError as exc:
        log.warning("source %s failed: %s", source.name, exc)
        result, ok = None, False
        error = (GONE_PREFIX if isinstance(exc, SourceGone) else "") + str(exc)
        retry_after = getattr(exc, "retry_after", None)
    except Exception as exc:  # a bug or an outage mid-batch: keep the source's health honest, lose nothing
        log.exception("source %s crashed", source.name)
        result, ok, error = None, False, f"internal error: {type(exc).__name__}: {exc}"
    _record(services, source, policy, before, report, ok=ok, error=error, retry_after=retry_after,
            state=result.state if result is not None else None)
    report.errors.extend([error] if error else [])
    return report


def _record(services, source, policy: BackoffPolicy, before: dict, report: IngestReport, *, ok: bool,
            error: str | None, retry_after: float | None, state: dict | None) -> None:
    now = services.clock.now()
    with services.uow() as uow:
        uow.sources.record_run(source.name, ok=ok, seen=report.seen, new=report.new, error=error, at=now)
        if state is not None:
            uow.sources.set_state(source.name, state)
        failures = 0 if ok else (before.get("consecutive_failures") or 0) + 1
        uow.sources.set_backoff(source.name, None if ok else now + policy.delay(failures, retry_after))
        was_dead = policy.is_dead(before.get("consecutive_failures") or 0, before.get("last_error"))
        if not ok and policy.is_dead(failures, error) and not was_dead:
            log.error("source %s is dead after %d failures: %s", source.name, failures, error)
            uow.routing.alert(DEAD_ALERT, source.name, {"kind": source.kind, "url": source.url,
                                                         "failures": failures, "error": error}, now)
        uow.commit()
