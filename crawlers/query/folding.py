"""Word splitting and folding shared by queries, the matcher and the full-text index.

A word's *key* is its folded form: lower-case, accents stripped (ä→a, é→e), ß→ss, and German umlaut
spellings collapsed (ae→a, oe→o, ue→u) so "Kündigung", "Kuendigung" and "kundigung" share one key.
The collapse skips "ue" after q or a vowel ("Quelle", "teuer", "Bauer") and words shorter than four
letters, where English words would collide ("due"/"du", "toe"/"to"). A few longer English words still
meet a neighbour ("guest"/"gust"); listening favours recall there.
"""
from __future__ import annotations

import re
import unicodedata
from operator import itemgetter

# Letters and digits only: "#kolibri" → kolibri, "@DB_Bahn" → db, bahn; SQLite's unicode61 splits the same way.
WORD_RE = re.compile(r"[^\W_]+")
# The same split, three times faster, as bytes: UTF-8 with every ASCII byte but letters and digits made a space (the
# bytes of other characters are all >= 0x80 and stay), then split at white space (which is never a letter or digit).
_ASCII_SPACED = bytes(b if b >= 0x80 or chr(b).isalnum() else 0x20 for b in range(256))
_DIGRAPH_RE = re.compile(r"(?<![aeiouq])([aou])e")
_VOWEL = itemgetter(1)  # a digraph's replacement: a C-level callable (Python 3.11 expands r"\1" in Python code)
_SPECIAL = str.maketrans({"ß": "ss", "ẞ": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})
_CACHE_LIMIT = 100_000  # distinct words remembered (~16 MB); a brand's stream rarely has more


def strip_accents(text: str) -> str:
    """Lower-case ``text`` and remove accents (ä→a, ß→ss), keeping everything else."""
    folded = text.casefold().translate(_SPECIAL)
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def collapse_digraphs(word: str) -> str:
    """Spell umlaut digraphs as the bare vowel (kuendigung → kundigung)."""
    return _DIGRAPH_RE.sub(_VOWEL, word) if "e" in word else word


def _compute_key(word: str) -> str:
    basic = strip_accents(word)
    if not basic.isalnum():  # compatibility forms can bring punctuation ("½" → "1⁄2"); an index would split there
        basic = "".join(filter(str.isalnum, basic)) or word.casefold()
    return collapse_digraphs(basic) if len(basic) >= 4 else basic


class _KeyCache(dict):
    """Word → key, computed on first sight; a lookup of a known word stays in C."""

    def __missing__(self, word: str) -> str:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        key = self[word] = _compute_key(word)
        return key


_CACHE = _KeyCache()
# word_key(word) returns the folded key of one word (letters and digits only).
word_key = _CACHE.__getitem__


def split_words(text: str) -> list[str]:
    """Return the words of ``text`` as written (no folding), in order: the runs of letters and digits (WORD_RE)."""
    if text.isascii():
        return text.encode().translate(_ASCII_SPACED).decode().split()
    text = unicodedata.normalize("NFC", text)
    try:
        words = text.encode().translate(_ASCII_SPACED).decode().split()
    except UnicodeEncodeError:  # a lone surrogate (from a JSON escape): no UTF-8 for it
        return WORD_RE.findall(text)
    # Split at ASCII punctuation and white space; a piece with other punctuation ("…", "„") is split by WORD_RE.
    if "".join(words).isalnum():
        return words
    return [word for piece in words for word in ((piece,) if piece.isalnum() else WORD_RE.findall(piece))]


def word_spans(text: str) -> list[tuple[int, int]]:
    """Return the character spans of the words of ``text`` (aligned with ``split_words``)."""
    if text.isascii():
        return [m.span() for m in WORD_RE.finditer(text)]
    # NFC can shorten the text; map back through a per-character walk only for such texts.
    normalised = unicodedata.normalize("NFC", text)
    if normalised == text:
        return [m.span() for m in WORD_RE.finditer(text)]
    return _spans_in_decomposed(text)


def _spans_in_decomposed(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = None
    for i, ch in enumerate(text):
        inside = ch.isalnum() or (start is not None and unicodedata.combining(ch))
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            spans.append((start, i))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return spans


def keys_of(text: str) -> list[str]:
    """Return the folded keys of the words of ``text``, in order."""
    return list(map(word_key, split_words(text)))  # the hot path at ingest: one C-level lookup per word


def index_text(text: str) -> str:
    """Return ``text`` as space-separated keys: what a full-text index must store for ``to_fts5`` to be exact."""
    return " ".join(keys_of(text))


def fold_piece(piece: str) -> str:
    """Fold a fragment of a wildcard pattern (accents, ß, umlaut digraphs; no length rule)."""
    return collapse_digraphs(strip_accents(piece))
