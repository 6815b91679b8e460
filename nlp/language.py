"""Language identification with py3langid (model shipped in the package): de, en, fr, es, it, nl or other."""
from __future__ import annotations

from functools import lru_cache

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


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(_CANDIDATES)
    return identifier


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
