"""The tf-idf classifiers' SGD step is exact softmax-regression SGD over the hashed features."""
import numpy

from nlp.linear_sgd import HashedSoftmaxSGD
from nlp.scoring import murmur_buckets


def dense_step(weights, bias, keys, values, counts, truth, batch, length, rate):
    """Reference: one SGD step on the docs of ``batch`` with their features as a dense matrix (float64)."""
    buckets = murmur_buckets(keys, length)
    starts = numpy.cumsum(counts) - counts
    x = numpy.zeros((len(batch), length))
    for row, doc in enumerate(batch):
        for entry in range(starts[doc], starts[doc] + counts[doc]):
            x[row, buckets[0][entry]] += values[entry]  # a key reads its two buckets, collisions add up
            x[row, buckets[1][entry]] += values[entry]
    logits = x @ weights + bias
    p = numpy.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    residual = (p - truth[batch]) / len(batch)
    return weights - rate * (x.T @ residual), bias - rate * residual.sum(axis=0)


def test_one_step_matches_dense_softmax_regression_with_colliding_buckets():
    rng = numpy.random.default_rng(3)
    counts = rng.integers(1, 12, size=20)
    keys = rng.integers(0, 40, size=int(counts.sum())).astype(numpy.uint64)  # repeated keys inside and across docs
    values = rng.random(len(keys)).astype(numpy.float32)
    truth = numpy.eye(4, dtype=numpy.float32)[rng.integers(0, 4, size=20)]
    length = 16  # far fewer buckets than keys: many collisions within a batch
    fit = HashedSoftmaxSGD((keys, values, counts), truth, length, learn_rate=0.5, total_steps=10, batch_size=8)
    fit.weights[:] = rng.normal(size=fit.weights.shape).astype(numpy.float32)
    fit.bias[:] = rng.normal(size=4).astype(numpy.float32)
    start_w, start_b = fit.weights.astype(numpy.float64), fit.bias.astype(numpy.float64)
    batch = numpy.array([5, 0, 17, 3, 3 + 8, 12, 19, 1])
    fit._step(batch)
    want_w, want_b = dense_step(start_w, start_b, keys, values, counts, truth, batch, length, rate=0.5)
    numpy.testing.assert_allclose(fit.weights, want_w, rtol=1e-5, atol=1e-5)
    numpy.testing.assert_allclose(fit.bias, want_b, rtol=1e-5, atol=1e-5)
    assert not numpy.allclose(fit.weights, start_w)  # the step moved the weights


def test_the_rate_decays_linearly_to_zero_over_the_planned_steps():
    counts = numpy.array([2, 2])
    keys = numpy.array([1, 2, 3, 4], dtype=numpy.uint64)
    fit = HashedSoftmaxSGD((keys, numpy.ones(4, dtype=numpy.float32), counts), numpy.eye(2, dtype=numpy.float32),
                           length=8, learn_rate=1.0, total_steps=2, batch_size=2)
    fit._step(numpy.array([0, 1]))
    moved = fit.weights.copy()
    fit._step(numpy.array([0, 1]))  # second of two steps: rate 1 - 1/2
    fit._step(numpy.array([0, 1]))  # past the plan: rate 0, nothing moves
    third = fit.weights.copy()
    fit._step(numpy.array([0, 1]))
    assert numpy.abs(moved).sum() > 0
    numpy.testing.assert_array_equal(fit.weights, third)
