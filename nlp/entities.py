"""Brand and product mentions found in folded text's token ids (case/umlaut-insensitive).

The names' spellings are tokenised as the models' text is, and looked up as token-id sequences in the ids the
classifier already has for the model: the matches a spaCy ``PhraseMatcher`` (attr ``ORTH``) finds in a doc of
that text, without making the doc. Where two entities share a spelling, the ``PhraseMatcher`` itself decides
(its order among equal matches is its own), on a doc made from the ids.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from community.domain.model import normalise_text

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def _field(item, name: str, default):
    return item.get(name, default) if isinstance(item, dict) else getattr(item, name, default)


def spellings(name: str) -> set[str]:
    """Return the folded ways customers write a name: with/without umlauts, spaced, hyphenated or joined."""
    variants = set()
    for base in {normalise_text(name), normalise_text(name.translate(_UMLAUTS))}:
        variants |= {base, base.replace(" ", "-"), base.replace(" ", ""), base.replace("-", " ")}
    return {v for v in variants if v}


class EntityMatcher:
    """Find configured brands (name, aliases) and products in the token ids of folded text."""

    def __init__(self, pipeline: Language, brands: Iterable) -> None:
        self.vocab = pipeline.vocab
        self.matcher = PhraseMatcher(pipeline.vocab, attr="ORTH")
        self.names: dict[int, str] = {}  # PhraseMatcher match id → "kind:name"
        self.sequences: dict[tuple[int, ...], str | None] = {}  # token ids → "kind:name" (None: several share them)
        self.lengths: dict[int, tuple[int, ...]] = {}  # first token id → the sequences' lengths, longest first
        for brand in brands or ():
            entries = [("brand", _field(brand, "name", ""), [_field(brand, "name", ""), *_field(brand, "aliases", [])])]
            entries += [("product", product, [product]) for product in _field(brand, "products", [])]
            for kind, canonical, names in entries:
                if not canonical:
                    continue
                key = f"{kind}:{canonical}"
                patterns = [pipeline.make_doc(v) for n in names for v in spellings(n)]
                self.matcher.add(key, patterns)
                self.names[pipeline.vocab.strings[key]] = key
                for pattern in patterns:
                    ids = tuple(token.orth for token in pattern)
                    if ids:
                        self.sequences[ids] = key if self.sequences.get(ids, key) == key else None
        by_first: dict[int, set[int]] = {}
        for ids in self.sequences:
            by_first.setdefault(ids[0], set()).add(len(ids))
        self.lengths = {first: tuple(sorted(sizes, reverse=True)) for first, sizes in by_first.items()}

    def __call__(self, token_ids: Sequence[int]) -> tuple[str, ...]:
        """Return ``brand:<name>`` / ``product:<name>`` for each configured entity in the text, in text order.

        ``token_ids`` are the ORTH ids of the folded text (``pipeline.make_doc``'s). Where names overlap, the
        longest match wins ("Pulse Watch 2" over "Pulse Watch").
        """
        lengths = self.lengths
        if not lengths or lengths.keys().isdisjoint(token_ids):
            return ()
        found, start, end, sequences = [], 0, len(token_ids), self.sequences
        while start < end:
            for length in lengths.get(token_ids[start], ()):
                ids = tuple(token_ids[start:start + length])
                if ids in sequences:
                    key = sequences[ids]
                    if key is None:  # a spelling of several entities: the PhraseMatcher's choice
                        return self._matched(token_ids)
                    found.append(key)
                    start += length
                    break
            else:
                start += 1
        return tuple(dict.fromkeys(found))

    def _matched(self, token_ids: Sequence[int]) -> tuple[str, ...]:
        """Return the entities as the PhraseMatcher finds them in a doc of the token ids."""
        doc = Doc(self.vocab, words=[self.vocab.strings[orth] for orth in token_ids])
        found, taken_until = [], -1
        for match_id, start, end in sorted(self.matcher(doc), key=lambda m: (m[1], m[1] - m[2])):
            if start >= taken_until:
                found.append(self.names[match_id])
                taken_until = end
        return tuple(dict.fromkeys(found))
