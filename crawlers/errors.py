"""The crawlers' error tree: one root, translated once into source health by the crawl runner."""
from __future__ import annotations

from crawlers.base import CrawlError


class CrawlerError(CrawlError):
    """Base of every error a connector raises; ``transient`` errors lead to a backoff, not a dead source."""

    transient = False


class BlockedAddress(CrawlerError):
    """The URL points at a loopback/private/link-local/reserved address and private targets are not allowed."""


class FetchError(CrawlerError):
    """The source answered with an HTTP error that retrying will not fix."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class SourceGone(FetchError):
    """The source answered 404 Not Found or 410 Gone: it is flagged as dead at once."""


class TooManyRedirects(FetchError):
    """Redirects went round in a loop or past the limit."""


class ResponseTooLarge(FetchError):
    """The response body is larger than the size limit."""


class TransientError(CrawlerError):
    """A 5xx answer, a timeout or a connection failure: try again after a backoff."""

    transient = True

    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class RateLimited(TransientError):
    """The source answered 429 Too Many Requests; ``retry_after`` says how long it asked us to wait."""


class ParseError(CrawlerError):
    """The response could not be read at all (not even partly)."""
