"""The feed parser's fast paths give exactly what the general paths give: URLs, HTML to text, dates, RSS fields."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from community.domain.urls import _canonical, canonical_url
from crawlers import fastfeed
from crawlers.text import html_to_text

FAST = settings(max_examples=300, deadline=None)


@pytest.mark.parametrize(("url", "canonical"), [
    ("https://forum0.example/t/1?utm_source=rss", "https://forum0.example/t/1"),
    ("https://a.example/t?page=2&utm_medium=x&fbclid=1&si=2&UTM_Campaign=y", "https://a.example/t?page=2"),
    ("https://a.example", "https://a.example/"),
    ("https://a.example?x=1", "https://a.example/?x=1"),
    ("https://a.example/x?", "https://a.example/x"),
    ("https://a.example/x?utm_source=1", "https://a.example/x"),
    ("https://a.example/x?a&b=&=c&&", "https://a.example/x?a=&b=&=c"),
    ("https://a.example/x?a=b=c", "https://a.example/x?a=b%3Dc"),
    ("https://a.example/x#frag?a=1", "https://a.example/x"),
    ("https://a.example/x?a=1#frag", "https://a.example/x?a=1"),
    ("  https://a.example/x  ", "https://a.example/x"),
    ("https://a.example/a%20b;p@x:y", "https://a.example/a%20b;p@x:y"),
])
def test_the_common_url_shape_is_canonicalised_like_the_general_path(url, canonical):
    assert canonical_url(url) == canonical == _canonical(url.strip())


@pytest.mark.parametrize(("url", "canonical"), [
    # (upper-case hosts, :443, :8080, IDNA and "" are in tests/listening/test_dedupe_and_urls.py)
    ("http://example.com:80/t", "http://example.com/t"),  # default port dropped
    ("https://user:secret@example.com/x", "https://user@example.com/x"),  # user kept, password dropped
    ("http://[2001:DB8::1]:8080/x", "http://[2001:db8::1]:8080/x"),  # IPv6
    ("https://example.com./x", "https://example.com/x"),  # trailing dot
    ("https://example.com/a b?q=a b&utm_source=x", "https://example.com/a b?q=a+b"),  # odd spacing
    ("https://example.com/x?q=%C3%A4&r=a+b", "https://example.com/x?q=%C3%A4&r=a+b"),  # encoded query re-encoded
    ("https://example.com/x\t?a=1", "https://example.com/x?a=1"),  # tab removed by the URL parser
    ("https://example.com:99999/x", "https://example.com:99999/x"),  # an invalid port: left as it was
    ("mailto:someone@example.com", "mailto:someone@example.com"),
])
def test_urls_outside_the_common_shape_keep_their_canonical_form(url, canonical):
    assert canonical_url(url) == canonical


SIMPLE_URLS = st.builds(
    lambda scheme, host, path, query, fragment: f"{scheme}://{host}{path}{query}{fragment}",
    st.sampled_from(["http", "https"]), st.sampled_from(["a", "a.b", "forum-1.example.org", "1.2.3.4"]),
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E, blacklist_characters="?#"), max_size=12).map(
        lambda p: "/" + p if p else ""),
    st.lists(st.text("abZ09_.-~=", max_size=5) | st.sampled_from(["utm_source=x", "si=1", "Fbclid=2", "gclid"]),
             max_size=4).map(lambda fields: "?" + "&".join(fields) if fields else ""),
    st.sampled_from(["", "#", "#x y", "#?a=1"]))


@FAST
@given(SIMPLE_URLS | st.text(max_size=40).map(lambda tail: "https://a.example/" + tail))
def test_the_fast_path_and_the_general_path_agree_on_any_url(url):
    assert canonical_url(url) == _canonical(url.strip())


@pytest.mark.parametrize(("markup", "text"), [
    ("<p>one</p><p>two</p>", "one\ntwo"),
    ("<P CLASS='x'>one<br />two</P><div>three</div><li>four<h2>five</h2>", "one\ntwo\nthree\nfour\nfive"),
    ("a &amp; b &lt;c&gt; &quot;d&quot; &#x27;e&#x27; &nbsp;f", "a & b <c> \"d\" 'e' f"),
    ("<div><p><b>bold <i>and italic</i></b> text</p></div>", "bold and italic text"),
    ("<script>alert(1)</script><style>p{}</style>visible", "visible"),
    ("line one\r\nline two\rline three", "line one\nline two\nline three"),  # the HTML parser reads CR as a newline
    ("\ufeffbom\x00 and nul", "bom and nul"),
    ("  spaced \t\u00a0 out  \n\n\n  lines  \n \u2028 \n", "spaced out\nlines"),
    ("<p>\u3000wide\u3000space\u3000</p>", "wide\u3000space"),  # only ASCII spacing and NBSP collapse inside a line
    ("no markup at all", "no markup at all"),
    ("<br><br><p></p>", ""),
    ("", ""),
])
def test_html_becomes_readable_text(markup, text):
    assert html_to_text(markup) == text


def _one_pass_at_a_time(text: str) -> str:
    """The spelling of the text normalisation as separate passes (how it was first written)."""
    text = re.sub(r"[ \t\r\f\v\u00a0]+", " ", text)
    return re.sub(r"\n\s*\n+", "\n", "\n".join(line.strip() for line in text.split("\n"))).strip()


@FAST
@given(st.text(st.sampled_from(list("ab \t\n\f\v\u00a0\u2028\u3000\x1c\x85é")), max_size=40))
def test_white_space_is_normalised_as_by_separate_passes(text):  # (no markup, CR or NUL: the sanitiser is skipped)
    assert html_to_text(text) == _one_pass_at_a_time(text)


@pytest.mark.parametrize(("stamp", "when"), [
    ("Wed, 25 Nov 2026 08:15:00 +0000", datetime(2026, 11, 25, 8, 15, tzinfo=UTC)),
    ("25 Nov 2026 08:15:00 -0530", datetime(2026, 11, 25, 8, 15, tzinfo=timezone(-timedelta(hours=5, minutes=30)))),
    ("  Wed, 25 Nov 2026 08:15:00 +0100 ", datetime(2026, 11, 25, 8, 15, tzinfo=timezone(timedelta(hours=1)))),
    ("Wed, 25 Nov 2026 08:15:00 GMT", datetime(2026, 11, 25, 8, 15, tzinfo=UTC)),  # the standard parser's case
    ("2026-11-25T08:15:00+01:00", datetime(2026, 11, 25, 8, 15, tzinfo=timezone(timedelta(hours=1)))),
    ("2026-11-25", datetime(2026, 11, 25, tzinfo=UTC)),
    ("Wed, 31 Feb 2026 08:15:00 +0000", None),  # no such day
    ("Wed, 25 Nov 2026 08:15:00 +2400", None),  # no such offset
    ("Wed, 25 Foo 2026 08:15:00 +0000", None),
    ("", None),
])
def test_feed_dates_are_read_in_both_common_spellings(stamp, when):
    read = fastfeed._date(stamp)
    assert read == when and (read is None or read.utcoffset() == when.utcoffset())


def test_an_rss_item_reads_the_first_of_each_field_and_falls_back_as_before():
    feed = b"""<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
        xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><language> de </language>
        <item><title> First </title><title>Second</title><link>https://a.example/1</link><description>short</description>
          <content:encoded><![CDATA[<p>long</p>]]></content:encoded><author>a@example.com</author><dc:creator></dc:creator>
          <pubDate>Wed, 25 Nov 2026 08:15:00 +0000</pubDate></item>
        <item><guid/><link> https://a.example/2 </link><description/></item>
        </channel></rss>"""
    language, (first, second) = fastfeed.read(feed, None)
    assert language == "de"
    assert (first.title, first.id, first.body, first.author) == ("First", "https://a.example/1", "<p>long</p>", "a@example.com")
    assert first.published == datetime(2026, 11, 25, 8, 15, tzinfo=UTC)
    assert (second.title, second.id, second.link, second.body, second.published) == ("", "https://a.example/2",
                                                                                       "https://a.example/2", "", None)
