"""Classification metrics: per-class precision/recall/F1, macro-F1, accuracy and a confusion matrix."""
from __future__ import annotations

from collections.abc import Sequence


def classification_report(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> dict:
    """Return accuracy, macro-F1, per-class P/R/F1/support and the confusion matrix (rows: gold)."""
    pairs = [(g, p) for g, p in zip(gold, predicted, strict=True) if g is not None]
    present = [label for label in labels if any(g == label for g, _ in pairs)]
    matrix = {g: {p: 0 for p in labels} for g in labels}
    for g, p in pairs:
        if g in matrix and p in matrix[g]:
            matrix[g][p] += 1
    per_class = {}
    for label in labels:
        tp = matrix[label][label]
        predicted_n = sum(matrix[g][label] for g in labels)
        gold_n = sum(matrix[label].values())
        precision = tp / predicted_n if predicted_n else 0.0
        recall = tp / gold_n if gold_n else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                            "support": gold_n}
    correct = sum(g == p for g, p in pairs)
    macro = sum(per_class[label]["f1"] for label in present) / len(present) if present else 0.0
    return {"n": len(pairs), "accuracy": round(correct / len(pairs), 4) if pairs else 0.0,
            "macro_f1": round(macro, 4), "per_class": per_class, "confusion": matrix, "labels": list(labels)}


def by_language(langs: Sequence[str], gold: Sequence[str], predicted: Sequence[str],
                labels: Sequence[str]) -> dict[str, dict]:
    """Return one classification report per language (plus ``all``)."""
    reports = {"all": classification_report(gold, predicted, labels)}
    for lang in sorted(set(langs)):
        idx = [i for i, code in enumerate(langs) if code == lang]
        reports[lang] = classification_report([gold[i] for i in idx], [predicted[i] for i in idx], labels)
    return reports
