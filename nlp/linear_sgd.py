"""Fit a softmax layer over hashed features with plain mini-batch SGD, in numpy, straight into thinc's weights.

Used for the tf-idf classifiers (``weighting="tfidf"``): their feature values are normalised per doc, and on
those plain SGD with a large, linearly decaying rate gets much closer to the loss minimum than thinc's Adam
(5-fold CV of the training split: topic macro-F1 0.851 vs 0.840 for Adam on the same features, nlp/README.md).
Each step reads and updates only the hash buckets the batch touches; a key's weights are the sum of its two
buckets, as in ``SparseLinear``.
"""
from __future__ import annotations

import numpy
from thinc.api import Model

from nlp.scoring import murmur_buckets, segment_sums


class HashedSoftmaxSGD:
    """Softmax regression over one task's docs, given as ``batch_features`` output (keys, values, counts)."""

    def __init__(self, features: tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray], truth: numpy.ndarray,
                 length: int, learn_rate: float, total_steps: int, batch_size: int) -> None:
        keys, self.values, self.counts = features
        self.buckets = murmur_buckets(keys, length)
        self.starts = numpy.cumsum(self.counts) - self.counts
        self.truth = truth
        self.weights = numpy.zeros((length, truth.shape[1]), dtype=numpy.float32)  # one row of labels per bucket
        self.bias = numpy.zeros(truth.shape[1], dtype=numpy.float32)
        self.learn_rate, self.total_steps, self.batch_size, self.steps = learn_rate, max(total_steps, 1), batch_size, 0

    def epoch(self, rng: numpy.random.Generator) -> float:
        """Run one pass over the docs in a random order; return the mean cross-entropy seen on the way."""
        loss = 0.0
        order = rng.permutation(len(self.truth))
        for begin in range(0, len(order), self.batch_size):
            loss += self._step(order[begin:begin + self.batch_size]) * min(self.batch_size, len(order) - begin)
        return loss / max(len(order), 1)

    def _step(self, batch: numpy.ndarray) -> float:
        lengths = self.counts[batch]
        entries = numpy.concatenate([numpy.arange(s, s + n) for s, n in zip(self.starts[batch], lengths, strict=True)])
        first, second, values = self.buckets[0][entries], self.buckets[1][entries], self.values[entries]
        rows = (self.weights[first] + self.weights[second]) * values[:, None]
        logits = segment_sums(rows, lengths) + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        probabilities = numpy.exp(logits)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        gold = self.truth[batch]
        loss = float(-(gold * numpy.log(probabilities + 1e-9)).sum(axis=1).mean())
        residual = ((probabilities - gold) / len(batch)).astype(numpy.float32)
        per_entry = residual[numpy.repeat(numpy.arange(len(batch)), lengths)] * values[:, None]
        touched, where = numpy.unique(numpy.concatenate([first, second]), return_inverse=True)
        gradient = numpy.zeros((len(touched), residual.shape[1]), dtype=numpy.float32)
        numpy.add.at(gradient, where, numpy.concatenate([per_entry, per_entry]))
        rate = numpy.float32(self.learn_rate * (1.0 - self.steps / self.total_steps))
        self.steps += 1
        self.weights[touched] -= rate * gradient
        self.bias -= rate * residual.sum(axis=0)
        return loss

    def store(self, model: Model) -> None:
        """Write the fitted weights into the classifier's ``SparseLinear`` layer (label-major, as thinc keeps them)."""
        linear = model.get_ref("output_layer")
        shape = linear.get_param("W").shape
        linear.set_param("W", numpy.ascontiguousarray(self.weights.T).reshape(shape))
        linear.set_param("b", self.bias.copy())
