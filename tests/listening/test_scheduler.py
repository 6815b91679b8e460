"""The one scheduler: a job per enabled source with explicit ids, persistent across restarts, one process only."""
from __future__ import annotations

import pytest

from superfan import scheduler as sched
from superfan.settings import SourceSettings


def with_sources(services, *sources):
    settings = services.settings.model_copy(update={"sources": list(sources)})
    services.settings = settings
    return services


def crawl_jobs(scheduler) -> list:
    return [job for job in scheduler.get_jobs() if job.id.startswith("crawl:")]


@pytest.fixture
def svc(sqlite_services):
    yield sqlite_services
    sched._registry.pop("test:job", None)


def test_each_enabled_source_gets_a_crawl_job_with_its_interval(svc):
    with_sources(svc, SourceSettings(name="blog", kind="rss", url="https://blog.example/feed", interval_minutes=30),
                 SourceSettings(name="off", kind="rss", url="https://x.example/feed", enabled=False))
    scheduler, lock = sched.start_scheduler(svc)
    try:
        (job,) = crawl_jobs(scheduler)
        assert job.id == "crawl:blog" and job.args == ("blog",)
        assert job.trigger.interval.total_seconds() == 30 * 60
        assert job.max_instances == 1 and job.coalesce is True
    finally:
        sched.stop_scheduler(scheduler, lock)


def test_jobs_persist_in_the_database_and_follow_settings_changes(svc):
    with_sources(svc, SourceSettings(name="blog", kind="rss", url="https://blog.example/feed", interval_minutes=30),
                 SourceSettings(name="old", kind="rss", url="https://old.example/feed"))
    scheduler, lock = sched.start_scheduler(svc)
    first_run = scheduler.get_job("crawl:blog").next_run_time
    sched.stop_scheduler(scheduler, lock)

    with_sources(svc, SourceSettings(name="blog", kind="rss", url="https://blog.example/feed", interval_minutes=30),
                 SourceSettings(name="new", kind="hn", url="", interval_minutes=5))
    scheduler, lock = sched.start_scheduler(svc)
    try:
        assert {j.id for j in crawl_jobs(scheduler)} == {"crawl:blog", "crawl:new"}
        assert scheduler.get_job("crawl:blog").next_run_time == first_run  # kept from the job store
    finally:
        sched.stop_scheduler(scheduler, lock)


def test_other_areas_register_jobs_such_as_the_sla_check(svc):
    seen = []
    sched.register_job("test:job", lambda services: seen.append(services), minutes=1)
    with_sources(svc)
    scheduler, lock = sched.start_scheduler(svc, persistent=False)
    try:
        job = scheduler.get_job("test:job")
        assert job.trigger.interval.total_seconds() == 60 and job.max_instances == 1
        sched.run_registered_job("test:job")
        assert seen == [svc]
    finally:
        sched.stop_scheduler(scheduler, lock)
    with pytest.raises(ValueError):
        sched.register_job("crawl:sneaky", print, 1)


def test_a_second_scheduler_on_the_same_data_directory_is_refused(svc):
    with_sources(svc)
    scheduler, lock = sched.start_scheduler(svc, persistent=False)
    try:
        with pytest.raises(RuntimeError, match="already running"):
            sched.SchedulerLock(svc.settings.data_path / "scheduler.lock").acquire()
    finally:
        sched.stop_scheduler(scheduler, lock)


def test_the_crawl_job_crawls_the_configured_source(svc, web):
    web.route("/feed", '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>Kolibri '
                       'Pulse Watch Frage</title><link>http://f.example/1</link><guid>1</guid></item></channel></rss>')
    with_sources(svc, SourceSettings(name="feed", kind="rss", url=web.url("/feed"), allow_private=True))
    scheduler, lock = sched.start_scheduler(svc, persistent=False)
    try:
        sched.run_crawl_job("feed")
        sched.run_crawl_job("gone-from-settings")
    finally:
        sched.stop_scheduler(scheduler, lock)
    with svc.uow() as uow:
        assert uow.posts.count() == 1
