"""The superfan command line: init, user add, crawl, status --json, and clear errors."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from superfan.cli import main
from tests.foundation.feeds import ITEMS, rss
from tests.listening.localserver import LocalServer, Reply
from tests.shared_path import REPO


@pytest.fixture
def env(tmp_path, database_url):
    with LocalServer() as server:
        server.routes["/feed.xml"] = Reply(200, rss(ITEMS), {"Content-Type": "application/rss+xml"})
        settings = (REPO / "settings.toml").read_text(encoding="utf-8")
        settings = settings.replace("http://127.0.0.1:5001/feeds/kolibri-forum-de.xml", server.url("/feed.xml"))
        path = tmp_path / "settings.toml"
        path.write_text(settings, encoding="utf-8")
        yield {"SUPERFAN_SETTINGS": str(path), "SUPERFAN_DATABASE_URL": database_url,
               "SUPERFAN_APP_DATA_DIR": str(tmp_path / "var")}


def run(env, *args, input=None):
    return CliRunner().invoke(main, list(args), env=env, input=input, catch_exceptions=False)


def test_init_user_crawl_status(env):
    assert run(env, "init").exit_code == 0
    added = run(env, "user", "add", "sofia", "--role", "superuser", "--password", "geheim-123")
    assert added.exit_code == 0 and "added superuser sofia" in added.output
    crawled = run(env, "crawl", "technik-treff-forum")
    assert crawled.exit_code == 0 and "new 3" in crawled.output
    status = json.loads(run(env, "status", "--json").output)
    assert status["mentions"] == 3 and status["waiting_for_analysis"] == 0
    assert status["threads"]["by_state"] == {"routed": 3}
    assert status["users"] == {"superuser": 1}
    assert status["sources"] >= 1


def test_duplicate_user_and_short_password_are_clear_errors(env):
    run(env, "init")
    assert run(env, "user", "add", "sofia", "--role", "superuser", "--password", "geheim-123").exit_code == 0
    again = run(env, "user", "add", "sofia", "--role", "staff", "--password", "geheim-123")
    assert again.exit_code == 1 and "exists already" in again.output
    short = run(env, "user", "add", "max", "--role", "staff", "--password", "kurz")
    assert short.exit_code == 1 and "at least 8 characters" in short.output


def test_unknown_source_lists_the_known_ones(env):
    run(env, "init")
    result = run(env, "crawl", "nope")
    assert result.exit_code == 1 and "technik-treff-forum" in result.output


def test_a_wrong_setting_stops_the_cli_with_the_key(env, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[app]\nport = 0\n", encoding="utf-8")
    result = run({**env, "SUPERFAN_SETTINGS": str(bad)}, "status")
    assert result.exit_code == 1 and "app.port" in result.output
