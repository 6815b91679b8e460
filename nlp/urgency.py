"""Urgency: a 0–100 score from the model's level probabilities plus explainable signal points, then a level."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from nlp.signals import SIGNAL_POINTS

LEVELS = ("low", "normal", "high", "critical")
ANCHORS = {"low": 5.0, "normal": 30.0, "high": 62.0, "critical": 92.0}
# Lower bounds of normal, high and critical; tuned on a development slice of the training data by training.
DEFAULT_THRESHOLDS = {"normal": 18.0, "high": 46.0, "critical": 70.0}


def urgency_score(probabilities: Mapping[str, float], signals: Sequence[str]) -> int:
    """Return 0–100: the model's expected level on the anchor scale plus the points of each fired signal."""
    total = sum(probabilities.values())
    base = (sum(ANCHORS[level] * probabilities.get(level, 0.0) for level in LEVELS) / total) if total else 30.0
    return int(round(min(100.0, base + sum(SIGNAL_POINTS.get(name, 0) for name in signals))))


def urgency_level(score: float, thresholds: Mapping[str, float] = DEFAULT_THRESHOLDS) -> str:
    """Return the level whose band holds the score."""
    if score >= thresholds["critical"]:
        return "critical"
    if score >= thresholds["high"]:
        return "high"
    if score >= thresholds["normal"]:
        return "normal"
    return "low"


def tune_thresholds(scores: Sequence[float], gold: Sequence[str], min_critical_recall: float = 0.97) -> dict:
    """Pick level thresholds on development data: critical keeps its recall, the others maximise accuracy."""
    critical = sorted(s for s, g in zip(scores, gold, strict=True) if g == "critical")
    if not critical:
        return dict(DEFAULT_THRESHOLDS)
    allowed_misses = int(len(critical) * (1 - min_critical_recall))
    critical_at = max(40.0, min(critical[allowed_misses], DEFAULT_THRESHOLDS["critical"] + 10))
    best, best_hits = dict(DEFAULT_THRESHOLDS, critical=critical_at), -1
    for normal_at in range(8, 36, 2):
        for high_at in range(normal_at + 6, int(critical_at), 2):
            trial = {"normal": float(normal_at), "high": float(high_at), "critical": critical_at}
            hits = sum(urgency_level(s, trial) == g for s, g in zip(scores, gold, strict=True))
            if hits > best_hits:
                best, best_hits = trial, hits
    return best
