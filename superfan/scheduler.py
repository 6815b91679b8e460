"""The one scheduler: APScheduler jobs for each enabled source, and the periodic jobs other areas register.

Only ``superfan run`` starts it (never web workers): jobs have explicit ids (``crawl:<source>``),
``max_instances=1`` and ``coalesce=True``, and live in a persistent SQLAlchemy job store on the
configured database, so a restart keeps their next run times. A lock file in the data directory refuses a
second scheduler on the same machine.
"""
from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

log = logging.getLogger(__name__)
CRAWL_PREFIX = "crawl:"
JOB_TABLE = "apscheduler_jobs"


@dataclass(frozen=True)
class RegisteredJob:
    """A periodic job of another area: ``func(services)`` every ``minutes``."""

    id: str
    func: Callable
    minutes: float


_registry: dict[str, RegisteredJob] = {}
_services = None


def register_job(job_id: str, func: Callable, minutes: float) -> None:
    """Register a periodic job (e.g. the SLA check) that ``superfan run`` schedules; ``func`` gets the services."""
    if ":" not in job_id or job_id.startswith(CRAWL_PREFIX):
        raise ValueError(f"job id {job_id!r} must look like '<area>:<what>' and not start with {CRAWL_PREFIX!r}")
    _registry[job_id] = RegisteredJob(job_id, func, float(minutes))


def registered_jobs() -> list[RegisteredJob]:
    """Return the jobs other areas registered."""
    return list(_registry.values())


def run_crawl_job(source_name: str) -> None:
    """Crawl one configured source on schedule (skipped while the source backs off)."""
    from superfan.crawl import crawl_source

    services = _require_services()
    source = next((s for s in services.settings.sources if s.name == source_name and s.enabled), None)
    if source is None:
        log.warning("scheduled crawl of %s skipped: the source is no longer configured or enabled", source_name)
        return
    report = crawl_source(services, source, scheduled=True)
    log.info("crawled %s: seen %d, new %d%s", source_name, report.seen, report.new,
             f" — {'; '.join(report.errors)}" if report.errors else "")


def run_registered_job(job_id: str) -> None:
    """Run a registered job with the services."""
    job = _registry.get(job_id)
    if job is None:
        log.warning("job %s is no longer registered", job_id)
        return
    job.func(_require_services())


def _require_services():
    if _services is None:
        raise RuntimeError("the scheduler's services are not set; start it with start_scheduler()")
    return _services


def wanted_jobs(settings) -> dict[str, tuple[Callable, list, float]]:
    """Return every job the settings and the registry ask for: id → (function, args, minutes)."""
    jobs = {f"{CRAWL_PREFIX}{s.name}": (run_crawl_job, [s.name], float(s.interval_minutes))
            for s in settings.sources if s.enabled}
    jobs.update({job.id: (run_registered_job, [job.id], job.minutes) for job in registered_jobs()})
    return jobs


def build_scheduler(services, *, persistent: bool | None = None) -> BackgroundScheduler:
    """Build (not start) the scheduler with the job store the settings choose."""
    listening = services.settings.listening
    persistent = listening.job_store if persistent is None else persistent
    store = SQLAlchemyJobStore(engine=services.engine, tablename=JOB_TABLE) if persistent else MemoryJobStore()
    return BackgroundScheduler(jobstores={"default": store}, timezone="UTC", job_defaults={
        "max_instances": 1, "coalesce": True, "misfire_grace_time": listening.misfire_grace_seconds})


def sync_jobs(scheduler: BackgroundScheduler, settings) -> dict[str, str]:
    """Make the stored jobs match the settings: add new (first run in 30 s), re-time changed, drop removed."""
    wanted, changes = wanted_jobs(settings), {}
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            job.remove()
            changes[job.id] = "removed"
    for job_id, (func, args, minutes) in wanted.items():
        current = scheduler.get_job(job_id)
        same = current is not None and isinstance(current.trigger, IntervalTrigger) \
            and current.trigger.interval.total_seconds() == minutes * 60 and list(current.args) == args
        if same:
            continue
        first = {} if current is not None else {"next_run_time": datetime.now(UTC) + timedelta(seconds=30)}
        scheduler.add_job(func, "interval", minutes=minutes, args=args, id=job_id, name=job_id,
                          replace_existing=True, max_instances=1, coalesce=True, jitter=min(60, minutes * 6), **first)
        changes[job_id] = "updated" if current is not None else "added"
    return changes


class SchedulerLock:
    """An exclusive lock file: only one scheduler per data directory."""

    def __init__(self, path: Path) -> None:
        self.path, self.handle = path, None

    def acquire(self) -> None:
        """Take the lock or raise RuntimeError naming the process that holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")  # noqa: SIM115 - held open for the scheduler's lifetime
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise RuntimeError(f"a scheduler is already running for this data directory (pid {holder})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self.handle = handle

    def release(self) -> None:
        """Let go of the lock."""
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


def start_scheduler(services, *, persistent: bool | None = None) -> tuple[BackgroundScheduler, SchedulerLock]:
    """Take the lock, start the scheduler with the jobs in sync with the settings, and return both."""
    global _services
    lock = SchedulerLock(services.settings.data_path / "scheduler.lock")
    lock.acquire()
    _services = services
    scheduler = build_scheduler(services, persistent=persistent)
    scheduler.start(paused=True)
    for job_id, change in sync_jobs(scheduler, services.settings).items():
        log.info("job %s %s", job_id, change)
    scheduler.resume()
    return scheduler, lock


def stop_scheduler(scheduler: BackgroundScheduler, lock: SchedulerLock) -> None:
    """Stop the scheduler (waiting for running jobs) and release the lock."""
    global _services
    try:
        scheduler.shutdown(wait=True)
    finally:
        _services = None
        lock.release()
