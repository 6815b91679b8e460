"""German/English text analysis shared by the FTS5 index: folding, stop words, Snowball stems, compounds."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

from community.adapters.search.stopwords import STOPWORDS

LANGUAGES = ("de", "en")
_WORD = re.compile(r"\w+", re.UNICODE)
_STEMMERS = {"de": snowballstemmer.stemmer("german"), "en": snowballstemmer.stemmer("english")}
_GERMAN_LINKS = ("s", "es", "n", "en", "e", "")  # Fugen-elements between the parts of a compound
MIN_PART = 4


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lower-case and fold umlauts, ß and accents to ASCII (Müße → musse)."""
    word = word.casefold().replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Split text into words (letters and digits), keeping their original spelling."""
    return _WORD.findall(text)


@lru_cache(maxsize=200_000)
def stem(word: str, lang: str) -> str:
    """Return the folded Snowball stem of one word; unknown languages are folded only."""
    stemmer = _STEMMERS.get(lang)
    lowered = word.casefold()
    if stemmer is None or lowered.isdigit():
        return fold(lowered)
    return fold(stemmer.stemWord(lowered))


def is_stopword(word: str, lang: str | None) -> bool:
    """Tell whether a word carries no meaning for search in this language (or in either, if unknown)."""
    folded = fold(word)
    if lang in STOPWORDS:
        return folded in STOPWORDS[lang]
    return any(folded in table for table in STOPWORDS.values())


_TERMS: dict[str | None, dict[str, str]] = {}
_TERMS_MAX = 500_000


def word_terms(word: str, lang: str | None) -> str:
    """Return the index terms of one word, space-separated ("" for a stop word; both stems for an unknown language)."""
    cache = _TERMS.setdefault(lang, {})
    found = cache.get(word)
    if found is None:
        if is_stopword(word, lang):
            found = ""
        else:
            langs = (lang,) if lang in _STEMMERS else LANGUAGES
            found = " ".join(dict.fromkeys(stem(word, one) for one in langs))
        if len(cache) >= _TERMS_MAX:
            cache.clear()
        cache[word] = found
    return found


def analyse(text: str, lang: str | None) -> str:
    """Return the text as space-separated index terms: words minus stop words, stemmed in the text's language."""
    get = _TERMS.setdefault(lang, {}).get
    words = _WORD.findall(text)
    found = list(map(get, words))  # one C-level dict lookup per word on the hot path
    if None in found:
        found = [f if f is not None else word_terms(w, lang) for f, w in zip(found, words, strict=True)]
    return " ".join(filter(None, found))


def split_compound(term: str, known: set[str] | frozenset[str]) -> tuple[str, ...]:
    """Split a German compound stem into known parts (Rücksendeetikett → rucksend, etikett), or return ()."""
    if len(term) < 2 * MIN_PART + 1:
        return ()
    for cut in range(len(term) - MIN_PART, MIN_PART - 1, -1):
        head, tail = term[:cut], term[cut:]
        if tail not in known:
            continue
        for link in _GERMAN_LINKS:
            if link and not head.endswith(link):
                continue
            left = head[: len(head) - len(link)] if link else head
            if len(left) >= MIN_PART and (left in known or _stem_known(left, known)):
                return (_stem_known(left, known) or left, tail)
            rest = split_compound(left, known)
            if rest:
                return (*rest, tail)
    return ()


def _stem_known(part: str, known: set[str] | frozenset[str]) -> str | None:
    stemmed = stem(part, "de")
    return stemmed if stemmed in known else None
