"""The accurate model's tf-idf features: the idf is counted on the training docs and saved with the model."""
from __future__ import annotations

import numpy
import pytest

from nlp.architectures import batch_features, fit_idf, get_idf
from nlp.fitting import predict, train_pipeline
from nlp.models import load_model, model_dir, save_model
from nlp.pipeline import build_pipeline
from tests.nlp.conftest import small_training_set


def docs(texts):
    pipeline = build_pipeline("accurate", ("topic",))
    return [pipeline.make_doc(text) for text in texts]


def test_rare_features_weigh_more_and_unseen_ones_nothing():
    idf = fit_idf(*batch_features(docs(["die karte", "die app", "die rechnung"]), 2, ())[::2])
    keys, values, _ = batch_features(docs(["die karte neu"]), 2, (), idf=idf)
    weights = dict(zip(keys.tolist(), values.tolist(), strict=True))
    die, karte, neu = (docs([word])[0][0].orth for word in ("die", "karte", "neu"))
    assert weights[karte] > weights[die] > 0
    assert weights[neu] == 0.0


def test_each_docs_word_and_char_blocks_have_unit_length():
    texts = ["Meine Karte wurde gesperrt", "App stürzt ab", "Danke für die schnelle Hilfe"]
    idf = fit_idf(*batch_features(docs(texts), 2, (3, 4, 5))[::2])
    words_only = batch_features(docs(texts), 2, (), idf=idf)
    keys, values, counts = batch_features(docs(texts), 2, (3, 4, 5), idf=idf)
    doc_of = numpy.repeat(numpy.arange(len(texts)), counts)
    word_counts = words_only[2]
    for doc in range(len(texts)):
        mine = values[doc_of == doc]
        words, chars = mine[:word_counts[doc]], mine[word_counts[doc]:]
        assert float((words ** 2).sum()) == pytest.approx(1.0, rel=1e-5)
        assert float((chars ** 2).sum()) == pytest.approx(1.0, rel=1e-5)


def test_the_idf_is_saved_with_the_model_and_reloaded(tmp_path):
    examples = small_training_set(per_topic=5)
    pipeline = train_pipeline("accurate", examples, epochs=2)
    keys, values = get_idf(pipeline.get_pipe("topic").model)
    assert len(keys) > 1000 and values.min() >= 1.0
    save_model(pipeline, model_dir(tmp_path, "accurate"), {"kind": "accurate"})
    loaded, _ = load_model(model_dir(tmp_path, "accurate"))
    for task in loaded.pipe_names:
        loaded_keys, loaded_values = get_idf(loaded.get_pipe(task).model)
        assert numpy.array_equal(loaded_keys, keys) and numpy.array_equal(loaded_values, values)
    texts = [e.text for e in examples[:20]]
    assert predict(loaded, texts) == predict(pipeline, texts)


def test_sgd_fits_the_training_texts():
    examples = small_training_set(per_topic=5)
    pipeline = train_pipeline("accurate", examples, tasks=("topic",), epochs=5)
    topics = [max(p["topic"], key=p["topic"].get) for p in predict(pipeline, [e.text for e in examples])]
    assert numpy.mean([t == e.topic for t, e in zip(topics, examples, strict=True)]) > 0.9
