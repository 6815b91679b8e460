"""The scorer's kept rows: every key gets its own computed row, however keys collide, and nothing is lost when full."""
import numpy

from nlp.keyed_sums import KeyedSums


def rows_of(keys: numpy.ndarray) -> numpy.ndarray:
    """A row that tells which key it was computed for."""
    return numpy.stack([(keys % numpy.uint64(1000)).astype(numpy.float32), (keys >> numpy.uint64(40)).astype(numpy.float32)], axis=1)


def counting(calls: list):
    def compute(keys):
        calls.append(len(keys))
        return rows_of(keys)
    return compute


def test_each_key_gets_its_row_among_colliding_and_repeated_keys():
    calls: list[int] = []
    kept = KeyedSums(2, counting(calls), limit=6)  # 16 slots: keys share home slots and wrap around the end
    rng = numpy.random.default_rng(7)
    keys = rng.integers(0, 2**63, size=6, dtype=numpy.uint64)
    asked = keys[[0, 3, 3, 5, 1, 0, 2, 4, 5]]
    numpy.testing.assert_array_equal(kept.gather(asked), rows_of(asked))
    assert calls == [6] and len(kept) == 6  # each distinct key computed once
    numpy.testing.assert_array_equal(kept.gather(asked[::-1]), rows_of(asked[::-1]))
    assert calls == [6]  # all found again, nothing recomputed


def test_a_full_table_forgets_and_still_answers_right():
    calls: list[int] = []
    kept = KeyedSums(2, counting(calls), limit=5)
    first = numpy.arange(1, 5, dtype=numpy.uint64) * numpy.uint64(0x10000000001)
    kept.gather(first)
    more = numpy.arange(10, 13, dtype=numpy.uint64) * numpy.uint64(0x10000000001)
    both = numpy.concatenate([more, first[:1]])
    numpy.testing.assert_array_equal(kept.gather(both), rows_of(both))
    assert calls == [4, 4] and len(kept) == 4  # 4 + 3 new > 5: forgotten, the batch's 4 keys kept


def test_one_batch_with_more_keys_than_the_limit():
    kept = KeyedSums(2, rows_of, limit=8)
    keys = numpy.arange(100, dtype=numpy.uint64) * numpy.uint64(977)
    numpy.testing.assert_array_equal(kept.gather(keys), rows_of(keys))
    numpy.testing.assert_array_equal(kept.gather(numpy.zeros(0, dtype=numpy.uint64)), numpy.zeros((0, 2)))
