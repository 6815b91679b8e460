"""The in-memory matcher: which posts a query finds, and what it marks as the reason."""
from datetime import UTC, datetime

import pytest

from community.domain.model import RawPost, StoredPost
from crawlers.query import QueryBank, compile_matcher, highlight, parse
from crawlers.query.highlight import snippet


def matches(query: str, text: str = "", **fields) -> bool:
    return compile_matcher(parse(query))({"text": text, **fields}) is not None


@pytest.mark.parametrize(("query", "text"), [
    ("Kündigung", "Meine kuendigung kam nie an"),
    ("Kündigung", "meine KUNDIGUNG kam nie an"),
    ("kuendigung", "Die Kündigung ist raus"),
    ("kundigung", "Die Kündigung ist raus"),
    ("Straße", "Die Strasse ist gesperrt"),
    ("strasse", "Die Straße ist gesperrt"),
    ("Müller", "Herr Mueller schreibt"),
    ("café", "Im Cafe gibt es WLAN"),
    ("über", "Ueber Nacht ausgefallen"),
    ("kolibri", "Neu: #Kolibri ist da"),
    ("#kolibri", "der kolibri fliegt"),
    ("@DB_Bahn", "Danke @db_bahn für nichts"),
    ("O2", "Bei O2: kein Netz."),
    ("e-mail", "Bitte per E-Mail antworten"),
    ("kündig*", "Ich habe gekündigt und will kündigen"),
    ("KÜNDIG*", "kuendigen geht nicht"),
    ("k?ndigung", "Kündigung"),
    ("Verspätung", "VERSPAETUNG schon wieder"),
])
def test_case_accents_umlauts_and_punctuation_do_not_matter(query, text):
    assert matches(query, text)


@pytest.mark.parametrize(("query", "text"), [
    ("due", "Das machst du"),          # short English words keep their "ue"
    ("teuer", "teur"),                # no umlaut after a vowel: "eu"+"e"
    ("kündig*", "Kunde"),
    ("k?ndigung", "Kndigung"),
    ("netz", "Netzausfall"),          # words, not substrings
    ("kolibri", "kolibris"),
])
def test_different_words_do_not_match(query, text):
    assert not matches(query, text)


@pytest.mark.parametrize(("query", "text", "expected"), [
    ('"O2" AND (Netz OR Ausfall OR "kein Empfang") NOT Sauerstoff', "O2: seit heute kein Empfang", True),
    ('"O2" AND (Netz OR Ausfall OR "kein Empfang") NOT Sauerstoff', "O2 ist Sauerstoff, kein Netz", False),
    ('"O2" AND (Netz OR Ausfall OR "kein Empfang") NOT Sauerstoff', "O2 heute ohne Probleme", False),
    ('"kein Empfang"', "Empfang: kein", False),
    ('"Netz ausgefallen"~3', "das Netz ist heute komplett ausgefallen", True),
    ('"Netz ausgefallen"~3', "ausgefallen ist das Netz", True),
    ('"Netz ausgefallen"~2', "das Netz ist heute komplett ausgefallen", False),
    ("Netz NEAR/2 ausgefallen", "Netz ist komplett ausgefallen", True),
    ("Netz NEAR/1 ausgefallen", "Netz ist komplett ausgefallen", False),
    ("ausgefallen NEAR/2 Netz", "Netz ist komplett ausgefallen", True),
    ("ausgefallen NEAR/2f Netz", "Netz ist komplett ausgefallen", False),
    ("Netz ONEAR/2 ausgefallen", "Netz ist komplett ausgefallen", True),
    ('"kein Empfang" NEAR/3 (Netz OR LTE)', "kein Empfang und kein LTE", True),
    ("Netz -Sauerstoff", "Netz und Sauerstoff", False),
])
def test_boolean_phrase_and_proximity_operators(query, text, expected):
    assert matches(query, text) is expected


def test_phrases_and_proximity_do_not_reach_from_title_into_text():
    assert not matches('"Netz weg"', title="Kein Netz", text="weg ist es")
    assert matches('"Netz weg"', title="Netz weg", text="")


