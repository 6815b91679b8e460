"""A sliding-window request limiter (e.g. Reddit's 100 requests a minute), shared per API client id."""
from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class RequestLimiter:
    """Allow at most ``limit`` requests in any ``window`` seconds; ``acquire`` sleeps until one is free."""

    def __init__(self, limit: int, window: float = 60.0, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.limit, self.window = limit, window
        self.clock, self.sleep = clock, sleep
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Wait for a free slot, take it, and return how long was waited."""
        waited = 0.0
        with self._lock:
            while True:
                now = self.clock()
                while self._sent and now - self._sent[0] >= self.window:
                    self._sent.popleft()
                if len(self._sent) < self.limit:
                    self._sent.append(now)
                    return waited
                pause = self.window - (now - self._sent[0])
                self.sleep(pause)
                waited += pause


_shared: dict[str, RequestLimiter] = {}
_shared_lock = threading.Lock()


def shared_limiter(key: str, limit: int, window: float = 60.0) -> RequestLimiter:
    """Return the process-wide limiter for an API client (created on first use)."""
    with _shared_lock:
        if key not in _shared:
            _shared[key] = RequestLimiter(limit, window)
        return _shared[key]
