"""Score a pipeline's hashed bag-of-features text classifiers straight from their weights, in numpy.

``nlp.pipe`` runs each task's thinc model on its own: three feature passes, three hashing passes, a dozen
layer calls and a ``doc.cats`` dict per doc, and thinc's label-major weight table costs a cache miss per
label and feature. The tasks of one pipeline share their features, so this scorer lays the three weight
tables side by side (one 80-byte row of all 20 labels per hash bucket) and keeps, per word and per word pair,
its two bucket rows added, and per word the sum of its character n-grams' rows: a mention costs a table lookup
per word and word pair (``nlp.keyed_sums``, all of a batch's keys in a few numpy steps). The buckets are
``SparseLinear``'s (same MurmurHash), the sums run in float64, so probabilities agree with ``nlp.pipe`` up to float rounding; each doc is summed on
its own, so a mention gets bit for bit the same numbers alone and in any batch. For tf-idf classifiers each
kept row also carries the sum of its features' idf² (one more column): a doc's word and char parts are divided by
the square roots of their own sums, as ``nlp.architectures.batch_features`` normalises them.
"""
from __future__ import annotations

import threading
from collections.abc import Sequence
from itertools import chain

import numpy
from spacy.language import Language

from nlp.architectures import MIX, char_keys, char_ngram_sizes, get_idf, idf_of, pair_keys, same_idf
from nlp.keyed_sums import KeyedSums

ARCHITECTURE = "superfan.TextCatHashedBOW.v1"
_C1, _C2, _FIVE, _N = (numpy.uint32(c) for c in (0xCC9E2D51, 0x1B873593, 5, 0xE6546B64))
_EIGHT, _F1, _F2 = (numpy.uint32(c) for c in (8, 0x85EBCA6B, 0xC2B2AE35))


def murmur_buckets(keys: numpy.ndarray, length: int) -> numpy.ndarray:
    """Return the two buckets thinc's ``SparseLinear`` reads per uint64 key: MurmurHash3_x86_32 with seeds 0
    and 1, modulo ``length``, as a (2, keys) array."""
    h = numpy.zeros((2, len(keys)), dtype=numpy.uint32)
    h[1] = 1
    for half in (keys & 0xFFFFFFFF, keys >> 32):
        k = half.astype(numpy.uint32)
        k *= _C1
        k = (k << 15) | (k >> 17)
        k *= _C2
        h ^= k  # the same word of the key for both seeds
        h = (h << 13) | (h >> 19)
        h *= _FIVE
        h += _N
    h ^= _EIGHT
    h ^= h >> 16
    h *= _F1
    h ^= h >> 13
    h *= _F2
    h ^= h >> 16
    return (h % numpy.uint32(length)).astype(numpy.intp)


def segment_sums(values: numpy.ndarray, counts: numpy.ndarray) -> numpy.ndarray:
    """Return the float64 sum of each run of ``counts[i]`` consecutive rows (zero for empty runs).

    A run's sum depends only on its own rows (``reduceat`` sums each run on its own), so a doc scores the same
    alone and in any batch.
    """
    values = values.astype(numpy.float64, copy=False)
    starts = numpy.cumsum(counts) - counts
    if len(values) and counts.all():
        return numpy.add.reduceat(values, starts, axis=0)
    out = numpy.zeros((len(counts), values.shape[1]), dtype=numpy.float64)
    filled = counts > 0
    if len(values):
        out[filled] = numpy.add.reduceat(values, starts[filled], axis=0)
    return out


