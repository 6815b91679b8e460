"""A stand-in for SourceSettings in connector tests (the crawlers package never imports superfan)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    """The fields of a configured source a connector reads."""

    name: str = "test"
    kind: str = "rss"
    url: str = ""
    query: str = ""
    allow_private: bool = True
    options: dict = field(default_factory=dict)
    interval_minutes: int = 15
    enabled: bool = True
