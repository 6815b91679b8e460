"""Fit a pipeline: one exclusive text classifier per task, each trained on the examples that carry its label.

The loop drives each textcat's thinc model directly (spaCy's own loss: squared error on the class
probabilities) so that one tokenised doc serves every task and no per-task Example copies are needed.
Tf-idf classifiers (the accurate model) are fitted differently: the idf is counted on the training docs, the
features of all docs are extracted once, and each task's softmax is fitted by plain SGD (``nlp.linear_sgd``).
"""
from __future__ import annotations

import random
from collections.abc import Callable, Sequence

import numpy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from thinc.api import Adam

from nlp.architectures import char_ngram_sizes, feature_values, fit_idf, get_idf, hashed_features, set_idf
from nlp.corpus import LabeledText
from nlp.linear_sgd import HashedSoftmaxSGD, runs
from nlp.pipeline import TASKS, build_pipeline, label
from nlp.text import clean_text, model_text

# fast: Adam. accurate (tf-idf): plain SGD, rate decaying linearly from 20 to 0 over 15 epochs (5-fold CV of the
# training split, topic macro-F1: 0.851; 10 epochs at 10: 0.847; 20 at 10: 0.851; Adam 10 epochs at 0.01: 0.840).
EPOCHS = {"fast": 8, "accurate": 15}
BATCH_SIZE = 64
LEARN_RATES = {"fast": 0.002, "accurate": 20.0}
SEED = 4
USE_AVERAGES = False
LOSS = "cross_entropy"
# Per task, the share of words left out of each training doc, drawn anew for every batch (0: off). Topic 0.15
# (dev-slice topic macro-F1, mean of 3 seeds: accurate 0.845 -> 0.852 with 8 epochs, fast 0.749 -> 0.764).
# Adam-fitted models only: the SGD of tf-idf models sees every doc whole.
WORD_DROPOUT = {"topic": 0.15}


def prepare(pipeline: Language, text: str):
    """Return the doc a pipeline's classifiers read for a raw text."""
    return pipeline.make_doc(model_text(clean_text(text)))


def _gradient(scores: numpy.ndarray, gold: numpy.ndarray) -> numpy.ndarray:
    """Return d(loss)/d(probabilities): cross-entropy (so the logits get p - y) or spaCy's squared error."""
    if LOSS == "cross_entropy":
        return (-gold / numpy.maximum(scores, 1e-4) / len(gold)).astype("f")
    return scores - gold


def _task_data(docs: list, examples: Sequence[LabeledText], task: str) -> tuple[list, numpy.ndarray]:
    values = TASKS[task]
    rows = [(doc, values.index(getattr(e, task))) for doc, e in zip(docs, examples, strict=True) if getattr(e, task) is not None]
    truth = numpy.zeros((len(rows), len(values)), dtype="f")
    truth[numpy.arange(len(rows)), [index for _, index in rows]] = 1.0
    return [doc for doc, _ in rows], truth


def _dropped(pipeline: Language, docs: list, rate: float, rng: random.Random) -> list:
    """Return copies of docs with each word left out with probability ``rate`` (at least one word stays)."""
    if not rate:
        return docs
    copies = []
    for doc in docs:
        words = [token.text for token in doc if rng.random() >= rate] or [token.text for token in doc[:1]]
        copies.append(Doc(pipeline.vocab, words=words))
    return copies


def _initialize(pipeline: Language, task: str, docs: list, truth: numpy.ndarray) -> None:
    sample = []
    for doc, row in zip(docs[:10], truth[:10], strict=True):
        reference = doc.copy()
        reference.cats = {label(task, v): float(row[i]) for i, v in enumerate(TASKS[task])}
        sample.append(Example(doc, reference))
    pipeline.get_pipe(task).initialize(lambda: sample, nlp=pipeline)


