"""Urgency: a level decided by the model's probabilities and the explainable signals, and a 0–100 score.

Critical: the model is fairly sure it is critical, or a strong signal fired (safety, security, legal threat,
outage) and the model sees at least some urgency. High: the model leans high/critical, or a strong signal
fired, or the author's reach or the thread's engagement lifts a normal post. The score places the post inside
its level's band (low 0–24, normal 25–49, high 50–74, critical 75–100) by the model's expected level plus
the points of every signal, so sorting by score sorts by level first.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from nlp.signals import SIGNAL_POINTS, STRONG

LEVELS = ("low", "normal", "high", "critical")
ANCHORS = {"low": 5.0, "normal": 30.0, "high": 62.0, "critical": 92.0}
BANDS = {"low": (0, 24), "normal": (25, 49), "high": (50, 74), "critical": (75, 100)}
RAW_MAX = 150.0
# Tuned by training on a development slice of the training split (see tune_thresholds).
DEFAULT_THRESHOLDS = {"critical_p": 0.5, "critical_signal_p": 0.1, "high_p": 0.5}
LIFTS = frozenset({"author_reach", "engagement"})
_ANCHORED = tuple((name, ANCHORS[name]) for name in LEVELS)


def urgency_level(probabilities: Mapping[str, float], signals: Sequence[str],
                  thresholds: Mapping[str, float] = DEFAULT_THRESHOLDS) -> str:
    """Return low, normal, high or critical."""
    critical, high = probabilities.get("critical", 0.0), probabilities.get("high", 0.0)
    fired = set(signals)
    strong = bool(fired & STRONG)
    if critical >= thresholds["critical_p"] or (strong and critical + high >= thresholds["critical_signal_p"]):
        return "critical"
    if critical + high >= thresholds["high_p"] or strong:
        return "high"
    level = "low" if probabilities.get("low", 0.0) > probabilities.get("normal", 0.0) else "normal"
    return "high" if level == "normal" and fired & LIFTS else level


def urgency_score(probabilities: Mapping[str, float], signals: Sequence[str], level: str) -> int:
    """Return 0–100 inside the level's band: the model's expected level plus each fired signal's points."""
    total = sum(probabilities.values())
    p = probabilities.get
    base = (sum([anchor * p(name, 0.0) for name, anchor in _ANCHORED]) / total) if total else 30.0
    points = SIGNAL_POINTS.get
    raw = min(RAW_MAX, base + sum(points(name, 0) for name in signals) if signals else base)
    low, high = BANDS[level]
    return int(round(low + (high - low) * raw / RAW_MAX))


def tune_thresholds(rows: Sequence[tuple[Mapping[str, float], Sequence[str], str]],
                    min_critical_recall: float = 0.97) -> dict:
    """Pick thresholds on development rows (probabilities, signals, gold level).

    Critical keeps at least ``min_critical_recall`` with the best precision; ``high_p`` then maximises accuracy.
    """
    gold = [g for _, _, g in rows]
    n_critical = gold.count("critical")
    if not n_critical:
        return dict(DEFAULT_THRESHOLDS)
    best, best_key = dict(DEFAULT_THRESHOLDS), None
    for critical_p in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        for signal_p in (0.0, 0.05, 0.1, 0.2, 0.3):
            trial = dict(DEFAULT_THRESHOLDS, critical_p=critical_p, critical_signal_p=signal_p)
            flags = [urgency_level(p, s, trial) == "critical" for p, s, _ in rows]
            hits = sum(f and g == "critical" for f, g in zip(flags, gold, strict=True))
            recall, precision = hits / n_critical, hits / max(sum(flags), 1)
            key = (recall >= min_critical_recall, precision if recall >= min_critical_recall else recall)
            if best_key is None or key > best_key:
                best, best_key = trial, key
    accuracy = {}
    for high_p in (0.3, 0.4, 0.5, 0.6, 0.7):
        trial = dict(best, high_p=high_p)
        accuracy[high_p] = sum(urgency_level(p, s, trial) == g for p, s, g in rows)
    return dict(best, high_p=max(accuracy, key=accuracy.get))
