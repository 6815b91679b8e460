"""spaCy pipelines: a blank multilingual tokenizer plus one exclusive ``textcat`` per task."""
from __future__ import annotations

import spacy
from spacy.language import Language

import nlp.architectures  # noqa: F401  (registers superfan.TextCatHashedBOW.v1 before models are built or loaded)
from nlp.corpus import SENTIMENTS, TOPICS, URGENCY_LEVELS

TASKS = {"topic": TOPICS, "urgency": URGENCY_LEVELS, "sentiment": SENTIMENTS}
KINDS = ("fast", "accurate")

# accurate: tf-idf values, words+pairs and char n-grams normalised each on their own (so char_weight 1), fitted
# by ``nlp.fitting``'s SGD (5-fold CV of the training split, topic macro-F1 0.851 vs 0.833 for the count-weighted
# model with char_weight 0.3 and Adam; nlp/README.md).
_MODELS = {
    "fast": {"@architectures": "superfan.TextCatHashedBOW.v1", "exclusive_classes": True, "ngram_size": 2,
             "char_min": 0, "char_max": 0, "length": 131072},
    "accurate": {"@architectures": "superfan.TextCatHashedBOW.v1", "exclusive_classes": True, "ngram_size": 2,
                 "char_min": 3, "char_max": 5, "length": 262144, "char_weight": 1.0,
                 "weighting": "tfidf"},
}


def label(task: str, value: str) -> str:
    """Return the ``doc.cats`` key of one task's label (tasks share ``doc.cats``, so labels are prefixed)."""
    return f"{task}:{value}"


def build_pipeline(kind: str, tasks: tuple[str, ...] | list[str] = tuple(TASKS)) -> Language:
    """Return an untrained pipeline of the given kind (``fast`` bag-of-words or ``accurate`` char n-grams)."""
    if kind not in _MODELS:
        raise ValueError(f"unknown model kind {kind!r}; expected one of {', '.join(KINDS)}")
    pipeline = spacy.blank("xx")
    for task in tasks:
        values = TASKS[task]
        component = pipeline.add_pipe("textcat", name=task, config={"model": dict(_MODELS[kind])})
        for value in values:
            component.add_label(label(task, value))
    return pipeline
