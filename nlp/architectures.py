"""Hashed bag-of-features text classifiers: word 1–2-grams, optionally character 3–5-grams inside words.

``fast`` uses word uni- and bigrams (the features of ``spacy.TextCatBOW.v3``); ``accurate`` adds character
n-grams, which let the linear model share evidence between German compounds and their parts
("Rückerstattung" / "erstattet") and survive typos. Unlike ``TextCatBOW.v3``, the features of a whole batch
are extracted with a few vectorised numpy operations (no per-doc ``numpy.unique``: repeated keys simply add up
in the sparse layer), and the three task classifiers of a pipeline share one extraction per batch — which is
what makes tens of thousands of mentions per second possible.

With ``weighting="tfidf"`` (the accurate model) each occurrence of a feature counts its idf (fitted on the
training docs, kept in the feature layer's attrs so it is saved with the model; a feature never seen in training
counts 0), and each doc's word/word-pair values and its char n-gram values are divided by their block's
``sqrt(sum of idf²)`` over the occurrences — the L2 norm when no feature repeats, and a sum per word, so the
numpy scorer can keep per-word sums.
"""
from __future__ import annotations

import threading
from functools import partial

import numpy
from spacy.attrs import ORTH
from spacy.ml.models.textcat import resize_and_set_ref
from spacy.strings import hash_string
from spacy.util import registry
from thinc.api import Logistic, Model, SparseLinear_v2, chain, resizable, softmax_activation, with_cpu
from thinc.layers.resizable import resize_linear_weighted

NEG_VALUE = -5000
MIX = numpy.uint64(0x9E3779B97F4A7C15)
_CACHE_LIMIT = 200_000
_char_caches: dict[tuple[int, ...], dict[str, numpy.ndarray]] = {}  # one per n-gram size range
_last = threading.local()  # the last batch's features, shared by the task classifiers of one pipeline


def char_ngram_sizes(char_min: int, char_max: int) -> tuple[int, ...]:
    """Return the character n-gram sizes of a model's settings (none when either bound is 0)."""
    return tuple(range(char_min, char_max + 1)) if char_min and char_max else ()


def char_keys(word: str, sizes: tuple[int, ...]) -> numpy.ndarray:
    """Return the hashes of the distinct character n-grams of one word (padded with ``<`` and ``>``)."""
    cache = _char_caches.setdefault(sizes, {})
    keys = cache.get(word)
    if keys is None:
        padded = f"<{word}>"
        grams = {padded[i:i + n] for n in sizes for i in range(max(len(padded) - n + 1, 0))}
        keys = numpy.fromiter((hash_string("#" + g) for g in grams), dtype="uint64", count=len(grams))
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        cache[word] = keys
    return keys


