"""Cleaning and language identification on short, odd and foreign texts."""
from __future__ import annotations

import json

import pytest

from nlp.language import detect_language
from nlp.language_eval import LANG_EVAL, language_accuracy
from nlp.text import MODEL_MAX_CHARS, clean_text, model_text


def test_html_tags_entities_and_scripts_are_removed():
    assert clean_text("<p>Hallo&nbsp;<b>Welt</b> &amp; Co</p><script>var x = 1;</script>") == "Hallo Welt & Co"


def test_control_and_invisible_characters_become_spaces():
    assert clean_text("a\x00b\x1b[0m\u200bc\ufeff\u202ed") == "a b [0m c d"


def test_model_text_is_folded_url_free_and_bounded():
    text = model_text(clean_text("Übergröße bei https://kolibri.example/x?y=1 " + "wort " * 5000))
    assert text.startswith("ubergrosse bei url wort")
    assert len(text) <= MODEL_MAX_CHARS


@pytest.mark.parametrize(("text", "lang"), [
    ("Meine Bestellung ist immer noch nicht da", "de"),
    ("my order still hasn't arrived", "en"),
    ("Ma commande n'est toujours pas arrivée", "fr"),
    ("Mi pedido todavía no ha llegado", "es"),
    ("Il mio ordine non è ancora arrivato", "it"),
    ("Mijn bestelling is nog steeds niet aangekomen", "nl"),
    ("Moje zamówienie jeszcze nie dotarło", "other"),
    ("注文した商品がまだ届きません", "other"),
])
def test_supported_languages_are_told_apart_and_others_are_other(text, lang):
    assert detect_language(text)[0] == lang


@pytest.mark.parametrize("text", ["", "😀😀🔥", "https://example.com/path", "ok", "!!!", "12:30"])
def test_texts_without_enough_letters_are_other(text):
    assert detect_language(text) == ("other", 0.0)


def test_a_source_language_hint_settles_doubtful_cases():
    assert detect_language("ok", hint="de")[0] == "de"
    assert detect_language("Mijn bestelling is nog steeds niet aangekomen", hint="de")[0] == "nl"


def test_hand_written_short_sentences_are_mostly_right():
    rows = [(r["text"], r["lang"]) for r in map(json.loads, LANG_EVAL.read_text(encoding="utf-8").splitlines())]
    result = language_accuracy(rows)
    assert result["accuracy"]["all"] >= 0.9
    assert {"fr", "es", "it", "nl", "other"} <= set(result["n"])


def test_the_faster_identifier_says_exactly_what_py3langid_says():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from nlp.corpus import load_corpus
    from nlp.language import _CANDIDATES, MAX_CHARS, _identifier
    from nlp.text import strip_urls

    plain = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    plain.set_languages(_CANDIDATES)
    texts = [strip_urls(clean_text(e.text)[:MAX_CHARS]) for e in load_corpus()[::3]]
    texts += [json.loads(line)["text"] for line in LANG_EVAL.read_text(encoding="utf-8").splitlines()]
    texts += ["", " ", "a  b  ", "ÄÖÜ ß ", "x" * 400, "Straße straße STRASSE"]
    assert [_identifier().classify(t) for t in texts + texts] == [plain.classify(t) for t in texts + texts]


def test_languages_identified_together_equal_one_by_one():
    from nlp.corpus import load_corpus
    from nlp.language import detect_languages

    texts = [clean_text(e.text) for e in load_corpus()[1::3]]
    texts += [json.loads(line)["text"] for line in LANG_EVAL.read_text(encoding="utf-8").splitlines()]
    texts += ["", " ", "🙂🙂", "https://example.org/x", "a  b  ", "ÄÖÜ ß ", "x" * 400, "Straße STRASSE", "123 456", "??!!"]
    hints = [("de", None, "en", "xx")[i % 4] for i in range(len(texts))]
    together, alone = detect_languages(texts, hints), [detect_language(t, h) for t, h in zip(texts, hints, strict=True)]
    assert [lang for lang, _ in together] == [lang for lang, _ in alone]
    assert [c for _, c in together] == pytest.approx([c for _, c in alone], rel=1e-5, abs=1e-6)
    assert detect_languages(texts[:3], hints[:3]) == alone[:3]  # a few texts go one by one: exactly the same


def test_the_fast_text_helpers_give_what_the_plain_regular_expressions_give():
    import re
    import unicodedata

    from nlp.corpus import load_corpus
    from nlp.text import _COMBINING, _CONTROL, _ENOUGH_LETTERS, _URL, fold, folded_texts, has_words, strip_urls

    space = re.compile(r"\s+")

    def plain_fold(text):
        return space.sub(" ", _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))).strip()

    def plain_strip(text):
        return space.sub(" ", _URL.sub(" ", text)).strip()

    odd = ["", " ", "\t a \x1c b\x1f\u2028c\u00a0d\u3000 ", "WWW.Example.org x", "hTTpS://a.b/c?d=1 ok", "ſtraße ﬁne Ǆ",
           "e\u0301\u0327 ÄÖÜ", "ftp://x.y zz", "www x", "a\u200bb", "12 :// 34", "Ｗｗｗ.example"]
    texts = [e.text for e in load_corpus()[::5]] + odd
    for text in texts:
        assert fold(text) == plain_fold(text)
        assert strip_urls(text) == plain_strip(text)
        assert has_words(text) == bool(_ENOUGH_LETTERS.search(plain_strip(text[:MODEL_MAX_CHARS])))
        assert model_text(text) == plain_fold(_URL.sub(" url ", text[:MODEL_MAX_CHARS]))
        assert folded_texts(text) == (plain_fold(text[:MODEL_MAX_CHARS]), model_text(text))
        raw = text.replace(" ", "\x00 ", 3)
        assert clean_text(raw) == space.sub(" ", _CONTROL.sub(" ", raw)).strip()
