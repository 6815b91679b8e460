"""Token ids of model text, each space-separated chunk tokenised once by spaCy and remembered.

Making a spaCy ``Doc`` costs more than scoring it: the tokenizer walks every character and the ``Doc`` sets up
its containers. The classifiers only need the tokens' ORTH ids, and spaCy splits text at spaces before it
looks at affixes, so a chunk between two spaces yields the same tokens wherever it occurs — except where
one of the tokenizer's special cases (emoticons such as ``:-)``, abbreviations such as ``z.``) could be
matched across the space. Texts with such a boundary are tokenised whole, as before; every other text gets
exactly the ids ``make_doc`` gives (tests/nlp/test_scoring.py checks this on the corpus and on random
emoticon soup).
"""
from __future__ import annotations

import re
from itertools import chain

from spacy.language import Language
from spacy.tokenizer import Tokenizer

CHUNK_CACHE_LIMIT = 100_000  # chunks (words with their punctuation) whose token ids are kept


def special_junctions(tokenizer: Tokenizer) -> dict[str, set[str]] | None:
    """Return, per character, those before it where two tokens of a special case meet (None: cannot tell).

    A special case is matched on the tokens its text yields without special cases; where two of them meet at
    characters ``xy``, the space of a text's ``x y`` may be crossed.
    """
    try:
        plain = Tokenizer(tokenizer.vocab, rules=None, prefix_search=tokenizer.prefix_search,
                          suffix_search=tokenizer.suffix_search, infix_finditer=tokenizer.infix_finditer,
                          token_match=tokenizer.token_match, url_match=tokenizer.url_match)
        before: dict[str, set[str]] = {}
        for text in tokenizer.rules or {}:
            if text.isspace():  # whitespace tokens: folded text has only single spaces, which are no tokens
                continue
            if any(c.isspace() for c in text):
                return None
            pieces = [token.text for token in plain(text)]
            for left, right in zip(pieces, pieces[1:], strict=False):
                before.setdefault(right[0], set()).add(left[-1])
        return before
    except (AttributeError, TypeError, ValueError):
        return None


def crossable_spaces(tokenizer: Tokenizer) -> re.Pattern | None:
    """Return a pattern finding the spaces a special case might be matched across (None: cannot tell)."""
    before = special_junctions(tokenizer)
    if before is None:
        return None
    # A space, then one of the right-hand characters, checked against the character before the space: the
    # search jumps from space to space, and most characters after a space are no right-hand character.
    checks = [f"{re.escape(right)}(?<=[{''.join(re.escape(c) for c in sorted(lefts))}] {re.escape(right)})"
              for right, lefts in sorted(before.items())]
    return re.compile(" (?:" + "|".join(checks) + ")") if checks else re.compile("(?!)")


class ChunkTokenizer:
    """ORTH ids of folded text (single spaces, no other whitespace), as ``pipeline.make_doc`` gives them."""

    def __init__(self, pipeline: Language) -> None:
        self.make_doc = pipeline.make_doc
        self.crossable = crossable_spaces(pipeline.tokenizer)
        self.chunks: dict[str, tuple[int, ...]] = {}

    def __call__(self, text: str) -> list[int]:
        """Return the token ids of the text."""
        if (self.crossable is None or self.crossable.search(text)
                or text.startswith(" ") or text.endswith(" ") or "  " in text):
            return self.make_doc(text).to_array("ORTH").tolist()  # a special case may cross a space
        parts = text.split(" ")
        known = list(map(self.chunks.get, parts))
        if None in known:
            return self._tokenise(text, parts)
        return list(chain.from_iterable(known))

    def _tokenise(self, text: str, parts: list[str]) -> list[int]:
        """Tokenise the whole text once and keep each chunk's tokens."""
        tokens = self.make_doc(text).to_array(["ORTH", "SPACY"]).tolist()
        groups: list[list[int]] = [[]]
        for orth, space_after in tokens:
            groups[-1].append(orth)
            if space_after:
                groups.append([])
        if len(groups) == len(parts) and all(groups):
            if len(self.chunks) > CHUNK_CACHE_LIMIT:
                self.chunks.clear()
            # tuples of ints: the garbage collector stops tracking them, so 100,000 kept chunks cost it nothing
            self.chunks.update(zip(parts, map(tuple, groups), strict=True))
        return [orth for orth, _ in tokens]
