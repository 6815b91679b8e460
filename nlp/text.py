"""Clean raw post text before any model reads it: tags, control characters, URLs, length."""
from __future__ import annotations

import html
import re
import unicodedata

# The models see at most this many characters: long posts keep their opening, which says what they are about.
MODEL_MAX_CHARS = 2000
# Cleaning itself is linear, but a 100 KB post needs no more than this to be read.
CLEAN_MAX_CHARS = 20000

_TAG = re.compile(r"<[^>]{0,500}>")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_SPACE = re.compile(r"\s+")


# Control, format (zero-width, bidi), surrogate and private-use characters; \t \n \r are spaces anyway.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f"
                      "\ufeff\ufff9-\ufffb\ud800-\udfff\ue000-\uf8ff]")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower-case and strip accents (ä→a, ß→ss) like ``normalise_text``, fast enough for every mention."""
    return _SPACE.sub(" ", _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))).strip()


def clean_text(text: str | None) -> str:
    """Return readable text: HTML tags and entities resolved, control characters and extra space removed."""
    if not text:
        return ""
    text = text[:CLEAN_MAX_CHARS]
    if "<" in text:
        text = _TAG.sub(" ", _SCRIPT.sub(" ", text))
    if "&" in text:
        text = html.unescape(text)
    return _SPACE.sub(" ", _CONTROL.sub(" ", text)).strip()


def strip_urls(text: str) -> str:
    """Remove URLs (they say nothing about language or topic)."""
    return _SPACE.sub(" ", _URL.sub(" ", text)).strip()


def model_text(text: str) -> str:
    """Fold cleaned text for the models: no URLs, lower case, no accents, at most MODEL_MAX_CHARS."""
    return fold(_URL.sub(" url ", text[:MODEL_MAX_CHARS]))


_ENOUGH_LETTERS = re.compile(r"(?:[^\W\d_][\W\d_]*){3}")


def has_words(text: str) -> bool:
    """Tell whether the text has at least three letters outside URLs (emoji, numbers, codes, links do not)."""
    return bool(_ENOUGH_LETTERS.search(strip_urls(text[:MODEL_MAX_CHARS])))
