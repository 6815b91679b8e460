"""`superfan crawl` then `superfan sources`: a manager sees each source's health, failures and backoff."""
from __future__ import annotations

import json
import time

from click.testing import CliRunner

from superfan.cli import main
from tests.shared_path import REPO


def test_sources_shows_counts_errors_and_backoff(tmp_path, web, monkeypatch):
    monkeypatch.setattr(time, "sleep", lambda seconds: None)  # no real waits between the HTTP retries
    web.route("/ok.xml", '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>Kolibri '
                         'Pulse Watch Frage</title><link>http://f.example/1</link><guid>1</guid></item></channel></rss>')
    web.route("/down.xml", "maintenance", 503)
    settings = (REPO / "settings.toml").read_text(encoding="utf-8")
    settings = settings.replace("http://127.0.0.1:5001/feeds/kolibri-forum-de.xml", web.url("/ok.xml"))
    settings = settings.replace("http://127.0.0.1:5001/feeds/gadget-blog-en.xml", web.url("/down.xml"))
    path = tmp_path / "settings.toml"
    path.write_text(settings, encoding="utf-8")
    env = {"SUPERFAN_SETTINGS": str(path), "SUPERFAN_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
           "SUPERFAN_APP_DATA_DIR": str(tmp_path / "var")}
    runner = CliRunner()
    assert runner.invoke(main, ["init"], env=env).exit_code == 0
    runner.invoke(main, ["crawl", "technik-treff-forum"], env=env, catch_exceptions=False)
    down = runner.invoke(main, ["crawl", "gadget-talk-blog"], env=env)
    assert down.exit_code == 1 and "503" in down.output
    rows = {r["name"]: r for r in json.loads(runner.invoke(main, ["sources", "--json"], env=env).output)}
    assert rows["technik-treff-forum"]["posts_new"] == 1 and rows["technik-treff-forum"]["lag_minutes"] is not None
    assert rows["gadget-talk-blog"]["consecutive_failures"] == 1 and rows["gadget-talk-blog"]["backoff_until"]
    text = runner.invoke(main, ["sources"], env=env).output
    assert "backing off until" in text and "last error:" in text and "503" in text
