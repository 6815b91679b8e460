"""Score a pipeline's hashed bag-of-features text classifiers straight from their weights, in numpy.

``nlp.pipe`` runs each task's thinc model on its own: three feature lookups, three hashing passes, a dozen
layer calls and a ``doc.cats`` dict per doc. The tasks of one pipeline share their features, so this scorer
stacks the three weight tables side by side (one row per hash bucket, one column per label) and reads each
feature's two buckets once for all tasks. A word's own buckets and those of its character n-grams are added
up once per word and kept, so a mention costs one dict lookup per word plus its word pairs. The sums are the
ones ``SparseLinear`` computes (same MurmurHash buckets), in float64, so scores agree up to float rounding.
"""
from __future__ import annotations

import math
import threading
from collections.abc import Callable

import numpy
from spacy.attrs import ORTH
from spacy.language import Language

from nlp.architectures import MIX, char_keys, char_ngram_sizes, pair_keys

ARCHITECTURE = "superfan.TextCatHashedBOW.v1"
CACHE_LIMIT = 200_000  # words (and word pairs) whose summed weights are kept: 16 MB each for 20 labels
_C1, _C2, _FIVE, _N = (numpy.uint32(c) for c in (0xCC9E2D51, 0x1B873593, 5, 0xE6546B64))
_EIGHT, _F1, _F2 = (numpy.uint32(c) for c in (8, 0x85EBCA6B, 0xC2B2AE35))


def murmur_buckets(keys: numpy.ndarray, length: int) -> numpy.ndarray:
    """Return the two buckets thinc's ``SparseLinear`` reads per uint64 key: MurmurHash3_x86_32 with seeds 0
    and 1, modulo ``length``, as a (2, keys) array."""
    h = numpy.repeat(numpy.arange(2, dtype=numpy.uint32), len(keys))
    for half in (keys & 0xFFFFFFFF, keys >> 32):
        k = numpy.tile(half.astype(numpy.uint32), 2)
        k *= _C1
        k = (k << 15) | (k >> 17)
        k *= _C2
        h ^= k
        h = (h << 13) | (h >> 19)
        h *= _FIVE
        h += _N
    h ^= _EIGHT
    h ^= h >> 16
    h *= _F1
    h ^= h >> 13
    h *= _F2
    h ^= h >> 16
    return (h % numpy.uint32(length)).astype(numpy.intp).reshape(2, len(keys))


def segment_sums(values: numpy.ndarray, counts: numpy.ndarray) -> numpy.ndarray:
    """Return the float64 sum of each run of ``counts[i]`` consecutive rows (zero for empty runs).

    Every run is summed row after row, so a run's sum does not depend on the runs around it.
    """
    if len(counts) == 1:
        return values.sum(axis=0, dtype=numpy.float64, keepdims=True)
    starts = numpy.cumsum(counts) - counts
    if len(values) and counts.all():
        return numpy.add.reduceat(values, starts, axis=0, dtype=numpy.float64)
    out = numpy.zeros((len(counts), values.shape[1]), dtype=numpy.float64)
    filled = counts > 0
    if len(values):
        out[filled] = numpy.add.reduceat(values, starts[filled], axis=0, dtype=numpy.float64)
    return out


class KeyedSums:
    """Summed weight rows per uint64 key (a word, a word pair), computed on first sight and kept (bounded)."""

    def __init__(self, width: int, compute: Callable[[list[int]], numpy.ndarray], limit: int | None = None) -> None:
        self.width, self.compute, self.limit = width, compute, limit or CACHE_LIMIT
        self.rows: dict[int, int] = {}
        self.sums = numpy.zeros((1024, width), dtype=numpy.float32)

    def gather(self, keys: list[int]) -> numpy.ndarray:
        """Return the summed weights of each key, one row per key (call under the scorer's lock)."""
        rows = self.rows
        new = [key for key in keys if key not in rows]
        if new:
            if len(rows) + len(new) > self.limit:
                self.rows = rows = {}
                new = list(keys)
            new = list(dict.fromkeys(new))
            first = len(rows)
            if first + len(new) > len(self.sums):
                grown = numpy.zeros((2 * (first + len(new)), self.width), dtype=numpy.float32)
                grown[:first] = self.sums[:first]
                self.sums = grown
            self.sums[first:first + len(new)] = self.compute(new)
            rows.update(zip(new, range(first, first + len(new)), strict=True))
        return self.sums[[rows[key] for key in keys]]


