"""A small model trained once per test session (a few hundred corpus examples, a few epochs)."""
from __future__ import annotations

import pytest

from nlp.corpus import TOPICS, corpus_hash, load_corpus, split
from nlp.fitting import train_pipeline
from nlp.models import MODEL_VERSION, model_dir, save_model

BRANDS = [{"name": "Kolibri", "aliases": ["Kolibri Shop"], "products": ["Pulse Watch 2", "Aero Buds", "Kühlbox Mini"]}]


def small_training_set(per_topic: int = 15):
    """Return a few training examples per topic (never from the held-out split)."""
    train, _ = split(load_corpus())
    taken: dict[str, int] = {}
    chosen = []
    for example in train:
        if taken.get(example.topic, 0) < per_topic:
            taken[example.topic] = taken.get(example.topic, 0) + 1
            chosen.append(example)
    assert set(taken) == set(TOPICS), "the corpus must hold every topic"
    return chosen


@pytest.fixture(scope="session")
def small_models(tmp_path_factory):
    """Return a models directory holding small 'fast' and 'accurate' models."""
    path = tmp_path_factory.mktemp("models")
    examples = small_training_set()
    for kind in ("fast", "accurate"):
        pipeline = train_pipeline(kind, examples, epochs=2)
        save_model(pipeline, model_dir(path, kind), {"kind": kind, "version": MODEL_VERSION, "data_hash": "test",
                                                     "corpus_hash": corpus_hash()})
    return path
