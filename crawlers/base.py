"""The connector contract every source kind implements."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from community.domain.model import RawPost


class CrawlError(Exception):
    """A source could not be read; the message is shown in the source's health."""


@dataclass
class FetchResult:
    """What one fetch of a source produced, and the state to keep for the next one."""

    posts: list[RawPost] = field(default_factory=list)
    state: dict = field(default_factory=dict)
    not_modified: bool = False
    warnings: list[str] = field(default_factory=list)


class Connector(Protocol):
    """Reads one kind of source. ``source`` is a SourceSettings; ``state`` what the last fetch kept."""

    def fetch(self, source, state: dict) -> FetchResult: ...
