"""A bag-of-features text classifier for the accurate model: word 1-2-grams plus character 3-5-grams.

Character n-grams inside words let the linear model share evidence between German compounds and their
parts ("Rückerstattung" / "erstattet") and survive typos, which a word-only bag cannot.
"""
from __future__ import annotations

from functools import partial

import numpy
from spacy.attrs import ORTH
from spacy.ml.models.textcat import resize_and_set_ref
from spacy.strings import hash_string
from spacy.util import registry
from thinc.api import Logistic, Model, SparseLinear_v2, chain, resizable, softmax_activation, with_cpu
from thinc.layers.resizable import resize_linear_weighted

NEG_VALUE = -5000
_CACHE_LIMIT = 200_000


def _char_keys(word: str, sizes: tuple[int, ...]) -> numpy.ndarray:
    padded = f"<{word}>"
    grams = {padded[i:i + n] for n in sizes for i in range(max(len(padded) - n + 1, 0))}
    return numpy.fromiter((hash_string("#" + g) for g in grams), dtype="uint64", count=len(grams))


def extract_features(ngram_size: int, char_sizes: tuple[int, ...]) -> Model:
    """Return a layer turning docs into hashed (keys, counts, lengths) of word n-grams and char n-grams."""
    cache: dict[str, numpy.ndarray] = {}

    def forward(model: Model, docs, is_train: bool):
        batch_keys, batch_vals = [], []
        for doc in docs:
            words = doc.to_array([ORTH]).astype("uint64")
            parts = [words] + [model.ops.ngrams(n, words) for n in range(2, ngram_size + 1) if len(words) >= n]
            for token in doc:
                keys = cache.get(token.text)
                if keys is None:
                    if len(cache) > _CACHE_LIMIT:
                        cache.clear()
                    keys = cache[token.text] = _char_keys(token.text, char_sizes)
                parts.append(keys)
            keys, vals = numpy.unique(numpy.concatenate(parts) if parts else words, return_counts=True)
            batch_keys.append(keys)
            batch_vals.append(vals)
        lengths = numpy.asarray([len(k) for k in batch_keys], dtype="int32")
        keys = numpy.concatenate(batch_keys) if batch_keys else numpy.zeros((0,), dtype="uint64")
        vals = numpy.concatenate(batch_vals).astype("float32") if batch_vals else numpy.zeros((0,), dtype="f")
        # Dampen counts so that long posts do not drown their strongest cues.
        return (keys, numpy.sqrt(vals), lengths), lambda dY: []

    return Model("extract_word_char_ngrams", forward)


@registry.architectures("superfan.TextCatCharBOW.v1")
def build_char_bow_classifier(exclusive_classes: bool, ngram_size: int = 2, char_min: int = 3, char_max: int = 5,
                              length: int = 1048576, nO: int | None = None) -> Model:
    """Build a softmax (or logistic) linear classifier over hashed word and character n-grams."""
    length = 2 ** (length - 1).bit_length()
    sparse_linear = SparseLinear_v2(nO=nO, length=length)
    fill = {"b": NEG_VALUE, "W": 0}
    resizable_layer = resizable(sparse_linear, resize_layer=partial(resize_linear_weighted, fill_defaults=fill))
    features = extract_features(ngram_size, tuple(range(char_min, char_max + 1)))
    model = with_cpu(chain(features, resizable_layer), sparse_linear.ops)
    output = softmax_activation() if exclusive_classes else Logistic()
    model = chain(model, with_cpu(output, output.ops))
    if nO is not None:
        model.set_dim("nO", nO)
    model.set_ref("output_layer", sparse_linear)
    model.attrs["multi_label"] = not exclusive_classes
    model.attrs["resize_output"] = partial(resize_and_set_ref, resizable_layer=resizable_layer)
    return model
