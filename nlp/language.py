"""Language identification with py3langid (model shipped in the package): de, en, fr, es, it, nl or other."""
from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from nlp.text import has_words, strip_urls

SUPPORTED = ("de", "en", "fr", "es", "it", "nl")
# Restricting py3langid to languages one actually meets stops short German or English posts being read as
# Luxembourgish, Latin or Frisian; the extra ones are there so that real other languages still say "other".
_CANDIDATES = SUPPORTED + ("pt", "pl", "sv", "da", "no", "fi", "cs", "sk", "hu", "ro", "hr", "sl", "tr", "ru",
                           "uk", "el", "ar", "he", "fa", "hi", "ja", "zh", "ko", "th", "vi", "id", "ca", "et",
                           "lt", "lv", "bg")
MIN_CONFIDENCE = 0.5
MAX_CHARS = 300  # the opening of a post says which language it is in; longer input only costs time
WORD_CACHE_LIMIT = 50_000
BATCH_FROM = 16  # fewer texts are scored one by one: the batch's numpy steps cost more than they save
WALK_MAX = 512  # texts walked together at most (a walk holds two int32 arrays of texts x MAX_CHARS's bytes)


class WordCachedIdentifier(LanguageIdentifier):
    """py3langid's identifier, walking its byte automaton word by word with the outcome of each word kept.

    py3langid counts byte n-gram features by stepping a large automaton one byte at a time in Python (about
    a microsecond a byte, the bulk of identifying a short post). The automaton is deterministic, so the
    features a word (with its trailing space) yields and the state it ends in depend only on the word and the
    state it starts in: those are cached, which gives the very same feature counts in the same order.
    A batch (``classify_many``) instead walks all its texts together in numpy (``walk_many``): no cache, and
    about as fast as the warm cache, three times as fast on words met for the first time.
    """

    __slots__ = ("_words", "_walk_tables")

    def _raw_score(self, text):
        words = getattr(self, "_words", None)
        if words is None or not isinstance(text, bytes):
            return super()._raw_score(text)
        features = self.features(text)
        if not features:
            return super()._raw_score(text)
        return self._sparse_score(Counter(features), self.nb_ptc)

    def features(self, text: bytes) -> list[int]:
        """Return the feature ids py3langid's walk over the encoded text visits, in order (cached per word)."""
        words, moves, rowbase, output = self._words, self.tk_nextmove, self._rowbase, self.tk_output
        if len(words) > WORD_CACHE_LIMIT:
            words.clear()
        state, features = 0, []
        parts = text.split(b" ")
        for index, part in enumerate(parts):
            chunk = part + b" " if index < len(parts) - 1 else part
            known = words.get((state, chunk))
            if known is None:
                start, found = state, []
                for byte in chunk:
                    state = moves[rowbase[state] + byte]
                    if output[state] >= 0:
                        found.append(output[state])
                # (the end state, then the features): one flat tuple of ints, which the collector stops tracking
                known = words[(start, chunk)] = (state, *found)
            features += known[1:]
            state = known[0]
        return features

    def walk_many(self, encoded: Sequence[bytes]) -> tuple[numpy.ndarray, numpy.ndarray]:
        """Return (text index, feature id) of every feature the automaton walks over the encoded texts visit.

        All texts step through the automaton together, one byte each per numpy step (longest texts first, so
        the texts still walking are the first rows): the same states, hence the same features, as walking each
        text on its own, without a Python step per byte or word.
        """
        nextmove, rowbase, output = self._walk_tables
        count = len(encoded)
        lengths = numpy.fromiter(map(len, encoded), dtype=numpy.int64, count=count)
        order = numpy.argsort(-lengths, kind="stable")
        longest = int(lengths[order[0]]) if count else 0
        if not longest:
            return numpy.zeros(0, dtype=numpy.int64), numpy.zeros(0, dtype=numpy.int64)
        filled = numpy.arange(longest) < lengths[order][:, None]  # texts (longest first) x byte positions
        data = numpy.zeros((count, longest), dtype=numpy.int32)
        data[filled] = numpy.frombuffer(b"".join([encoded[i] for i in order]), dtype=numpy.uint8)
        steps = numpy.ascontiguousarray(data.T)
        walking = filled.sum(axis=0).tolist()  # per position: how many texts are that long
        states = numpy.zeros((longest + 1, count), dtype=numpy.int32)
        for position, (moves, n) in enumerate(zip(steps, walking, strict=True)):
            moves = moves[:n]
            moves += rowbase.take(states[position, :n])
            nextmove.take(moves, out=states[position + 1, :n])
        features = output.take(states[1:])
        visited = filled.T & (features >= 0)
        return order[numpy.nonzero(visited)[1]], features[visited].astype(numpy.int64)

    def classify_many(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """Return ``classify`` of each text, scoring all of them in a few numpy steps (equal up to float noise)."""
        simple = getattr(self, "_walk_tables", None) is not None and not self._alias_pairs and self._norm_probs
        if not simple or self.min_confidence or len(texts) < BATCH_FROM:
            return [self.classify(text) for text in texts]
        if len(texts) > WALK_MAX:  # a walk's arrays grow with texts x bytes; each text's result is its own
            return [result for start in range(0, len(texts), WALK_MAX)
                    for result in self.classify_many(texts[start:start + WALK_MAX])]
        encoded = [self._encode(text) for text in texts]
        text_of, feature = self.walk_many(encoded)
        # Count each (text, feature) pair: sorted by text, so each text's features form one run.
        size = self.nb_ptc.shape[0]
        keys, counts = numpy.unique(text_of * size + feature, return_counts=True)
        if not len(keys):
            return [self.classify(text) for text in texts]
        text_of, feature = numpy.divmod(keys, size)
        bounds = numpy.flatnonzero(numpy.r_[True, text_of[1:] != text_of[:-1]])
        rows = text_of[bounds].tolist()  # the texts with features, in order
        results: list[tuple[str, float] | None] = [None] * len(texts)
        weighted = self.nb_ptc.take(feature, axis=0)  # the same rows as nb_ptc[feature], gathered faster
        weighted *= numpy.log1p(counts.astype(numpy.float32))[:, None]
        scores = numpy.add.reduceat(weighted, bounds, axis=0) + self.nb_pc
        # As py3langid's _decide: temperature sqrt(bytes), softmax.
        scores *= (1.0 / numpy.sqrt([len(encoded[i]) or 1 for i in rows]))[:, None].astype(numpy.float32)
        numpy.exp(scores - scores.max(axis=1, keepdims=True), out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        best = scores.argmax(axis=1)
        for row, i in enumerate(rows):
            results[i] = (self.nb_classes[best[row]], float(scores[row, best[row]]))
        for i, result in enumerate(results):
            if result is None:  # no feature at all: py3langid's own answer for that
                results[i] = self.classify(texts[i])
        return results


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    identifier = WordCachedIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(_CANDIDATES)
    if all(hasattr(identifier, name) for name in ("tk_nextmove", "_rowbase", "tk_output", "_sparse_score")):
        identifier._words = {}  # py3langid versions without these internals keep their own walk
        if isinstance(identifier.tk_nextmove, array) and identifier.tk_nextmove.itemsize == 4:
            # The automaton as numpy arrays for walking a batch's texts together (values fit in int32).
            identifier._walk_tables = (
                numpy.frombuffer(identifier.tk_nextmove, dtype=numpy.int32),
                numpy.array(identifier._rowbase, dtype=numpy.int32),
                numpy.array(identifier.tk_output, dtype=numpy.int32))
    # The same weights as float32 rows (15 MB): numpy multiplies them twice as fast as float16 columns, and
    # the scores come out bit for bit the same (tests/nlp/test_language_and_text.py checks).
    identifier.nb_ptc = numpy.ascontiguousarray(identifier.nb_ptc, dtype=numpy.float32)
    return identifier


def forget_seen_words() -> None:
    """Empty the language identifier's per-word cache (for measuring texts seen for the first time)."""
    words = getattr(_identifier(), "_words", None)
    if words is not None:
        words.clear()


def detect_language(text: str, hint: str | None = None) -> tuple[str, float]:
    """Return (language code or "other", confidence) for cleaned text; a supported ``hint`` breaks doubt."""
    if not has_words(text):
        return (hint, 0.5) if hint in SUPPORTED else ("other", 0.0)
    lang, confidence = _identifier().classify(strip_urls(text[:MAX_CHARS]))
    return _decide(lang, confidence, hint)


def _decide(lang: str, confidence: float, hint: str | None) -> tuple[str, float]:
    if lang not in SUPPORTED:
        return "other", confidence
    if confidence < MIN_CONFIDENCE:
        if hint in SUPPORTED:
            return hint, confidence
        return "other", confidence
    return lang, confidence


def detect_languages(texts: Sequence[str], hints: Sequence[str | None],
                     worded: Sequence[bool] | None = None) -> list[tuple[str, float]]:
    """Return ``detect_language`` of each cleaned text with its hint, identified together (faster for batches).

    ``worded``: ``has_words`` of each text, when already known.
    """
    results: list[tuple[str, float] | None] = [None] * len(texts)
    asked = [i for i, words in enumerate(worded if worded is not None else map(has_words, texts)) if words]
    found = _identifier().classify_many([strip_urls(texts[i][:MAX_CHARS]) for i in asked])
    for i, (lang, confidence) in zip(asked, found, strict=True):
        results[i] = _decide(lang, confidence, hints[i])
    for i, text in enumerate(texts):
        if results[i] is None:
            results[i] = detect_language(text, hints[i])
    return results
