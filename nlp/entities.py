"""Brand and product mentions found with a spaCy PhraseMatcher over folded text (case/umlaut-insensitive)."""
from __future__ import annotations

from collections.abc import Iterable

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
    """Find configured brands (name, aliases) and products in docs made from folded text."""

    def __init__(self, pipeline: Language, brands: Iterable) -> None:
        self.matcher = PhraseMatcher(pipeline.vocab, attr="ORTH")
        self.names: dict[int, str] = {}
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

    def __call__(self, doc: Doc | None) -> tuple[str, ...]:
        """Return ``brand:<name>`` / ``product:<name>`` for each configured entity in the doc, in text order.

        Without configured names there is nothing to find, and no doc is needed.
        """
        if not self.names:
            return ()
        found, taken_until = [], -1
        # Longest match wins where names overlap ("Pulse Watch 2" over "Pulse Watch").
        for match_id, start, end in sorted(self.matcher(doc), key=lambda m: (m[1], m[1] - m[2])):
            if start >= taken_until:
                found.append(self.names[match_id])
                taken_until = end
        return tuple(dict.fromkeys(found))
