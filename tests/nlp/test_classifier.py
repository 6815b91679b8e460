"""SpacyClassifier: every kind of odd input gets a sensible analysis; rules, signals, entities show up."""
from __future__ import annotations

import json

import pytest

from community.domain.model import Analysis, RawPost
from nlp.classifier import SpacyClassifier
from tests.nlp.conftest import BRANDS

TOPICS = {"payment": ["abgebucht", "lastschrift"], "cancellation": ["kündig*"], "other": []}


@pytest.fixture(scope="module")
def classifier(small_models) -> SpacyClassifier:
    return SpacyClassifier.load(small_models, kind="accurate", brands=BRANDS, topics=TOPICS)


def post(text: str, title: str = "", **extra) -> RawPost:
    return RawPost(source="forum", external_id="1", url="", title=title, text=text, extra=extra)


def assert_sane(analysis: Analysis) -> None:
    data = analysis.as_dict()
    json.dumps(data)
    assert 0 <= data["urgency"]["score"] <= 100
    assert data["urgency"]["level"] in ("low", "normal", "high", "critical")
    assert data["sentiment"]["label"] in ("negative", "neutral", "positive")
    assert 0.0 <= data["confidence"] <= 1.0


@pytest.mark.parametrize("text", ["", "   \n\t ", "😀🔥👍🏽", "https://example.com/a?b=c www.example.org/x",
                                  "\x00\x01\x02\x1b[31m\u200b\ufeff", "12345 !!! ???"])
def test_texts_without_words_are_other_neutral_and_low(classifier, text):
    analysis = classifier.analyse(post(text))
    assert_sane(analysis)
    assert analysis.language == "other"
    assert analysis.topic == "other"
    assert analysis.sentiment_label == "neutral"
    assert (analysis.urgency_level, analysis.urgency_signals) == ("low", ())


def test_a_100_kb_post_is_read_from_its_opening(classifier):
    text = "Mein Akku ist aufgebläht und die Uhr wird extrem heiß, ich habe Angst dass sie brennt. " + "bla " * 25000
    analysis = classifier.analyse(post(text))
    assert_sane(analysis)
    assert analysis.language == "de"
    assert "safety" in analysis.urgency_signals


def test_html_remnants_are_stripped_before_reading(classifier):
    analysis = classifier.analyse(post("<p>Hallo,<br/>meine <b>Pulse&nbsp;Watch 2</b> lädt nicht mehr.</p>"
                                       "<script>alert('x')</script>"))
    assert_sane(analysis)
    assert analysis.language == "de"
    assert "product:Pulse Watch 2" in analysis.entities


def test_control_characters_do_not_break_anything(classifier):
    analysis = classifier.analyse(post("my order\x00 never\x07 arrived\u202e and nobody answers\x1b"))
    assert_sane(analysis)
    assert analysis.language == "en"


def test_mixed_languages_get_one_language_and_an_analysis(classifier):
    analysis = classifier.analyse(post("Hallo, meine Bestellung ist immer noch nicht da. Still waiting, this is "
                                       "really annoying, seit zwei Wochen keine Antwort!"))
    assert_sane(analysis)
    assert analysis.language in ("de", "en")
    assert "repeated_contact" in analysis.urgency_signals


def test_keyword_rules_decide_the_topic_first(classifier):
    analysis = classifier.analyse(post("Ihr habt doppelt abgebucht, ich will mein Geld zurück"))
    assert analysis.topic == "payment"
    assert analysis.topic_source == "rules"
    assert "keyword:abgebucht" in analysis.tags


def test_without_a_rule_the_model_decides(classifier):
    analysis = classifier.analyse(post("Which one is better for running, the Pulse Watch 2 or the Garmin?"))
    assert analysis.topic_source == "model"
    assert 0 < analysis.topic_confidence <= 1


def test_legal_threats_and_reach_are_listed_and_raise_urgency(classifier):
    calm = classifier.analyse(post("Wie lange dauert der Versand nach Österreich?"))
    angry = classifier.analyse(post("Das ist Betrug! Zum dritten Mal keine Antwort, jetzt geht das an meinen Anwalt "
                                    "und die Verbraucherzentrale.", author_reach=250_000, engagement=400))
    assert {"legal", "repeated_contact", "author_reach", "engagement"} <= set(angry.urgency_signals)
    assert angry.urgency_score > calm.urgency_score
    assert angry.urgency_level in ("high", "critical")
    assert not {"legal", "author_reach"} & set(calm.urgency_signals)


def test_brands_and_products_are_found_whatever_the_case_and_umlauts(classifier):
    analysis = classifier.analyse(post("KOLIBRI hat mir die kuehlbox mini kaputt geliefert, und die aero-buds auch"))
    assert analysis.entities == ("brand:Kolibri", "product:Kühlbox Mini", "product:Aero Buds")


def test_batch_and_single_analyses_agree(classifier):
    posts = [post(t) for t in ("Paket nicht angekommen", "love my new Aero Buds!", "", "kündige jetzt meinen Vertrag")]
    assert classifier.analyse_many(posts) == [classifier.analyse(p) for p in posts]


def test_the_title_counts_as_part_of_the_post(classifier):
    analysis = classifier.analyse(post("", title="Kündigung meines Abos"))
    assert analysis.topic == "cancellation"


def test_the_fast_model_loads_and_reads_too(small_models):
    fast = SpacyClassifier.load(small_models, kind="fast")
    assert_sane(fast.analyse(post("Where is my parcel? Tracking has not moved for a week.")))


def test_a_missing_model_is_reported_not_guessed(tmp_path):
    with pytest.raises(FileNotFoundError, match="superfan train"):
        SpacyClassifier.load(tmp_path, kind="fast")


def test_prefiltered_keyword_rules_answer_exactly_like_rule_topic():
    from community.domain.topics import KeywordRules, rule_topic
    from nlp.corpus import load_corpus
    from superfan.settings import load_settings
    from tests.shared_path import REPO

    topics = {name: t.keywords for name, t in load_settings(REPO / "settings.toml", environ={}).topics.items()}
    topics["other"] = ["#hashtag", "e-mail", "zum dritten*"]
    rules = KeywordRules(topics)
    texts = [e.text for e in load_corpus()[::7]] + ["#hashtag!", "meine E-Mail", "zum drittenmal"]
    assert [rules(t) for t in texts] == [rule_topic(t, topics) for t in texts]


def test_a_confident_model_can_keep_its_topic_when_configured(small_models):
    from nlp.classifier import ClassifierOptions

    lenient = SpacyClassifier.load(small_models, kind="accurate", topics=TOPICS,
                                   options=ClassifierOptions(rules_override_below=0.0))
    analysis = lenient.analyse(post("Wann kommt mein Paket? Es wurde abgebucht aber nicht versendet"))
    assert analysis.topic_source == "model" or analysis.topic == "payment"
    assert "keyword:abgebucht" in analysis.tags
    if analysis.topic != "payment":
        assert "rule:payment" in analysis.tags
