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


# Control, format (zero-width, bidi), surrogate and private-use characters; \t \n \r are spaces anyway.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f"
                      "\ufeff\ufff9-\ufffb\ud800-\udfff\ue000-\uf8ff]")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower-case and strip accents (ä→a, ß→ss) like ``normalise_text``, fast enough for every mention."""
    if text.isascii():  # nothing to decompose: the same result, a third of the time
        return " ".join(text.lower().split())
    return " ".join(_COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold())).split())


def clean_text(text: str | None) -> str:
    """Return readable text: HTML tags and entities resolved, control characters and extra space removed."""
    if not text:
        return ""
    text = text[:CLEAN_MAX_CHARS]
    if "<" in text:
        text = _TAG.sub(" ", _SCRIPT.sub(" ", text))
    if "&" in text:
        text = html.unescape(text)
    return " ".join(_CONTROL.sub(" ", text).split())  # split() splits at what \s matches and drops the ends


def may_have_url(text: str) -> bool:
    """Tell whether the text might hold a URL (False means ``strip_urls`` would find none)."""
    return "://" in text or "www." in text.lower()


def strip_urls(text: str) -> str:
    """Remove URLs (they say nothing about language or topic)."""
    return " ".join((_URL.sub(" ", text) if may_have_url(text) else text).split())


def model_text(text: str) -> str:
    """Fold cleaned text for the models: no URLs, lower case, no accents, at most MODEL_MAX_CHARS."""
    text = text[:MODEL_MAX_CHARS]
    return fold(_URL.sub(" url ", text) if may_have_url(text) else text)


def folded_texts(text: str) -> tuple[str, str]:
    """Return (``fold`` of the text's opening, ``model_text``): the same string when there is no URL."""
    folded = fold(text[:MODEL_MAX_CHARS])
    return folded, (model_text(text) if may_have_url(text[:MODEL_MAX_CHARS]) else folded)


_ENOUGH_LETTERS = re.compile(r"(?:[^\W\d_][\W\d_]*){3}")


def has_words(text: str) -> bool:
    """Tell whether the text has at least three letters outside URLs (emoji, numbers, codes, links do not)."""
    text = text[:MODEL_MAX_CHARS]
    # Without URLs, collapsing spaces cannot change whether three letters occur.
    return bool(_ENOUGH_LETTERS.search(strip_urls(text) if may_have_url(text) else text))
