"""Settings of listening: crawl politeness, backoff after failures, dead sources, the scheduler (issue 3)."""
from __future__ import annotations

from pydantic import Field

from superfan.settings.base import Section


class ListeningSettings(Section):
    backoff_base_minutes: float = Field(5.0, gt=0, le=1440, description="First wait after a failed crawl (429/5xx/timeout); doubles with each further failure.")
    backoff_max_minutes: float = Field(360.0, gt=0, le=10080, description="Longest wait between crawls of a failing source.")
    dead_after_failures: int = Field(5, ge=1, le=1000, description="Consecutive failed crawls after which a source is flagged dead (404/410 flag it at once).")
    request_timeout_seconds: float = Field(20.0, gt=0, le=300, description="How long one HTTP request may take before it counts as a timeout.")
    max_response_mb: float = Field(10.0, gt=0, le=200, description="Largest response (feed, page, API answer) read from a source, in MB.")
    job_store: bool = Field(True, description="Keep scheduled jobs in the database (APScheduler SQLAlchemy job store) rather than in memory.")
    misfire_grace_seconds: int = Field(300, ge=1, le=86400, description="A crawl job that missed its time by more than this is skipped until its next run.")