def train_pipeline(kind: str, examples: Sequence[LabeledText], *, epochs: int | None = None,
                   learn_rate: float | None = None, tasks: Sequence[str] = tuple(TASKS),
                   on_epoch: Callable[[str, int, dict], None] | None = None) -> Language:
    """Return a pipeline of ``kind`` trained on ``examples``; ``on_epoch(kind, epoch, losses)`` reports progress."""
    pipeline = build_pipeline(kind, tasks)
    docs = [prepare(pipeline, e.text) for e in examples]
    data = {task: _task_data(docs, examples, task) for task in tasks}
    for task, (task_docs, truth) in data.items():
        if not task_docs:
            raise ValueError(f"no training examples carry a {task} label")
        _initialize(pipeline, task, task_docs, truth)
    if get_idf(pipeline.get_pipe(tasks[0]).model) is not None:
        _fit_tfidf(pipeline, kind, docs, data, epochs or EPOCHS[kind], learn_rate or LEARN_RATES[kind], on_epoch)
        return pipeline
    optimizer = Adam(learn_rate or LEARN_RATES[kind], use_averages=USE_AVERAGES)
    rng = random.Random(SEED)
    for epoch in range(epochs or EPOCHS[kind]):
        losses: dict[str, float] = {}
        for task, (task_docs, truth) in data.items():
            model = pipeline.get_pipe(task).model
            order = list(range(len(task_docs)))
            rng.shuffle(order)
            for start in range(0, len(order), BATCH_SIZE):
                batch = order[start:start + BATCH_SIZE]
                batch_docs = _dropped(pipeline, [task_docs[i] for i in batch], WORD_DROPOUT.get(task, 0.0), rng)
                scores, backprop = model.begin_update(batch_docs)
                gold = truth[batch]
                losses[task] = losses.get(task, 0.0) + float(-(gold * numpy.log(scores + 1e-9)).sum(axis=1).mean())
                backprop(_gradient(scores, gold))
                model.finish_update(optimizer)
        if on_epoch:
            on_epoch(kind, epoch + 1, losses)
    return pipeline


def _fit_tfidf(pipeline: Language, kind: str, docs: list, data: dict, epochs: int, learn_rate: float,
               on_epoch: Callable[[str, int, dict], None] | None) -> None:
    """Count the idf on all training docs, store it in every task's classifier, fit each task by SGD."""
    config = pipeline.get_pipe_config(next(iter(data)))["model"]
    sizes = char_ngram_sizes(config.get("char_min", 0), config.get("char_max", 0))
    keys, doc_ids, is_char, counts = hashed_features(docs, config.get("ngram_size", 2), sizes)  # once for all tasks
    idf = fit_idf(keys, counts)
    features = keys, feature_values(keys, doc_ids, is_char, len(docs), config.get("char_weight", 1.0), idf), counts
    row_of = {id(doc): row for row, doc in enumerate(docs)}
    fits = {}
    for task, (task_docs, truth) in data.items():
        model = pipeline.get_pipe(task).model
        set_idf(model, idf)
        length = model.get_ref("output_layer").get_dim("length")
        steps = epochs * -(-len(task_docs) // BATCH_SIZE)
        rows = _docs_features(features, [row_of[id(doc)] for doc in task_docs])
        fits[task] = HashedSoftmaxSGD(rows, truth, length, learn_rate, steps, BATCH_SIZE)
    rng = numpy.random.default_rng(SEED)
    for epoch in range(epochs):
        losses = {task: fit.epoch(rng) for task, fit in fits.items()}
        if on_epoch:
            on_epoch(kind, epoch + 1, losses)
    for task, fit in fits.items():
        fit.store(pipeline.get_pipe(task).model)


def _docs_features(features: tuple, rows: list[int]) -> tuple:
    """Return ``batch_features`` output restricted to these docs (in this order)."""
    keys, values, counts = features
    entries = runs((numpy.cumsum(counts) - counts)[rows], counts[rows])
    return keys[entries], values[entries], counts[rows]


def predict(pipeline: Language, texts: Sequence[str], batch_size: int = 256) -> list[dict[str, dict[str, float]]]:
    """Return, per text, each task's label probabilities."""
    docs = (prepare(pipeline, text) for text in texts)
    return [{task: {v: doc.cats.get(label(task, v), 0.0) for v in TASKS[task]} for task in pipeline.pipe_names}
            for doc in pipeline.pipe(docs, batch_size=batch_size)]
