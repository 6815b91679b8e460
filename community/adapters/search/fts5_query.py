"""Turn a user's search text into an FTS5 MATCH expression over analysed terms (phrases, prefixes, compounds)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from community.adapters.search.analysis import LANGUAGES, is_stopword, split_compound, stem, words

_PART = re.compile(r'"([^"]*)"|(\S+)')


@dataclass(slots=True)
class Group:
    """One thing the user asked for: a word (with its stems and compound parts), a phrase or a prefix."""

    alternatives: list[str]
    kind: str = "term"  # term | phrase | prefix
    parts: tuple[str, ...] = ()

    def expression(self) -> str:
        """Return the FTS5 expression of this group."""
        if self.kind == "phrase":
            return '"' + " ".join(self.alternatives) + '"'
        if self.kind == "prefix":
            return " OR ".join(f'"{a}"*' for a in self.alternatives)
        options = [f'"{a}"' for a in self.alternatives]
        if self.parts:
            options.append("(" + " AND ".join(f'"{p}"' for p in self.parts) + ")")
        return options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")"

    def all_terms(self) -> set[str]:
        """Return every index term this group can match."""
        if self.kind == "phrase":
            return set(self.alternatives)
        return {*self.alternatives, *self.parts}


@dataclass(slots=True)
class ParsedQuery:
    """The groups of a query, and the analysed terms used for highlighting."""

    groups: list[Group] = field(default_factory=list)
    langs: tuple[str, ...] = LANGUAGES

    def wanted(self) -> set[str]:
        """Return the exact terms to highlight."""
        return {t for g in self.groups if g.kind != "prefix" for t in g.all_terms()}

    def prefixes(self) -> tuple[str, ...]:
        """Return the prefixes to highlight."""
        return tuple(a for g in self.groups if g.kind == "prefix" for a in g.alternatives)


def parse(text: str, language: str | None, known: frozenset[str] | set[str]) -> ParsedQuery:
    """Analyse the query text in the query's language (both languages when unknown)."""
    langs = (language,) if language in LANGUAGES else LANGUAGES
    parsed = ParsedQuery(langs=langs)
    items = [(m.group(1), m.group(2)) for m in _PART.finditer(text)]
    plain = [w for _, raw in items if raw and not raw.endswith("*") for w in words(raw)]
    keep_stop = all(is_stopword(w, language) for w in plain)
    for phrase, raw in items:
        if phrase is not None:
            stems = [stem(w, langs[0]) for w in words(phrase) if not is_stopword(w, language)]
            if stems:
                parsed.groups.append(Group(stems, "phrase"))
        elif raw.endswith("*") and words(raw):
            base = words(raw)[-1]
            parsed.groups.append(Group(sorted({stem(base, lang) for lang in langs}), "prefix"))
        else:
            for word in words(raw):
                if keep_stop or not is_stopword(word, language):
                    parsed.groups.append(_word_group(word, langs, known))
    return parsed


def _word_group(word: str, langs: tuple[str, ...], known) -> Group:
    stems = sorted({stem(word, lang) for lang in langs})
    parts: tuple[str, ...] = ()
    if "de" in langs:
        parts = split_compound(stem(word, "de"), known)
    return Group(stems, "term", parts)


def match_expression(groups: list[Group], *, conjunctive: bool = False) -> str:
    """Join groups with OR (any may match; BM25 ranks) or AND (all must match)."""
    joiner = " AND " if conjunctive else " OR "
    return joiner.join(g.expression() for g in groups)
