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

from spacy.language import Language
from spacy.tokenizer import Tokenizer

CHUNK_CACHE_LIMIT = 100_000  # chunks (words with their punctuation) whose token ids are kept


def special_junctions(tokenizer: Tokenizer) -> dict[str, set[str]] | None:
    """Return, per character, those following it where two tokens of a special case meet (None: cannot tell).

    A special case is matched on the tokens its text yields without special cases; if two of them meet at
    characters ``xy``, a space between a chunk ending in ``x`` and one starting with ``y`` may be crossed.
    """
    try:
        plain = Tokenizer(tokenizer.vocab, rules=None, prefix_search=tokenizer.prefix_search,
                          suffix_search=tokenizer.suffix_search, infix_finditer=tokenizer.infix_finditer,
                          token_match=tokenizer.token_match, url_match=tokenizer.url_match)
        junctions: dict[str, set[str]] = {}
        for text in tokenizer.rules or {}:
            if text.isspace():  # whitespace tokens: folded text has only single spaces, which are no tokens
                continue
            if any(c.isspace() for c in text):
                return None
            pieces = [token.text for token in plain(text)]
            for left, right in zip(pieces, pieces[1:], strict=False):
                junctions.setdefault(left[-1], set()).add(right[0])
        return junctions
    except (AttributeError, TypeError, ValueError):
        return None


class ChunkTokenizer:
    """ORTH ids of folded text (single spaces, no other whitespace), as ``pipeline.make_doc`` gives them."""

    def __init__(self, pipeline: Language) -> None:
        self.make_doc = pipeline.make_doc
        self.junctions = special_junctions(pipeline.tokenizer)
        self.chunks: dict[str, list[int]] = {}

    def __call__(self, text: str) -> list[int]:
        """Return the token ids of the text."""
        parts = text.split(" ")
        if self.junctions is None or self._may_cross(parts):
            return self.make_doc(text).to_array("ORTH").tolist()
        ids: list[int] = []
        for part in parts:
            known = self.chunks.get(part)
            if known is None:
                return self._tokenise(text, parts)
            ids += known
        return ids

    def _may_cross(self, parts: list[str]) -> bool:
        """Tell whether a special case might be matched across one of the spaces between the parts."""
        junctions, before = self.junctions, " "  # nothing is matched across the text's start
        for part in parts:
            after = junctions.get(before)
            if not part or (after is not None and part[0] in after):
                return True
            before = part[-1]
        return False

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
            self.chunks.update(zip(parts, groups, strict=True))
        return [orth for orth, _ in tokens]
