"""The strings a regular expression's matches must start with: a cheap, exact pre-test for many patterns.

``starts(pattern, k)`` reads the parsed pattern and returns every string of ``k`` characters a match can begin
with, or None when that cannot be told (a class such as ``\\d``, any character, a match shorter than ``k``).
Zero-width assertions (``\\b``, look-arounds) are skipped: that only admits more strings, never fewer, so a text
without any of the strings at the right place has no match.
"""
from __future__ import annotations

import re
from re import _constants as sre
from re import _parser as sre_parse

MAX_STRINGS = 256
_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}


class _Unknown(Exception):
    """The pattern's opening cannot be spelled out as a small set of strings."""


def _extend(prefixes: set[str], items, k: int) -> set[str]:
    for op, arg in items:
        if all(len(p) >= k for p in prefixes):
            return prefixes
        if op in _ZERO_WIDTH:
            continue
        if op is sre.LITERAL:
            options = [{chr(arg)}]
        elif op is sre.IN:
            options = [_class(arg)]
        elif op is sre.SUBPATTERN:
            options = [_extend(prefixes, arg[-1], k)]
            prefixes = set()
        elif op is sre.BRANCH:
            options = [set().union(*(_extend(prefixes, branch, k) for branch in arg[1]))]
            prefixes = set()
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            low, high, body = arg
            found, current = (set(prefixes) if low == 0 else set()), set(prefixes)
            for count in range(1, min(high, k) + 1):
                current = _extend(current, body, k)
                if count >= low:
                    found |= current
            if low > k:
                found |= current
            options, prefixes = [found], set()
        else:
            raise _Unknown(op)
        if prefixes:  # a single character: append it to every unfinished prefix
            prefixes = {p for p in prefixes if len(p) >= k} | {p + c for p in prefixes if len(p) < k for c in options[0]}
        else:
            prefixes = options[0]
        if len(prefixes) > MAX_STRINGS:
            raise _Unknown("too many")
    return prefixes


def _class(items) -> set[str]:
    chars = set()
    for op, arg in items:
        if op is sre.LITERAL:
            chars.add(chr(arg))
        elif op is sre.RANGE and arg[1] - arg[0] < 64:
            chars |= {chr(c) for c in range(arg[0], arg[1] + 1)}
        else:  # negation, categories (\d, \w: far more than ASCII), wide ranges
            raise _Unknown(op)
    return chars


def starts(pattern: str, k: int) -> set[str] | None:
    """Return the strings of ``k`` characters every match of ``pattern`` begins with, or None if unknown."""
    try:
        found = _extend({""}, sre_parse.parse(pattern), k)
    except _Unknown:
        return None
    return found if found and all(len(p) >= k for p in found) else None


def word_starts(pattern: str, k: int) -> set[str] | None:
    r"""Like ``starts`` for a pattern that opens with ``\b`` and a word character: its matches begin words."""
    found = starts(pattern, k) if pattern.startswith(r"\b") else None
    if found is None or not all(re.match(r"\w", p) for p in found):
        return None
    return {p[:k] for p in found}


def required_texts(pattern: str) -> tuple[str, ...]:
    """Return plain texts one of which every match of ``pattern`` contains (("",) if none is known).

    The candidates are runs of plain characters and groups of plain alternatives at the pattern's top level;
    the one whose shortest text is longest wins.
    """
    best, run = ("",), ""
    for op, arg in sre_parse.parse(pattern):
        if op is sre.LITERAL:
            run += chr(arg)
            best = max(best, (run,), key=lambda texts: min(map(len, texts)))
            continue
        run = "" if op not in _ZERO_WIDTH else run
        if op is sre.SUBPATTERN:
            alternatives = _plain_alternatives(arg[-1])
            if alternatives:
                best = max(best, alternatives, key=lambda texts: min(map(len, texts)))
    return best


def _plain_alternatives(items) -> tuple[str, ...] | None:
    if len(items) != 1 or items[0][0] is not sre.BRANCH:
        return None
    texts = []
    for branch in items[0][1][1]:
        if not branch or any(op is not sre.LITERAL for op, _ in branch):
            return None
        texts.append("".join(chr(arg) for _, arg in branch))
    return tuple(texts)
