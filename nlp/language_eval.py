"""Measure language identification on labeled short texts (corpus texts and ``data/lang_eval.jsonl``)."""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from nlp.corpus import CORPUS_DIR, load_corpus
from nlp.language import detect_language
from nlp.text import clean_text

LANG_EVAL = Path(__file__).resolve().parent / "data" / "lang_eval.jsonl"
SHORT = 80  # characters: a tweet-length mention


def labeled_texts(corpus_dir: Path = CORPUS_DIR) -> list[tuple[str, str]]:
    """Return (text, language) pairs: the corpus (de/en) plus hand-written fr/es/it/nl/other sentences."""
    rows = [(e.text, e.lang) for e in load_corpus(corpus_dir)]
    rows += [(r["text"], r["lang"]) for r in map(json.loads, LANG_EVAL.read_text(encoding="utf-8").splitlines())]
    return rows


def language_accuracy(rows: Iterable[tuple[str, str]]) -> dict:
    """Return accuracy per language, overall and on short texts (≤ SHORT characters), with the confusions."""
    stats: dict[str, dict] = {}
    confusions: dict[str, int] = {}
    for text, lang in rows:
        predicted, _ = detect_language(clean_text(text))
        for key in (lang, "all", "short" if len(text) <= SHORT else None):
            if key:
                entry = stats.setdefault(key, {"n": 0, "correct": 0})
                entry["n"] += 1
                entry["correct"] += predicted == lang
        if predicted != lang:
            confusions[f"{lang}→{predicted}"] = confusions.get(f"{lang}→{predicted}", 0) + 1
    return {"accuracy": {k: round(v["correct"] / v["n"], 4) for k, v in stats.items()},
            "n": {k: v["n"] for k, v in stats.items()}, "confusions": confusions}
