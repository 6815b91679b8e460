"""The numpy scorer reads the trained text classifiers exactly as ``nlp.pipe`` does, alone or in batches."""
from __future__ import annotations

import dataclasses
import random

import pytest
import spacy

from community.domain.model import RawPost
from nlp.classifier import SpacyClassifier
from nlp.corpus import load_corpus, split
from nlp.models import load_model, model_dir
from nlp.scoring import HashedBowScorer
from nlp.text import clean_text, model_text
from nlp.tokens import ChunkTokenizer
from tests.nlp.conftest import BRANDS


@pytest.fixture(scope="module")
def texts() -> list[str]:
    _, test = split(load_corpus())
    odd = ["x", "!!!", "Kündigung", "😀 ok", "www.example.org and https://kolibri.example/a", "a " * 400]
    return [" ".join(e.text.split()[:40]) for e in test[::9]] + odd


def cats(probabilities: dict[str, dict[str, float]]) -> dict[str, float]:
    return {f"{task}:{value}": p for task, values in probabilities.items() for value, p in values.items()}


def docs_of(pipeline, texts):
    return [pipeline.make_doc(model_text(clean_text(t))) for t in texts]


def ids(docs):
    return [doc.to_array("ORTH").tolist() for doc in docs]


@pytest.mark.parametrize("kind", ["fast", "accurate"])
def test_scores_are_those_of_the_spacy_pipeline(small_models, texts, kind):
    pipeline, _ = load_model(model_dir(small_models, kind))
    docs = [d for d in docs_of(pipeline, texts) if len(d)]
    scorer = HashedBowScorer.from_pipeline(pipeline)
    expected = [dict(doc.cats) for doc in pipeline.pipe(docs)]
    got = [cats(p) for p in scorer(ids(docs))]
    assert [sorted(g) for g in got] == [sorted(e) for e in expected]
    for g, e in zip(got, expected, strict=True):
        assert g == pytest.approx(e, abs=1e-5)
        for task in ("topic:", "urgency:", "sentiment:"):
            best = max((k for k in e if k.startswith(task)), key=e.get)
            assert g[best] == pytest.approx(max(v for k, v in g.items() if k.startswith(task)), abs=1e-6)


@pytest.mark.parametrize("kind", ["fast", "accurate"])
def test_a_mention_scores_the_same_alone_and_in_a_batch(small_models, texts, kind):
    pipeline, _ = load_model(model_dir(small_models, kind))
    docs = ids(docs_of(pipeline, texts)) + [[]]
    batch = HashedBowScorer.from_pipeline(pipeline)(docs)
    fresh = HashedBowScorer.from_pipeline(pipeline)  # nothing cached yet: each word is summed on its own
    assert [fresh([doc])[0] for doc in reversed(docs)] == batch[::-1]


def test_forgetting_cached_words_changes_nothing(small_models, texts, monkeypatch):
    pipeline, _ = load_model(model_dir(small_models, "accurate"))
    docs = ids(docs_of(pipeline, texts))
    expected = HashedBowScorer.from_pipeline(pipeline)(docs)
    monkeypatch.setattr("nlp.keyed_sums.CACHE_LIMIT", 50)
    small = HashedBowScorer.from_pipeline(pipeline)
    assert [small(docs[i:i + 7]) for i in range(0, len(docs), 7)] == [expected[i:i + 7] for i in range(0, len(docs), 7)]
    assert len(small.chars) < 50 + 7 * 60


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


def test_a_pipeline_without_the_topic_task_reads_zero_topic_probabilities(small_models, texts):
    posts = [RawPost(source="t", external_id=str(i), url="", title="", text=t) for i, t in enumerate(texts[:40])]
    pipeline, _ = load_model(model_dir(small_models, "accurate"))
    pipeline.remove_pipe("topic")
    scored, piped = SpacyClassifier(pipeline), SpacyClassifier(pipeline)
    piped.scorer = None
    fast, slow = scored.urgency_inputs(posts), piped.urgency_inputs(posts)
    assert [signals for _, signals in fast] == [signals for _, signals in slow]
    for (got, _), (expected, _) in zip(fast, slow, strict=True):
        assert list(got) == list(expected)
        assert got and set(got["topic"].values()) == {0.0}
        assert cats(got) == pytest.approx(cats(expected), abs=1e-5)


def test_token_ids_are_those_of_make_doc_even_around_emoticons_and_abbreviations():
    pipeline = spacy.blank("xx")
    tokens = ChunkTokenizer(pipeline)
    specials = [k for k in pipeline.tokenizer.rules if not k.isspace()]
    pieces = specials + [":", ")", "(", "'", "-", ".", ",", "!", "z.b.", "usw.", "'s", "n't", "10km", "5€", "😀", "a", "x"]
    rng = random.Random(4)
    soup = [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(3000)]
    soup += [" ".join("".join(rng.choice(pieces) for _ in range(rng.randint(1, 3))) for _ in range(4)) for _ in range(3000)]
    texts = [model_text(clean_text(e.text)) for e in load_corpus()[::4]] + soup + [""]
    assert [tokens(t) for t in texts + texts] == [pipeline.make_doc(t).to_array("ORTH").tolist() for t in texts + texts]


def test_kept_chunks_and_language_words_cost_the_garbage_collector_nothing(small_models, texts):
    """Long-running and forked workers keep ~100,000 chunks and words: as tracked containers every full collection
    walked them all (2 workers ran ~40 % slower); kept as tuples of ints the collector drops them."""
    import gc

    from nlp.language import _identifier, detect_language

    pipeline, _ = load_model(model_dir(small_models, "fast"))
    tokens = ChunkTokenizer(pipeline)
    for text in texts:
        tokens(model_text(clean_text(text)))
        detect_language(clean_text(text))  # one at a time: the word-by-word walk keeps each word's outcome
    gc.collect()
    words = _identifier()._words
    assert tokens.chunks and words
    assert not any(map(gc.is_tracked, tokens.chunks.values()))
    assert not any(map(gc.is_tracked, words.values()))