@pytest.mark.parametrize(("query", "fields", "expected"), [
    ("netz site:reddit.com", {"url": "https://old.reddit.com/r/de/comments/1"}, True),
    ("netz site:reddit.com", {"url": "https://notreddit.com/x"}, False),
    ("netz site:*.example.org", {"url": "https://forum.example.org/t/1"}, True),
    ("netz url:forum", {"url": "https://example.org/Forum/t/1"}, True),
    ("netz url:blog", {"url": "https://example.org/forum/t/1"}, False),
    ("netz lang:de", {"lang": "de"}, True),
    ("netz lang:de", {"lang": "en"}, False),
    ("netz -lang:en", {"lang": "de"}, True),
    ('netz author:"Jörg Müller"', {"author": "jorg  muller"}, True),
    ("netz author:max*", {"author": "Maxi"}, True),
    ("netz source:reddit", {"source": "Reddit"}, True),
    ("netz subreddit:de", {"url": "https://www.reddit.com/r/de/comments/1"}, True),
    ("netz subreddit:r/Germany", {"subreddit": "germany"}, True),
    ("title:netz", {"title": "Kein Netz"}, True),
    ("title:netz", {"title": "Frage"}, False),
    ('title:"kein netz"', {"title": "Kein Netz!"}, True),
])
def test_field_filters(query, fields, expected):
    assert matches(query, "Netz weg", **fields) is expected


def test_raw_and_stored_posts_are_accepted():
    raw = RawPost(source="reddit", external_id="1", url="https://www.reddit.com/r/de/comments/1", title="Netz weg",
                  text="Seit heute", extra={"subreddit": "de"})
    stored = StoredPost(id=1, source="rss", external_id="2", url="https://blog.example.org/a", title="", text="Netz weg",
                        author="Jörg", published=datetime(2026, 1, 1, tzinfo=UTC), thread_id=None,
                        analysis={"language": "de"})
    matcher = compile_matcher(parse("netz lang:de (subreddit:de OR author:jorg)"))
    assert matcher(raw, lang="de") is not None
    assert matcher(raw, lang="en") is None
    assert matcher(stored) is not None


def test_the_result_names_the_matched_parts_and_highlights_them():
    matcher = compile_matcher(parse('"O2" AND (Netz OR "kein Empfang" OR Ausfall) NOT Sauerstoff AND kündig*'))
    post = {"title": "O2 <kaputt>", "text": "Seit heute kein Empfang & ich kündige. Kein Netz!"}
    result = matcher(post)
    assert set(result.terms) == {'"O2"', "Netz", '"kein Empfang"', "kündig*"}
    assert highlight(post["text"], result) == "Seit heute [[kein Empfang]] & ich [[kündige]]. Kein [[Netz]]!"
    assert highlight(post["title"], result, field="title", html_output=True) == "<mark>O2</mark> &lt;kaputt&gt;"


def test_proximity_highlights_only_the_words_that_are_close():
    text = "Netz gut. Heute Netz ganz weg, wie immer. Netz"
    result = compile_matcher(parse("Netz NEAR/1 weg"))({"text": text})
    assert highlight(text, result) == "Netz gut. Heute [[Netz]] ganz [[weg]], wie immer. Netz"


def test_highlight_finds_decomposed_umlauts():
    text = "Ku\u0308ndigung ist da"
    result = compile_matcher(parse("kündigung"))({"text": text})
    assert highlight(text, result) == "[[Ku\u0308ndigung]] ist da"


def test_a_bank_of_queries_reports_each_matching_query_once():
    queries = {"o2": parse('"O2" (Netz OR Ausfall)'), "kuendigung": parse("kündig*"), "de": parse("lang:de"),
               "bahn": parse("Bahn NEAR/2 Verspätung"), "never": parse("Sauerstoff -O2")}
    bank = QueryBank(queries)
    found = bank.match({"text": "O2 Netz weg, ich kündige! Die Bahn hat auch Verspätung", "lang": "de"})
    assert [query_id for query_id, _ in found] == ["o2", "kuendigung", "de", "bahn"]
    assert bank.match({"text": "nothing here", "lang": "en"}) == []


def test_a_snippet_shows_the_text_around_the_first_match():
    text = "Vorwort " * 40 + "heute ist die Kündigung gekommen" + " Nachwort" * 40
    result = compile_matcher(parse("kündig*"))({"text": text})
    shown = snippet(text, result, width=80)
    assert shown.startswith("…Vorwort") and shown.endswith("…")
    assert "heute ist die [[Kündigung]] gekommen" in shown
    assert len(shown) <= 90
