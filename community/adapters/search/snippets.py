"""Pick the passage of an article that best matches a query and mark the matching words (HTML-safe)."""
from __future__ import annotations

import html
import re

from community.adapters.search.analysis import fold, stem

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
MAX_PASSAGE = 320
_VARIANTS = {"a": "aàáâäå", "o": "oòóôöø", "u": "uùúûü", "e": "eèéêë", "i": "iìíîï", "c": "cç", "n": "nñ"}


def _head_pattern(heads: set[str]) -> re.Pattern[str]:
    """Return a regex finding words that start like one of the heads, whatever their accents or case."""
    options = ["".join(f"[{_VARIANTS[ch]}]" if ch in _VARIANTS else re.escape(ch) for ch in head)
               for head in sorted(heads) if head]
    if not options:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?<![&#\w])(?:" + "|".join(options) + r")\w*", re.IGNORECASE)


class Matcher:
    """Tell whether a word of the text matches the query's terms or prefixes (memoised per word)."""

    def __init__(self, wanted: set[str], prefixes: tuple[str, ...], langs: tuple[str, ...]) -> None:
        self.wanted, self.prefixes, self.langs = wanted, prefixes, langs
        self._heads = {t[:3] for t in (*wanted, *prefixes)}
        self.pattern = _head_pattern(self._heads)
        self._seen: dict[str, bool] = {}

    def found(self, text: str) -> set[str]:
        """Return the distinct matching words of a text (case-folded)."""
        return {m.group().casefold() for m in self.pattern.finditer(text) if self(m.group())}

    def __call__(self, word: str) -> bool:
        found = self._seen.get(word)
        if found is None:
            found = self._seen[word] = self._match(word)
        return found

    def _match(self, word: str) -> bool:
        if fold(word[:4])[:3] not in self._heads:  # Snowball stems keep the word's first letters
            return False
        stems = {stem(word, lang) for lang in self.langs}
        if stems & self.wanted:
            return True
        return bool(self.prefixes) and any(s.startswith(self.prefixes) for s in stems)


def best_passage(texts: list[str], matches: Matcher) -> str:
    """Return the sentence (plus its neighbour when short) sharing the most query terms."""
    best, best_score = "", -1
    for text in texts:
        sentences = [s for s in _SENTENCE.split(" ".join(text.split())) if s]
        for i, sentence in enumerate(sentences):
            score = len(matches.found(sentence))
            if score > best_score:
                best, best_score = sentence, score
                if len(best) < MAX_PASSAGE // 2 and i + 1 < len(sentences):
                    best = f"{best} {sentences[i + 1]}"
    if len(best) > MAX_PASSAGE:
        best = best[:MAX_PASSAGE].rsplit(" ", 1)[0] + " …"
    return best


def highlight(passage: str, matches: Matcher) -> str:
    """Return the passage HTML-escaped with matching words wrapped in <mark>."""
    return matches.pattern.sub(lambda m: f"<mark>{m.group()}</mark>" if matches(m.group()) else m.group(),
                               html.escape(passage))
