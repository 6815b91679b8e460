"""Near-duplicate sketches and canonical URLs."""
from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from community.domain.dedupe import BANDS, MAX_WORDS, best_match, fold, lookup_keys, similarity, sketch
from community.domain.dedupe_batch import sketch_batch
from community.domain.model import content_hash, normalise_text
from community.domain.urls import canonical_url

QUESTION = ("Seit dem Update auf Version 4.2 stürzt die App beim Bezahlen mit PayPal jedes Mal ab. "
            "Ich habe sie schon neu installiert und den Cache gelöscht, aber es hilft nichts. "
            "Hat jemand eine Idee, woran das liegen könnte und wie ich wieder bezahlen kann?")


def test_a_cross_posted_question_with_another_greeting_and_signature_is_a_near_duplicate():
    cross_post = f"Hallo zusammen, {QUESTION.upper()} Danke im Voraus! -- Gruß, Max (gesendet vom Handy)"
    assert similarity(sketch(QUESTION), sketch(cross_post)) >= 0.7
    assert best_match(sketch(cross_post), {7: sketch("Wie ändere ich meine Lieferadresse nach der Bestellung "
                                                        "eines Geschenks für meine Schwester in Hamburg?"),
                                           3: sketch(QUESTION)}) == 3


def test_a_different_question_on_the_same_topic_is_not_a_near_duplicate():
    other = ("Seit dem Update auf Version 4.2 kann ich mich nicht mehr anmelden, das Passwort wird "
             "abgelehnt, obwohl ich es gerade zurückgesetzt habe. Was kann ich tun?")
    assert similarity(sketch(QUESTION), sketch(other)) < 0.3


def test_short_texts_have_no_sketch_and_accents_fold():
    assert sketch("Danke!") is None
    assert fold("Grüße aus Köln, STRASSE") == "grusse aus koln, strasse"
    assert fold("Straße") == fold("STRASSE")


@given(st.text(min_size=0, max_size=400))
def test_a_sketch_is_sorted_bounded_and_identical_to_itself(text):
    value = sketch(text)
    if value is not None:
        assert list(value) == sorted(value) and len(value) <= 64
        assert similarity(value, value) == 1.0
        keys = lookup_keys(value)
        assert len(set(keys)) == BANDS and all(-2**63 <= key < 2**63 for key in keys)


def assert_batch_equals_one_by_one(texts):
    batch = sketch_batch(texts)
    sketches, keys = batch.sketches(), batch.keys()
    for i, text in enumerate(texts):
        value = sketch(text)
        assert sketches[i] == value
        assert keys[i] == (lookup_keys(value) if value else ())


def test_a_batch_is_sketched_exactly_as_each_text_alone():
    long_words = " ".join(["x" * 300, "kolibri", "é" * 140, "uhr"] * 6)  # words beyond the shift tables
    many_words = " ".join(f"wort{n}" for n in range(MAX_WORDS + 50))  # words past MAX_WORDS do not count
    assert_batch_equals_one_by_one([QUESTION, "", "Danke!", long_words, many_words, QUESTION.upper(),
                                    f"„{QUESTION}“ — Grüße aus Köln", "a b c d e f g h i j k l m", "ab " * 40])


@given(st.lists(st.text(alphabet=st.sampled_from("abcäöüßé AB1_-.,\ń€😀"), max_size=200), max_size=8))
def test_any_batch_is_sketched_exactly_as_each_text_alone(texts):
    assert_batch_equals_one_by_one(texts)


def test_canonical_urls_drop_tracking_fragments_default_ports_and_fold_the_host():
    assert (canonical_url("HTTPS://Forum.Example.COM:443/t/123?utm_source=x&page=2&fbclid=abc#post-5")
            == "https://forum.example.com/t/123?page=2")
    assert canonical_url("http://example.com") == "http://example.com/"
    assert canonical_url("http://example.com:8080/a?b=1") == "http://example.com:8080/a?b=1"
    assert canonical_url("https://bücher.de/x") == "https://xn--bcher-kva.de/x"
    assert canonical_url("not a url") == "not a url" and canonical_url("") == ""


@given(st.text(max_size=60))
def test_canonicalising_twice_changes_nothing(tail):
    once = canonical_url("https://Example.com/" + tail)
    assert canonical_url(once) == once


@given(st.text(alphabet=st.sampled_from("aAäÄöÖüßẞéÉ\u0301\u0308\u0345ΣςσﬁİıœŒ😀 \t\n.,"), max_size=80))
def test_exact_duplicates_are_compared_without_case_accents_or_spacing(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    expected = " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())
    assert normalise_text(text) == expected
    assert content_hash("TITEL", text) == content_hash("titel", f"  {expected} ")
