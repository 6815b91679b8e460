"""The numpy scorer reads the trained text classifiers exactly as ``nlp.pipe`` does, alone or in batches."""
from __future__ import annotations

import dataclasses

import pytest
import spacy

from community.domain.model import RawPost
from nlp.classifier import SpacyClassifier
from nlp.corpus import load_corpus, split
from nlp.models import load_model, model_dir
from nlp.scoring import HashedBowScorer
from nlp.text import clean_text, model_text
from tests.nlp.conftest import BRANDS


@pytest.fixture(scope="module")
def texts() -> list[str]:
    _, test = split(load_corpus())
    odd = ["x", "!!!", "Kündigung", "😀 ok", "www.example.org and https://kolibri.example/a", "a " * 400]
    return [" ".join(e.text.split()[:40]) for e in test[::9]] + odd


def docs_of(pipeline, texts):
    return [pipeline.make_doc(model_text(clean_text(t))) for t in texts]


@pytest.mark.parametrize("kind", ["fast", "accurate"])
def test_scores_are_those_of_the_spacy_pipeline(small_models, texts, kind):
    pipeline, _ = load_model(model_dir(small_models, kind))
    docs = [d for d in docs_of(pipeline, texts) if len(d)]
    scorer = HashedBowScorer.from_pipeline(pipeline)
    expected = [dict(doc.cats) for doc in pipeline.pipe(docs)]
    got = scorer(docs)
    assert [sorted(g) for g in got] == [sorted(e) for e in expected]
    for g, e in zip(got, expected, strict=True):
        assert g == pytest.approx(e, abs=1e-5)
        for task in ("topic:", "urgency:", "sentiment:"):
            best = max((k for k in e if k.startswith(task)), key=e.get)
            assert g[best] == pytest.approx(max(v for k, v in g.items() if k.startswith(task)), abs=1e-6)


@pytest.mark.parametrize("kind", ["fast", "accurate"])
def test_a_mention_scores_the_same_alone_and_in_a_batch(small_models, texts, kind):
    pipeline, _ = load_model(model_dir(small_models, kind))
    docs = docs_of(pipeline, texts) + [pipeline.make_doc("")]
    batch = HashedBowScorer.from_pipeline(pipeline)(docs)
    fresh = HashedBowScorer.from_pipeline(pipeline)  # nothing cached yet: each word is summed on its own
    assert [fresh([doc])[0] for doc in reversed(docs)] == batch[::-1]


def test_forgetting_cached_words_changes_nothing(small_models, texts, monkeypatch):
    pipeline, _ = load_model(model_dir(small_models, "accurate"))
    docs = docs_of(pipeline, texts)
    expected = HashedBowScorer.from_pipeline(pipeline)(docs)
    monkeypatch.setattr("nlp.scoring.CACHE_LIMIT", 50)
    small = HashedBowScorer.from_pipeline(pipeline)
    assert [small(docs[i:i + 7]) for i in range(0, len(docs), 7)] == [expected[i:i + 7] for i in range(0, len(docs), 7)]
    assert len(small.words.rows) < 50 + 7 * 60


def test_other_architectures_are_left_to_spacy():
    pipeline = spacy.blank("xx")
    pipeline.add_pipe("textcat", name="topic")
    assert HashedBowScorer.from_pipeline(pipeline) is None
    assert HashedBowScorer.from_pipeline(spacy.blank("xx")) is None


@pytest.mark.parametrize("kind", ["fast", "accurate"])
def test_analyses_through_the_scorer_equal_those_through_nlp_pipe(small_models, texts, kind):
    posts = [RawPost(source="t", external_id=str(i), url="", title="", text=t) for i, t in enumerate(texts)]
    scored = SpacyClassifier.load(small_models, kind=kind, brands=BRANDS)
    piped = SpacyClassifier.load(small_models, kind=kind, brands=BRANDS)
    piped.scorer = None
    assert scored.scorer is not None
    fast, slow = scored.analyse_many(posts), piped.analyse_many(posts)
    rounded = [dataclasses.replace(a, topic_confidence=0.0, sentiment_score=0.0) for a in fast]
    assert rounded == [dataclasses.replace(a, topic_confidence=0.0, sentiment_score=0.0) for a in slow]
    assert [a.topic_confidence for a in fast] == pytest.approx([a.topic_confidence for a in slow], abs=1e-5)
    assert [a.sentiment_score for a in fast] == pytest.approx([a.sentiment_score for a in slow], abs=1e-5)
    assert [scored.analyse(p) for p in posts] == fast
