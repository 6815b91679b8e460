"""The shared-token entity lookup, the batch language walk, the keyword-rule pre-test and the shouting pre-test
give exactly what their plain definitions give."""
from __future__ import annotations

import random
import re

import pytest
import spacy
from spacy.matcher import PhraseMatcher

from community.domain.topics import KeywordRules, rule_topic
from nlp.corpus import load_corpus
from nlp.entities import EntityMatcher, spellings
from nlp.language import MAX_CHARS, _identifier
from nlp.signals import text_signals
from nlp.text import clean_text, fold, model_text, strip_urls
from nlp.tokens import ChunkTokenizer

BRANDS = [{"name": "Kolibri", "aliases": ["Kolibri Shop", "KolibriSupport"],
           "products": ["Pulse Watch", "Pulse Watch 2", "Aero Buds", "Aero Buds Pro", "Kühlbox Mini", "Kolibri App"]}]
ODD = ["", " ", "🙂🙂", "x", "!!!", "https://kolibri.example/a www.kolibri.de", ":-) :) z. B.", "a " * 300,
       "\u200b\x07", "ÄÖÜ ß ẞ ﬁ", "١٢٣ مرحبا", "你好，世界", "KOLIBRI-SHOP kolibri shop kolibrishop",
       "pulse watch 2 pulse watch pulsewatch 2", "aero buds pro aero-buds-pro aerobudspro", "kuhlbox mini kuehlbox-mini"]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    rng = random.Random(5)
    names = [v for n in ("Kolibri", "Kolibri Shop", "Pulse Watch 2", "Aero Buds Pro", "Kühlbox Mini", "Kolibri App")
             for v in spellings(n)]
    corpus = [e.text for e in load_corpus()[::5]]
    mixed = []
    for text in corpus:
        words = text.split()
        for _ in range(2):
            words.insert(rng.randint(0, len(words)), rng.choice(names).upper() if rng.random() < .3 else rng.choice(names))
        mixed.append(" ".join(words))
    return corpus + mixed + ODD


def phrase_matcher(pipeline, brands) -> tuple[PhraseMatcher, dict[int, str]]:
    """Return a PhraseMatcher of the brands' spellings and its match ids' names."""
    matcher, names = PhraseMatcher(pipeline.vocab, attr="ORTH"), {}
    for brand in brands:
        entries = [("brand", brand["name"], [brand["name"], *brand["aliases"]])]
        entries += [("product", p, [p]) for p in brand["products"]]
        for kind, canonical, spelled in entries:
            key = f"{kind}:{canonical}"
            matcher.add(key, [pipeline.make_doc(v) for n in spelled for v in spellings(n)])
            names[pipeline.vocab.strings[key]] = key
    return matcher, names


def phrase_matcher_entities(pipeline, matcher, names, text: str) -> tuple[str, ...]:
    """Return the entities as the spaCy PhraseMatcher finds them in a doc of the folded text (the plain way)."""
    found, taken_until = [], -1
    for match_id, start, end in sorted(matcher(pipeline.make_doc(text)), key=lambda m: (m[1], m[1] - m[2])):
        if start >= taken_until:
            found.append(names[match_id])
            taken_until = end
    return tuple(dict.fromkeys(found))


@pytest.mark.parametrize("brands", [BRANDS, BRANDS + [{"name": "Pulse", "aliases": ["Aero Buds"], "products": ["Mini"]}]])
def test_entities_from_shared_token_ids_equal_the_phrase_matcher(texts, brands):
    # The second configuration spells two entities the same ("Aero Buds"): the PhraseMatcher decides those.
    pipeline = spacy.blank("xx")
    entities, tokens, (matcher, names) = EntityMatcher(pipeline, brands), ChunkTokenizer(pipeline), phrase_matcher(
        pipeline, brands)
    assert (None in entities.sequences.values()) == (len(brands) > 1)
    for text in texts:
        folded = model_text(clean_text(text))
        assert entities(tokens(folded)) == phrase_matcher_entities(pipeline, matcher, names, folded), text


def test_entities_without_configured_names_are_none():
    pipeline = spacy.blank("xx")
    assert EntityMatcher(pipeline, [])(ChunkTokenizer(pipeline)("kolibri aero buds")) == ()


def test_the_batch_walk_visits_the_features_each_text_walks(texts):
    identifier = _identifier()
    encoded = [identifier._encode(strip_urls(clean_text(t)[:MAX_CHARS])) for t in texts]
    encoded += [b"", b" ", bytes(range(256)), "é".encode() * 200]
    text_of, feature = identifier.walk_many(encoded)
    walked = [[] for _ in encoded]
    for i, f in zip(text_of.tolist(), feature.tolist(), strict=True):
        walked[i].append(f)
    assert [sorted(w) for w in walked] == [sorted(identifier.features(e)) for e in encoded]


def test_keyword_rules_with_overlapping_prefixes_answer_like_rule_topic(texts):
    topics = {"payment": ["zahl*", "zahlung*", "bezahl*", "#tag*", "e-mail", "abgebucht"],
              "cancellation": ["kundig*", "kund*", "kündigung", "zahlung*"],  # a keyword of two topics
              "shipping": ["paket", "paket", "versand*", "dhl"],  # a keyword twice in one topic
              "other": ["", "  ", "?!", "zum dritten*"]}
    rules = KeywordRules(topics)
    extra = ["Zahlungen und Kündigung", "kundendienst zahlt", "#tagging", "paket paket dhl", "zum drittenmal ?!",
             "Kuendigung der Zahlung", "BEZAHLT"]
    for text in texts + extra:
        assert rules(text) == rule_topic(text, topics), text


def test_shouting_pre_test_keeps_what_counting_shouted_words_gives(texts):
    shout = re.compile(r"\b[A-ZÄÖÜ]{4,}\b")
    samples = texts + [t.upper() for t in texts[:200]] + ["ÄRGER ÜBER", "DAS IST EINE FRECHHEIT", "ABC DEFG HIJK",
                                                         "NOT shouting", "x" * 1998 + " ABCD EFGH"]
    for text in samples:
        plain = "!!!" in text or (not text.islower() and len(shout.findall(text[:2000])) >= 2)
        assert ("shouting" in text_signals(fold(text), text)) == plain, text


def test_a_large_batch_is_identified_in_walks_of_bounded_size_with_the_same_results(texts):
    from nlp.language import WALK_MAX

    identifier = _identifier()
    many = [strip_urls(clean_text(t)[:MAX_CHARS]) for t in texts][: 2 * WALK_MAX + 7]
    assert len(many) > 2 * WALK_MAX
    assert identifier.classify_many(many) == [r for start in range(0, len(many), 100)
                                              for r in identifier.classify_many(many[start:start + 100])]