def pair_keys(words: numpy.ndarray, doc_ids: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Return the hashes of adjacent word pairs inside each doc and the doc each pair belongs to."""
    with numpy.errstate(over="ignore"):
        pairs = (words[:-1] * MIX) ^ words[1:]
    same_doc = doc_ids[:-1] == doc_ids[1:]
    return pairs[same_doc], doc_ids[:-1][same_doc]


def idf_of(keys: numpy.ndarray, idf: tuple[numpy.ndarray, numpy.ndarray]) -> numpy.ndarray:
    """Return each key's idf from ``(sorted keys, idf values)``; 0 for keys not in the table."""
    table_keys, values = idf
    if not len(table_keys):
        return numpy.zeros(len(keys), dtype="float32")
    pos = numpy.minimum(numpy.searchsorted(table_keys, keys), len(table_keys) - 1)
    return numpy.where(table_keys[pos] == keys, values[pos], 0.0).astype("float32")


def fit_idf(keys: numpy.ndarray, counts: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Return the smoothed idf ``ln((1 + n) / (1 + df)) + 1`` of every key of ``batch_features``' output."""
    doc_ids = numpy.repeat(numpy.arange(len(counts), dtype="uint64"), counts)
    order = numpy.lexsort((keys, doc_ids))
    keys, doc_ids = keys[order], doc_ids[order]
    first = numpy.ones(len(keys), dtype=bool)
    first[1:] = (keys[1:] != keys[:-1]) | (doc_ids[1:] != doc_ids[:-1])
    unique, df = numpy.unique(keys[first], return_counts=True)
    return unique, (numpy.log((1 + len(counts)) / (1 + df)) + 1).astype("float32")


def _tfidf_values(keys, ids, is_char, n_docs: int, idf) -> numpy.ndarray:
    """Return each occurrence's idf divided by its doc block's sqrt(sum of idf²) (blocks: words+pairs, chars)."""
    values = idf_of(keys, idf)
    block = 2 * ids + is_char.astype("int64")
    squares = numpy.bincount(block, weights=values.astype("float64") ** 2, minlength=2 * n_docs)
    norms = numpy.sqrt(squares)
    norms[norms == 0] = 1.0
    return (values / norms[block]).astype("float32")


def hashed_features(docs, ngram_size: int, char_sizes: tuple[int, ...]):
    """Return (keys, doc ids, is_char, counts): each doc's word, word-pair and char n-gram hashes, doc after doc
    (its words and pairs before its char n-grams), the doc of each, which are char n-grams, and each doc's count."""
    orths = [doc.to_array(ORTH).astype("uint64") for doc in docs]
    lengths = numpy.fromiter((len(o) for o in orths), dtype="int64", count=len(orths))
    words = numpy.concatenate(orths) if orths else numpy.zeros((0,), dtype="uint64")
    doc_ids = numpy.repeat(numpy.arange(len(orths)), lengths)
    keys, ids = [words], [doc_ids]
    if ngram_size >= 2 and len(words) > 1:
        pairs, pair_ids = pair_keys(words, doc_ids)
        keys.append(pairs)
        ids.append(pair_ids)
    word_features = sum(len(k) for k in keys)  # words and pairs come first, char n-grams after
    if char_sizes:
        for index, doc in enumerate(docs):
            parts = [char_keys(token.text, char_sizes) for token in doc]
            if parts:
                grams = numpy.concatenate(parts)
                keys.append(grams)
                ids.append(numpy.full(len(grams), index))
    all_ids = numpy.concatenate(ids)
    order = numpy.argsort(all_ids, kind="stable")
    is_char = (numpy.arange(len(all_ids)) >= word_features)[order]
    counts = numpy.bincount(all_ids, minlength=len(docs)).astype("int32")
    return numpy.concatenate(keys)[order], all_ids[order], is_char, counts


def feature_values(keys, doc_ids, is_char, n_docs: int, char_weight: float = 1.0, idf=None) -> numpy.ndarray:
    """Return the value of each of ``hashed_features``' keys: 1 per word or word pair and ``char_weight`` per char
    n-gram, so the many char features of a word do not drown the word's own evidence; with an ``idf`` table,
    tf-idf (module doc), the char n-grams' values again times ``char_weight``."""
    if idf is None:
        return numpy.where(is_char, numpy.float32(char_weight), numpy.float32(1.0))
    values = _tfidf_values(keys, doc_ids, is_char, n_docs, idf)
    values[is_char] *= numpy.float32(char_weight)
    return values


def batch_features(docs, ngram_size: int, char_sizes: tuple[int, ...], char_weight: float = 1.0, idf=None):
    """Return (keys, values, counts) for SparseLinear: ``hashed_features`` valued by ``feature_values``."""
    keys, doc_ids, is_char, counts = hashed_features(docs, ngram_size, char_sizes)
    return keys, feature_values(keys, doc_ids, is_char, len(docs), char_weight, idf), counts


def same_idf(a, b) -> bool:
    """Tell whether two idf tables (or two absent ones) are the same."""
    return a is b or (a is not None and b is not None and all(map(numpy.array_equal, a, b)))


def extract_features(ngram_size: int, char_sizes: tuple[int, ...], char_weight: float = 1.0,
                     weighting: str = "count") -> Model:
    """Return a layer turning docs into hashed features, reusing the features of the batch it saw last.

    With ``weighting="tfidf"`` the idf table lives in the layer's attrs ``idf_keys``/``idf_values`` (see
    ``set_idf``), so it is saved and loaded with the model.
    """
    params = (ngram_size, char_sizes, char_weight, weighting)

    def forward(model: Model, docs, is_train: bool):
        idf = (model.attrs["idf_keys"], model.attrs["idf_values"]) if weighting == "tfidf" else None
        cached = getattr(_last, "entry", None)
        if (cached is not None and cached[0] == params and len(cached[1]) == len(docs)
                and all(a is b for a, b in zip(cached[1], docs, strict=True)) and same_idf(cached[3], idf)):
            features = cached[2]
        else:
            features = batch_features(docs, ngram_size, char_sizes, char_weight, idf)
            # Holding the docs keeps their ids unique while they are compared by identity.
            _last.entry = (params, list(docs), features, idf)
        return features, lambda dY: []

    empty = {"idf_keys": numpy.zeros(0, dtype="uint64"), "idf_values": numpy.zeros(0, dtype="float32")}
    return Model("extract_hashed_features", forward, attrs=empty if weighting == "tfidf" else {})


def set_idf(model: Model, idf: tuple[numpy.ndarray, numpy.ndarray]) -> None:
    """Store an idf table (sorted uint64 keys, float32 values) in a tf-idf classifier's feature layer."""
    features = model.get_ref("features")
    features.attrs["idf_keys"], features.attrs["idf_values"] = idf


def get_idf(model: Model) -> tuple[numpy.ndarray, numpy.ndarray] | None:
    """Return the idf table of a tf-idf classifier, None for count-weighted ones."""
    attrs = model.get_ref("features").attrs
    return (attrs["idf_keys"], attrs["idf_values"]) if "idf_keys" in attrs else None


@registry.architectures("superfan.TextCatHashedBOW.v1")
def build_hashed_bow_classifier(exclusive_classes: bool, ngram_size: int = 2, char_min: int = 0, char_max: int = 0,
                                length: int = 262144, char_weight: float = 1.0, weighting: str = "count",
                                nO: int | None = None) -> Model:
    """Build a softmax (or logistic) linear classifier over hashed word and (optional) character n-grams."""
    if weighting not in ("count", "tfidf"):
        raise ValueError(f"unknown feature weighting {weighting!r}; expected 'count' or 'tfidf'")
    length = 2 ** (length - 1).bit_length()
    sparse_linear = SparseLinear_v2(nO=nO, length=length)
    fill = {"b": NEG_VALUE, "W": 0}
    resizable_layer = resizable(sparse_linear, resize_layer=partial(resize_linear_weighted, fill_defaults=fill))
    sizes = char_ngram_sizes(char_min, char_max)
    features = extract_features(ngram_size, sizes, char_weight, weighting)
    model = with_cpu(chain(features, resizable_layer), sparse_linear.ops)
    output = softmax_activation() if exclusive_classes else Logistic()
    model = chain(model, with_cpu(output, output.ops))
    if nO is not None:
        model.set_dim("nO", nO)
    model.set_ref("output_layer", sparse_linear)
    model.set_ref("features", features)
    model.attrs["multi_label"] = not exclusive_classes
    model.attrs["resize_output"] = partial(resize_and_set_ref, resizable_layer=resizable_layer)
    return model
