"""A post split and folded once, so that any number of queries can be evaluated against it cheaply."""
from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from community.domain.model import RawPost
from crawlers.query.folding import keys_of, strip_accents, word_spans

# Text positions start far after the title's, so no phrase or NEAR reaches across the two.
TEXT_OFFSET = 1 << 20
_SUBREDDIT_RE = re.compile(r"/r/([A-Za-z0-9_]+)")


class PreparedDoc:
    """The folded words of a post's title and text with lazily built positions, plus its metadata."""

    __slots__ = ("title", "text", "url", "author", "lang", "source", "subreddit", "title_keys", "text_keys",
                 "keyset", "title_keyset", "_positions", "_joined", "_host", "_prefixes", "_spans")

    def __init__(self, title: str, text: str, url: str = "", author: str = "", lang: str = "",
                 source: str = "", subreddit: str = "") -> None:
        self.title, self.text, self.url, self.author = title, text, url, author
        self.lang, self.source = (lang or "").lower(), (source or "").lower()
        self.subreddit = subreddit_name(subreddit) if subreddit else _subreddit_from_url(url)
        self.title_keys = keys_of(title) if title else []
        self.text_keys = keys_of(text) if text else []
        self.title_keyset = set(self.title_keys)
        self.keyset = self.title_keyset.union(self.text_keys)
        self._positions: dict[str, list[int]] = {}
        self._joined = self._host = self._prefixes = self._spans = None

    def positions(self, key: str) -> list[int]:
        """Return the sorted positions of ``key`` (title from 0, text from TEXT_OFFSET)."""
        found = self._positions.get(key)
        if found is None:
            # Only the few keys a phrase or NEAR asks for, found by C-level list scans.
            found = self._positions[key] = _indexes(self.title_keys, key, 0) + _indexes(self.text_keys, key, TEXT_OFFSET)
        return found

    def joined_keys(self, title_only: bool = False) -> str:
        """Return the distinct keys of the post (or of its title) as one newline-framed string, for regexes."""
        if self._joined is None:
            self._joined = [None, None]
        joined = self._joined[title_only]
        if joined is None:
            joined = self._joined[title_only] = "\n" + "\n".join(self.title_keyset if title_only else self.keyset) + "\n"
        return joined

    def prefixes(self) -> set[str]:
        """Return the two-letter beginnings of the keys (to pick the wildcard queries worth evaluating)."""
        if self._prefixes is None:
            self._prefixes = {k[:2] for k in self.keyset}
        return self._prefixes

    @property
    def author_folded(self) -> str:
        """Return the author without case, accents and extra spaces."""
        return fold_value(self.author)

    @property
    def host(self) -> str:
        """Return the lower-case host name of the URL ('' when there is none)."""
        if self._host is None:
            try:
                self._host = (urlsplit(self.url).hostname or "").rstrip(".")
            except ValueError:
                self._host = ""
        return self._host

    def char_span(self, position: int) -> tuple[str, int, int]:
        """Return ``(field, start, end)`` in the original title or text for a word position."""
        if self._spans is None:
            self._spans = (word_spans(self.title), word_spans(self.text))
        if position >= TEXT_OFFSET:
            return ("text", *self._spans[1][position - TEXT_OFFSET])
        return ("title", *self._spans[0][position])


def prepare(doc, lang: str | None = None) -> PreparedDoc:
    """Split and fold a post once: a mapping, a RawPost, a StoredPost or any object with those fields."""
    if isinstance(doc, PreparedDoc):
        return doc
    if type(doc) is RawPost:  # what ingestion matches: the general path's answers, without its failing getattr calls
        return PreparedDoc(doc.title or "", doc.text or "", doc.url or "", doc.author or "", lang or doc.lang_hint or "",
                           doc.source or "", (doc.extra or {}).get("subreddit") or "")
    if type(doc) is dict and "extra" not in doc and "analysis" not in doc:  # the common, fast case
        return PreparedDoc(doc.get("title") or "", doc.get("text") or "", doc.get("url") or "",
                           doc.get("author") or "", lang or doc.get("lang") or doc.get("language") or "",
                           doc.get("source") or "", doc.get("subreddit") or "")
    get = doc.get if isinstance(doc, Mapping) else (lambda name: getattr(doc, name, None))
    extra = get("extra") or {}
    analysis = get("analysis") or {}
    language = lang or get("lang") or get("language") or get("lang_hint") or analysis.get("language") or ""
    return PreparedDoc(title=get("title") or "", text=get("text") or "", url=get("url") or "",
                       author=get("author") or "", lang=language, source=get("source") or "",
                       subreddit=get("subreddit") or extra.get("subreddit") or "")


def _indexes(keys: list[str], key: str, offset: int) -> list[int]:
    found, i = [], -1
    for _ in range(keys.count(key)):  # counted first: no ValueError raised (and formatted) at the end of each scan
        i = keys.index(key, i + 1)
        found.append(i + offset)
    return found


def subreddit_name(name: str) -> str:
    """Return a subreddit name without case or leading ``r/``."""
    name = name.strip().lower()
    return name[2:] if name.startswith("r/") else name


def _subreddit_from_url(url: str) -> str:
    found = _SUBREDDIT_RE.search(url) if "/r/" in url else None
    return found.group(1).lower() if found else ""


def fold_value(value: str) -> str:
    """Fold a metadata value (author, source) for comparison: no case, no accents, single spaces."""
    return " ".join(strip_accents(value).split())