class HashedBowScorer:
    """Probabilities of every task of a pipeline whose text classifiers are ``superfan.TextCatHashedBOW.v1``."""

    def __init__(self, pipeline: Language, tasks: list[str], settings: dict) -> None:
        self.vocab = pipeline.vocab
        self.idf = get_idf(pipeline.get_pipe(tasks[0]).model) if settings.get("weighting") == "tfidf" else None
        self.ngram_size = settings["ngram_size"]
        self.char_sizes = char_ngram_sizes(settings["char_min"], settings["char_max"])
        self.char_weight = settings["char_weight"]
        self.labels: dict[str, list[str]] = {}  # task → its labels without the "task:" prefix, in column order
        weights, biases, exclusive, starts, start = [], [], [], [], 0
        for task in tasks:
            component = pipeline.get_pipe(task)
            linear = component.model.get_ref("output_layer")
            n_out, self.length = linear.get_dim("nO"), linear.get_dim("length")
            weights.append(linear.get_param("W").reshape(n_out, self.length))
            biases.append(linear.get_param("b"))
            exclusive += [pipeline.get_pipe_config(task)["model"].get("exclusive_classes", True)] * n_out
            self.labels[task] = [name.removeprefix(f"{task}:") for name in component.labels]
            starts.append(start)
            start += n_out
        self.spans = [(task, slice(begin, begin + len(names)), names)
                      for begin, (task, names) in zip(starts, self.labels.items(), strict=True)]
        self.starts = numpy.array(starts, dtype=numpy.intp)
        self.task_of = numpy.repeat(numpy.arange(len(starts)), [len(names) for names in self.labels.values()])
        self.logistic = ~numpy.array(exclusive, dtype=bool)  # columns of multi-label tasks (sigmoid, no softmax)
        # One row of all tasks' label weights per hash bucket: a feature's weights are two 80-byte reads, where
        # SparseLinear's label-major table costs a cache miss per label.
        self.table = numpy.ascontiguousarray(numpy.concatenate(weights).T, dtype=numpy.float32)
        self.bias = numpy.concatenate(biases).astype(numpy.float64)
        # Kept rows: a word's or word pair's two weight rows added; a word's char n-grams' rows summed.
        self.width = start
        width = start + (self.idf is not None)  # tf-idf: one more column, the features' summed idf²
        self.features = KeyedSums(width, self._weights)
        self.chars = KeyedSums(width, self._char_sums) if self.char_sizes else None
        self._lock = threading.Lock()

    @classmethod
    def from_pipeline(cls, pipeline: Language) -> HashedBowScorer | None:
        """Return a scorer for the pipeline, or None when its classifiers are not all of this one architecture."""
        configs = {name: dict(pipeline.get_pipe_config(name).get("model", {})) for name in pipeline.pipe_names}
        if not configs or any(c.get("@architectures") != ARCHITECTURE for c in configs.values()):
            return None
        defaults = {"ngram_size": 2, "char_min": 0, "char_max": 0, "char_weight": 1.0, "length": 262144,
                    "weighting": "count"}
        settings = [{key: c.get(key, value) for key, value in defaults.items()} for c in configs.values()]
        if any(s != settings[0] for s in settings):  # the tasks must share their features and table size
            return None
        idfs = [get_idf(pipeline.get_pipe(name).model) for name in configs]
        if not all(same_idf(idf, idfs[0]) for idf in idfs):  # the tasks must share one idf table too
            return None
        return cls(pipeline, list(configs), settings[0])

    def _weights(self, keys: numpy.ndarray) -> numpy.ndarray:
        """Return each key's two weight rows added (float64), as SparseLinear adds them; for tf-idf, times the
        key's idf, followed by its idf²."""
        buckets = murmur_buckets(keys, self.length)
        rows = numpy.take(self.table, buckets[0], axis=0).astype(numpy.float64) + numpy.take(self.table, buckets[1], axis=0)
        if self.idf is None:
            return rows
        idf = idf_of(keys, self.idf).astype(numpy.float64)[:, None]
        return numpy.hstack([rows * idf, idf * idf])

    def _char_sums(self, orths: numpy.ndarray) -> numpy.ndarray:
        """Return ``char_weight`` times the summed weights of each word's character n-grams (not the idf²)."""
        grams = [char_keys(self.vocab.strings[orth], self.char_sizes) for orth in orths.tolist()]
        counts = numpy.fromiter((len(g) for g in grams), dtype=numpy.int64, count=len(grams))
        sums = segment_sums(self._weights(numpy.concatenate(grams)), counts)
        sums[:, :self.width] *= self.char_weight
        return sums

    def _normalised(self, sums: numpy.ndarray) -> numpy.ndarray:
        """Return a tf-idf block's label sums divided by the square root of its idf² sum (kept when 0)."""
        norms = numpy.sqrt(sums[:, -1:])
        norms[norms == 0] = 1.0
        return sums[:, :-1] / norms

    def logits(self, token_ids: Sequence[Sequence[int]]) -> numpy.ndarray:
        """Return the (docs x labels) scores before the softmax, all tasks side by side."""
        lengths = numpy.fromiter((len(ids) for ids in token_ids), dtype=numpy.int64, count=len(token_ids))
        word_list = list(chain.from_iterable(token_ids))
        words = numpy.array(word_list, dtype=numpy.uint64)
        if self.ngram_size < 2 or len(words) < 2:
            keys, counts = words, lengths
        elif len(token_ids) == 1:  # one mention: no bookkeeping of which doc a pair is in
            keys, counts = numpy.concatenate([words, (words[:-1] * MIX) ^ words[1:]]), 2 * lengths - 1  # as pair_keys
        else:  # each doc's words, then its word pairs, doc after doc
            word_docs = numpy.repeat(numpy.arange(len(token_ids)), lengths)
            pairs, pair_docs = pair_keys(words, word_docs)
            order = numpy.argsort(numpy.concatenate([word_docs, pair_docs]), kind="stable")
            keys = numpy.concatenate([words, pairs])[order]
            counts = lengths + numpy.bincount(pair_docs, minlength=len(token_ids))
        with self._lock:
            scores = segment_sums(self.features.gather(keys), counts)
            chars = segment_sums(self.chars.gather(words), lengths) if self.chars is not None else None
        if self.idf is not None:
            scores = self._normalised(scores) + (self._normalised(chars) if chars is not None else 0.0)
        elif chars is not None:
            scores += chars
        return scores + self.bias

    def __call__(self, token_ids: Sequence[Sequence[int]]) -> list[dict[str, dict[str, float]]]:
        """Return each doc's probabilities per task and label (the numbers ``nlp.pipe`` puts in ``doc.cats``).

        ``token_ids`` are each doc's ORTH ids. A doc gets the very same numbers alone or in a batch: every
        row is summed and normalised on its own.
        """
        scores = numpy.ascontiguousarray(self.logits(token_ids).T)  # labels x docs: the softmax runs down columns
        shifted = numpy.exp(scores - numpy.maximum.reduceat(scores, self.starts, axis=0)[self.task_of])
        probabilities = shifted / numpy.add.reduceat(shifted, self.starts, axis=0)[self.task_of]
        if self.logistic.any():
            probabilities[self.logistic] = 1.0 / (1.0 + numpy.exp(-scores[self.logistic]))
        # zip without a keyword: the lengths match by construction, and any keyword (even strict=False) sends
        # zip down CPython's slow call path: ~2 µs a mention here
        per_task = [[dict(zip(names, values)) for values in probabilities[span].T.tolist()]  # noqa: B905
                    for _, span, names in self.spans]
        return [dict(zip(self.labels, by_task)) for by_task in zip(*per_task)]  # noqa: B905
