"""The one HTTP helper every connector uses: timeouts, User-Agent, SSRF guard on each hop, size limit, backoff."""
from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import requests

from crawlers.errors import FetchError, RateLimited, ResponseTooLarge, SourceGone, TooManyRedirects, TransientError
from crawlers.netguard import Resolver, check_url, guard_session, is_public, resolve

USER_AGENT = "Superfan/0.1 (self-hosted social listening; +https://github.com/superfan)"


@dataclass(frozen=True, slots=True)
class HttpPolicy:
    """Limits of one fetch; the defaults suit polite crawling of feeds and APIs."""

    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    max_redirects: int = 5
    max_bytes: int = 10 * 1024 * 1024
    retries: int = 2
    backoff_seconds: float = 1.0
    max_wait_seconds: float = 30.0  # longer Retry-After values end the run; the source backs off instead
    user_agent: str = USER_AGENT


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """A fully read response."""

    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    encoding: str | None = None

    @property
    def text(self) -> str:
        """Return the body decoded with the declared charset (UTF-8 otherwise), never failing."""
        return self.content.decode(self.encoding or "utf-8", errors="replace")

    def json(self):
        """Return the body parsed as JSON."""
        try:
            return json.loads(self.content)
        except ValueError as exc:
            raise FetchError(f"{self.url}: the answer is not valid JSON ({exc})", self.status) from exc


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Parse a Retry-After header (seconds or an HTTP date) into seconds to wait."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


class HttpClient:
    """GET with an SSRF check on every redirect hop, a size limit, and retries with jittered backoff."""

    def __init__(self, *, allow_private: bool = False, policy: HttpPolicy | None = None,
                 session: requests.Session | None = None, sleep: Callable[[float], None] | None = None,
                 jitter: Callable[[], float] = random.random, resolver: Resolver = resolve,
                 peer_allowed: Callable[[str], bool] = is_public) -> None:
        self.allow_private = allow_private
        self.policy = policy or HttpPolicy()
        self.session = guard_session(session or requests.Session(), allow_private=allow_private, allowed=peer_allowed)
        self.session.headers["User-Agent"] = self.policy.user_agent
        self.sleep, self.jitter, self.resolver = sleep or time.sleep, jitter, resolver

    def check(self, url: str) -> str:
        """Refuse a URL that points at a private address unless this client allows it."""
        return check_url(url, allow_private=self.allow_private, resolver=self.resolver)

    def get(self, url: str, *, params: Mapping | None = None, headers: Mapping | None = None) -> HttpResponse:
        """Fetch a URL; 304 is returned, 404/410 raise SourceGone, 429/5xx/timeouts are retried then raised."""
        policy = self.policy
        for attempt in range(policy.retries + 1):
            try:
                return self._get_once(url, params, headers)
            except TransientError as exc:
                wait = self._wait_for(exc, attempt)
                if attempt == policy.retries or wait is None:
                    raise
                self.sleep(wait)
        raise AssertionError("unreachable")

    def _wait_for(self, exc: TransientError, attempt: int) -> float | None:
        if exc.retry_after is not None:
            return exc.retry_after if exc.retry_after <= self.policy.max_wait_seconds else None
        base = self.policy.backoff_seconds * 2 ** attempt
        return min(self.policy.max_wait_seconds, base * (0.5 + self.jitter()))

    def _get_once(self, url: str, params: Mapping | None, headers: Mapping | None) -> HttpResponse:
        seen = [url]
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            self.check(current)
            response = self._send(current, params, headers)
            if not response.is_redirect:
                return self._finish(current, response)
            response.close()
            current, params = urljoin(current, response.headers.get("Location", "")), None
            if current in seen:
                raise TooManyRedirects(f"redirect loop: {' → '.join([*seen, current])}", response.status_code)
            seen.append(current)
        raise TooManyRedirects(f"more than {self.policy.max_redirects} redirects from {url}")

    def _send(self, url: str, params: Mapping | None, headers: Mapping | None) -> requests.Response:
        timeout = (self.policy.connect_timeout, self.policy.read_timeout)
        try:
            return self.session.get(url, params=params, headers=dict(headers or {}), timeout=timeout,
                                    allow_redirects=False, stream=True)
        except requests.Timeout as exc:
            raise TransientError(f"{url}: timed out after {self.policy.read_timeout:g} s") from exc
        except requests.ConnectionError as exc:
            raise TransientError(f"{url}: connection failed ({type(exc).__name__})") from exc
        except requests.RequestException as exc:
            raise FetchError(f"{url}: request failed: {exc}") from exc

    def _finish(self, url: str, response: requests.Response) -> HttpResponse:
        status = response.status_code
        try:
            if status == 429:
                wait = retry_after_seconds(response.headers.get("Retry-After"))
                raise RateLimited(f"{url}: 429 Too Many Requests (Retry-After: {wait})", status, wait)
            if status >= 500:
                raise TransientError(f"{url}: server error {status} {response.reason}", status,
                                     retry_after_seconds(response.headers.get("Retry-After")))
            if status in (404, 410):
                raise SourceGone(f"{url}: {status} {response.reason}: the source is gone", status)
            if status >= 400:
                raise FetchError(f"{url}: HTTP {status} {response.reason}", status)
            content = self._read_limited(url, response)
        finally:
            response.close()
        return HttpResponse(url=response.url or url, status=status, headers=dict(response.headers),
                            content=content, encoding=_charset(response.headers.get("Content-Type", "")))

    def _read_limited(self, url: str, response: requests.Response) -> bytes:
        limit, chunks, size = self.policy.max_bytes, [], 0
        try:
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > limit:
                    raise ResponseTooLarge(f"{url}: response larger than {limit} bytes", response.status_code)
                chunks.append(chunk)
        except requests.Timeout as exc:
            raise TransientError(f"{url}: timed out while reading") from exc
        except requests.RequestException as exc:
            raise TransientError(f"{url}: connection broke while reading ({type(exc).__name__})") from exc
        return b"".join(chunks)


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip('"\' ')
    return None
