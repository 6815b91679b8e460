"""The matcher's fast paths give what the general ones give: word splitting, word keys, preparing a RawPost."""
from __future__ import annotations

import unicodedata
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from community.domain.model import RawPost
from crawlers.query import compile_matcher, parse, prepare
from crawlers.query.folding import WORD_RE, split_words, word_key

FAST = settings(max_examples=300, deadline=None)
ANY_CHARACTER = st.characters(blacklist_categories=())  # lone surrogates included
TRICKY = st.sampled_from(list("aZ09 _-.,!?'\"\t\n\u00a0\u2028\u3000…„“½²١東😀\u0301\u200bßäÄÆİǅⅫﬁ\x00\x1c\x85\ud800"))


@pytest.mark.parametrize(("text", "words"), [
    ("Hallo, Kolibri-Fans! (Fall 12).", ["Hallo", "Kolibri", "Fans", "Fall", "12"]),
    ("a_b #kolibri @DB_Bahn", ["a", "b", "kolibri", "DB", "Bahn"]),
    ("Kündigung…„Zitat“ – ½ x²", ["Kündigung", "Zitat", "½", "x²"]),
    ("Ku\u0308ndigung", ["Kündigung"]),  # decomposed umlaut: one word, as written composed
    ("東京 und\u3000Berlin\u2028ok", ["東京", "und", "Berlin", "ok"]),
    ("broken \ud800 surrogate", ["broken", "surrogate"]),
    ("", []),
])
def test_words_are_runs_of_letters_and_digits(text, words):
    assert split_words(text) == words


@FAST
@given(st.text(TRICKY, max_size=30) | st.text(ANY_CHARACTER, max_size=30))
def test_splitting_words_agrees_with_the_word_pattern(text):
    assert split_words(text) == WORD_RE.findall(unicodedata.normalize("NFC", text))


@pytest.mark.parametrize(("word", "key"), [("Kündigung", "kundigung"), ("KUENDIGUNG", "kundigung"), ("Quelle", "quelle"),
                                           ("teuer", "teuer"), ("due", "due"), ("Straße", "strasse"), ("ABC123", "abc123"), ("Bauer", "bauer"), ("Muell", "mull")])
def test_word_keys_fold_case_accents_and_umlaut_spellings(word, key):
    assert word_key(word) == key


def _as_object(post: RawPost) -> SimpleNamespace:
    """The same post as some other object with its fields (read by the general path)."""
    return SimpleNamespace(**{name: getattr(post, name) for name in RawPost.__slots__})


POSTS = [
    RawPost(source="Reddit", external_id="1", url="https://www.reddit.com/r/Kolibri/comments/x/", title="Pulse Watch?",
            text="Meine Kolibri Pulse Watch…", author=" Anna ", lang_hint="de", extra={"subreddit": "r/KolibriFans"}),
    RawPost(source="rss", external_id="2", url="https://old.example/r/Other/x", title="", text="", lang_hint=None),
    RawPost(source="forum", external_id="3", url="", title="Home Hub", text="no hub here", extra={"subreddit": ""}),
]


@pytest.mark.parametrize("post", POSTS)
@pytest.mark.parametrize("lang", [None, "", "EN"])
def test_a_raw_post_is_prepared_as_any_object_with_its_fields(post, lang):
    fast, general = prepare(post, lang), prepare(_as_object(post), lang)
    for name in ("title", "text", "url", "author", "lang", "source", "subreddit", "title_keys", "text_keys", "keyset",
                 "title_keyset"):
        assert getattr(fast, name) == getattr(general, name), name
    for query in ('subreddit:kolibrifans "pulse watch"', "lang:de kolibri", "source:reddit OR title:hub", "site:old.example"):
        matcher = compile_matcher(parse(query))
        assert (matcher(post, lang) is None) == (matcher(_as_object(post), lang) is None), query


@pytest.mark.parametrize(("query", "title", "text", "matches"), [
    ('"pulse watch"', "", "my Pulse Watch broke", True),
    ('"pulse watch"', "", "the watch has a pulse sensor", False),  # both words, not as the phrase
    ('"pulse watch"', "", "only a pulse", False),
    ('title:"pulse watch"', "Pulse Watch", "", True),
    ('title:"pulse watch"', "Pulse", "Pulse Watch", False),  # the words are in the post, the phrase not in the title
    ('"pulse watch" NOT kolibri', "", "Kolibri Pulse Watch", False),
    ('"watch pulse watch"~1 OR kolibri', "", "watch pulse", True),  # a repeated word is needed once
])
def test_a_phrase_needs_its_words_in_order_where_the_query_asks(query, title, text, matches):
    assert (compile_matcher(parse(query))({"title": title, "text": text}) is not None) is matches
