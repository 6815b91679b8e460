"""`superfan fetch KIND URL` prints normalised posts as JSON lines and stores nothing."""
from __future__ import annotations

import json

from click.testing import CliRunner

from superfan.cli import main
from tests.listening.conftest import FIXTURES


def fetch(*args: str):
    return CliRunner().invoke(main, ["fetch", *args], catch_exceptions=False)


def test_fetch_prints_json_lines_filtered_by_the_query(web):
    body = (FIXTURES / "feeds" / "wordpress.xml").read_bytes().replace(b"{base}", web.base.encode())
    web.route("/feed/", body, Content_Type="application/rss+xml")
    web.route("/2026/11/acme-pulse-review/feed/", (FIXTURES / "feeds" / "wordpress-comments.xml").read_bytes()
              .replace(b"{base}", web.base.encode()), Content_Type="application/rss+xml")
    result = fetch("rss", web.url("/feed/"), "--allow-private", "--query", "acme AND (app OR sync*)")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [p["author"] for p in lines] == ["Jana", "Tom"]
    assert lines[0]["title"] == "Acme Pulse Watch review: three weeks later" and lines[0]["published"]
    assert "2 of 4 posts match the query" in result.stderr


def test_fetch_refuses_private_addresses_by_default(web):
    web.route("/feed/", "<rss/>")
    result = CliRunner().invoke(main, ["fetch", "rss", web.url("/feed/")])
    assert result.exit_code == 1 and "allow_private" in result.output and web.requests == []


def test_fetch_limits_and_passes_the_query_as_search_terms(web):
    web.route("/xrpc/app.bsky.feed.searchPosts", (FIXTURES / "bluesky" / "searchPosts.json").read_bytes(),
              Content_Type="application/json")
    result = fetch("bluesky", web.base, "--allow-private", "--query", "acme", "--limit", "1")
    assert len(result.stdout.splitlines()) == 1
    assert "q=acme" in web.requests[0].query and "limit=1" in web.requests[0].query


def test_fetch_rejects_a_malformed_query_with_its_position():
    result = CliRunner().invoke(main, ["fetch", "rss", "http://127.0.0.1:9/", "--query", "(acme OR"])
    assert result.exit_code == 2 and "position" in result.output


def test_the_crawl_progress_display_names_the_source_and_its_stage():
    from io import StringIO

    from rich.console import Console

    from superfan.progress import crawl_progress

    out = StringIO()
    with crawl_progress("technik-treff", Console(file=out, force_terminal=True, width=100)) as progress:
        progress("fetching", 1, 1)
        progress("storing", 50, 120)
    assert "technik-treff" in out.getvalue()
    with crawl_progress("quiet", Console(file=StringIO(), force_terminal=False)) as progress:
        assert progress is None
