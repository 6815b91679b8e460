"""Value of an item (topic weight, author reach, purchase intent, engagement) and the rolling staff-share split."""
from __future__ import annotations

import bisect
import math
import threading
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from community.domain.routing.facts import RoutingFacts
from community.domain.topics import any_keyword


@dataclass(frozen=True, slots=True)
class ValueModel:
    """Weights of the value signals; each signal is scaled to 0..1 before weighting."""

    topic_weights: Mapping[str, float] = field(default_factory=dict)
    default_topic_weight: float = 0.3
    topic: float = 1.0
    reach: float = 1.0
    intent: float = 1.0
    engagement: float = 0.5
    intent_keywords: tuple[str, ...] = ()

    def estimate(self, facts: RoutingFacts) -> tuple[float, dict[str, float]]:
        """Return the item's value and the weighted part each signal contributed."""
        signals = {
            "topic": self.topic_weights.get(facts.topic, self.default_topic_weight),
            "reach": min(1.0, math.log10(1 + max(0, facts.author.reach)) / 6),
            "intent": 1.0 if any_keyword(facts.text, self.intent_keywords) else 0.0,
            "engagement": min(1.0, math.log10(1 + facts.engagement) / 3),
        }
        parts = {name: round(getattr(self, name) * signal, 4) for name, signal in signals.items()}
        return round(sum(parts.values()), 4), parts


class RollingQuantile:
    """The last ``window`` values, answering "which value marks the top ``share``?" in O(log n)."""

    def __init__(self, window: int = 1000, min_samples: int = 20, seed: Iterable[float] = ()) -> None:
        if window < 1 or min_samples < 1:
            raise ValueError("window and min_samples must be positive")
        self.window, self.min_samples = window, min_samples
        self._order: deque[float] = deque()
        self._sorted: list[float] = []
        self._lock = threading.Lock()  # web workers and jobs may share one router
        for value in seed:
            self.add(value)

    def __len__(self) -> int:
        return len(self._order)

    def add(self, value: float) -> None:
        """Remember a value, forgetting the oldest one beyond the window."""
        with self._lock:
            self._order.append(value)
            bisect.insort(self._sorted, value)
            if len(self._order) > self.window:
                old = self._order.popleft()
                del self._sorted[bisect.bisect_left(self._sorted, old)]

    def threshold(self, share: float) -> float | None:
        """Return the value an item must exceed to be in the top ``share`` of the window (None while warming up).

        Ties never push an item over: with all values equal, nothing is above the threshold.
        """
        n = len(self._sorted)
        if n < self.min_samples:
            return None
        if share <= 0:
            return float("inf")
        below = n - round(n * min(1.0, max(0.0, share)))
        return self._sorted[below - 1] if below >= 1 else float("-inf")