class HashedBowScorer:
    """Probabilities of every task of a pipeline whose text classifiers are ``superfan.TextCatHashedBOW.v1``."""

    def __init__(self, pipeline: Language, tasks: list[str], settings: dict) -> None:
        self.vocab = pipeline.vocab
        self.ngram_size = settings["ngram_size"]
        self.char_sizes = char_ngram_sizes(settings["char_min"], settings["char_max"])
        self.char_weight = settings["char_weight"]
        self.columns: dict[str, tuple[slice, list[str], bool]] = {}  # task → its columns, labels, softmax?
        tables, biases, start = [], [], 0
        for task in tasks:
            component = pipeline.get_pipe(task)
            linear = component.model.get_ref("output_layer")
            n_out, self.length = linear.get_dim("nO"), linear.get_dim("length")
            tables.append(linear.get_param("W").reshape(n_out, self.length).T)
            biases.append(linear.get_param("b"))
            exclusive = pipeline.get_pipe_config(task)["model"].get("exclusive_classes", True)
            self.columns[task] = (slice(start, start + n_out), list(component.labels), exclusive)
            start += n_out
        self.table = numpy.ascontiguousarray(numpy.concatenate(tables, axis=1), dtype=numpy.float32)
        self.bias = numpy.concatenate(biases).astype(numpy.float64)
        self.words = KeyedSums(start, self._word_sums)
        self.pairs = KeyedSums(start, lambda keys: self._weights(numpy.array(keys, dtype=numpy.uint64)))
        self._lock = threading.Lock()

    @classmethod
    def from_pipeline(cls, pipeline: Language) -> HashedBowScorer | None:
        """Return a scorer for the pipeline, or None when its classifiers are not all of this one architecture."""
        configs = {name: dict(pipeline.get_pipe_config(name).get("model", {})) for name in pipeline.pipe_names}
        if not configs or any(c.get("@architectures") != ARCHITECTURE for c in configs.values()):
            return None
        defaults = {"ngram_size": 2, "char_min": 0, "char_max": 0, "char_weight": 1.0, "length": 262144}
        settings = [{key: c.get(key, value) for key, value in defaults.items()} for c in configs.values()]
        if any(s != settings[0] for s in settings):  # the tasks must share their features and table size
            return None
        return cls(pipeline, list(configs), settings[0])

    def _weights(self, keys: numpy.ndarray) -> numpy.ndarray:
        """Return each key's two weight rows added (float64), as SparseLinear adds them."""
        buckets = murmur_buckets(keys, self.length)
        return self.table[buckets[0]].astype(numpy.float64) + self.table[buckets[1]]

    def _word_sums(self, orths: list[int]) -> numpy.ndarray:
        """Return each word's weights plus ``char_weight`` times those of its character n-grams."""
        sums = self._weights(numpy.array(orths, dtype=numpy.uint64))
        if self.char_sizes:
            grams = [char_keys(self.vocab.strings[orth], self.char_sizes) for orth in orths]
            counts = numpy.fromiter((len(g) for g in grams), dtype=numpy.int64, count=len(grams))
            sums += self.char_weight * segment_sums(self._weights(numpy.concatenate(grams)), counts)
        return sums

    def logits(self, docs) -> numpy.ndarray:
        """Return the (docs x labels) scores before the softmax, all tasks side by side."""
        orths = [doc.to_array(ORTH).astype(numpy.uint64) for doc in docs]
        lengths = numpy.fromiter((len(o) for o in orths), dtype=numpy.int64, count=len(orths))
        words = numpy.concatenate(orths) if orths else numpy.zeros((0,), dtype=numpy.uint64)
        pairs = None
        if self.ngram_size >= 2 and len(orths) == 1:  # one mention: no bookkeeping of which doc a pair is in
            pairs, pair_counts = (words[:-1] * MIX) ^ words[1:], numpy.maximum(lengths - 1, 0)  # as pair_keys
        elif self.ngram_size >= 2 and len(words) > 1:
            pairs, pair_docs = pair_keys(words, numpy.repeat(numpy.arange(len(orths)), lengths))
            pair_counts = numpy.bincount(pair_docs, minlength=len(orths))
        with self._lock:
            scores = segment_sums(self.words.gather(words.tolist()), lengths)
            if pairs is not None:
                scores += segment_sums(self.pairs.gather(pairs.tolist()), pair_counts)
        return scores + self.bias

    def __call__(self, docs) -> list[dict[str, float]]:
        """Return each doc's probability per label of every task: what ``nlp.pipe`` puts in ``doc.cats``.

        A doc gets the very same numbers alone or in a batch: the sums run in the same order, and the
        softmax of its 20 numbers is plain Python (faster than a dozen tiny numpy calls for one mention).
        """
        return [self._probabilities(row) for row in self.logits(docs).tolist()]

    def _probabilities(self, scores: list[float]) -> dict[str, float]:
        result: dict[str, float] = {}
        for columns, labels, exclusive in self.columns.values():
            values = scores[columns]
            if exclusive:
                top = max(values)
                values = [math.exp(v - top) for v in values]
                total = sum(values)
                values = [v / total for v in values]
            else:
                values = [1.0 / (1.0 + math.exp(-v)) for v in values]
            result.update(zip(labels, values, strict=True))
        return result
