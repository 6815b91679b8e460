"""Language identification with py3langid (model shipped in the package): de, en, fr, es, it, nl or other."""
from __future__ import annotations

from collections import Counter
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


class WordCachedIdentifier(LanguageIdentifier):
    """py3langid's identifier, walking its byte automaton word by word with the outcome of each word kept.

    py3langid counts byte n-gram features by stepping a large automaton one byte at a time in Python (about
    a microsecond a byte, the bulk of identifying a short post). The automaton is deterministic, so the
    features a word (with its trailing space) yields and the state it ends in depend only on the word and the
    state it starts in: those are cached, which gives the very same feature counts in the same order.
    """

    __slots__ = ("_words",)

    def _raw_score(self, text):
        words = getattr(self, "_words", None)
        if words is None or not isinstance(text, bytes):
            return super()._raw_score(text)
        moves, rowbase, output = self.tk_nextmove, self._rowbase, self.tk_output
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
                known = words[(start, chunk)] = (found, state)
            features += known[0]
            state = known[1]
        if not features:
            return super()._raw_score(text)
        return self._sparse_score(Counter(features), self.nb_ptc)


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    identifier = WordCachedIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(_CANDIDATES)
    if all(hasattr(identifier, name) for name in ("tk_nextmove", "_rowbase", "tk_output", "_sparse_score")):
        identifier._words = {}  # py3langid versions without these internals keep their own walk
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
    if lang not in SUPPORTED:
        return "other", confidence
    if confidence < MIN_CONFIDENCE:
        if hint in SUPPORTED:
            return hint, confidence
        return "other", confidence
    return lang, confidence
