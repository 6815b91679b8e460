"""The signal lexicons' word-opening pre-test gives exactly what searching every pattern gives."""
from __future__ import annotations

import re

import pytest

from nlp.corpus import load_corpus
from nlp.regex_starts import required_texts, starts, word_starts
from nlp.signals import LEXICONS, text_signals
from nlp.text import fold

ODD = ["", " ", "🙂🙂", "3 days now", "charged 5 times", "٣ days now", "12 people", "3x abgebucht", "dreimal abgebucht",
       "zum 4. mal", "the server is down", "cloud ist down", "lockdown", "the door opened by itself", "a lot of us",
       "smart lock unlocked", "fällt seit heute früh aus", "(ausfall)", "x" * 5000, "so heiss", "ANWALT!!! SOFORT"]


COMPILED = {name: [re.compile(p) for p in patterns] for name, patterns in LEXICONS.items()}


def every_pattern(folded: str) -> list[str]:
    """Return the lexicons with a matching pattern, searching each pattern on its own (the plain definition)."""
    return [name for name, patterns in COMPILED.items() if any(p.search(folded) for p in patterns)]


def test_signals_equal_searching_every_pattern_on_the_corpus_and_odd_texts():
    texts = [e.text for e in load_corpus()] + ODD
    for text in texts + [t.upper() for t in texts[:300]]:
        folded = fold(text)
        assert [s for s in text_signals(folded, text) if s != "shouting"] == every_pattern(folded), text


@pytest.mark.parametrize(("pattern", "k", "expected"), [
    (r"\bfall(t|en) .{0,20}\baus\b", 5, {"fallt", "falle"}),
    (r"\b(so|sehr) heiss", 3, {"so ", "seh"}),
    (r"\bsmok(e|ing)?\b", 5, None),  # "smok" can end the match: no fifth character
    (r"\b\d+ days", 2, None),  # \d is more than 0-9
    (r"[a-z]down", 2, {chr(c) + "d" for c in range(ord("a"), ord("z") + 1)}),
])
def test_starts_spells_out_what_a_match_opens_with(pattern, k, expected):
    assert starts(pattern, k) == expected


def test_word_starts_needs_a_word_boundary_and_word_characters():
    assert word_starts(r"\bausfall", 3) == {"aus"}
    assert word_starts(r"ausfall", 3) is None
    assert word_starts(r"\b ausfall", 3) is None


def test_required_texts_are_the_longest_plain_run_or_group_of_plain_alternatives():
    assert required_texts(r"[a-z]down\b") == ("down",)
    assert required_texts(r"\b(second|third|\d+th) time") == (" time",)
    assert required_texts(r"\b\d+ (days|weeks) (now|and)") == ("days", "weeks")
    assert required_texts(r"\d+") == ("",)
