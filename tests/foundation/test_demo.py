"""`superfan demo --no-serve`: every part of the product has something to show, offline, and a rerun adds nothing."""
from __future__ import annotations

import json
import os
import re
import socket

import pytest
from click.testing import CliRunner

from superfan.bootstrap import build_services
from superfan.cli import main
from superfan.settings import load_settings
from tests.shared_path import REPO

NEW_KINDS = ("kolibri-community", "hacker-news", "mastodon-kolibri")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(env, *args):
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Run the demo twice on a fresh data directory, its sources served on a free loopback port."""
    tmp = tmp_path_factory.mktemp("demo")
    settings = (REPO / "settings.toml").read_text(encoding="utf-8")
    assert "127.0.0.1:5001" in settings
    path = tmp / "settings.toml"
    path.write_text(settings.replace("127.0.0.1:5001", f"127.0.0.1:{_free_port()}"), encoding="utf-8")
    env = {"SUPERFAN_SETTINGS": str(path), "SUPERFAN_APP_DATA_DIR": str(tmp / "var"), "SUPERFAN_DATABASE_URL": "",
           "SUPERFAN_SEARCH_BACKEND": "fts5"}
    first = _run(env, "demo", "--no-serve")
    snapshot = _snapshot(env)
    second = _run(env, "demo", "--no-serve")
    services = build_services(load_settings(path, {**os.environ, **env}))
    yield {"env": env, "first": first, "second": second, "snapshot": snapshot, "services": services}
    services.engine.dispose()


def _snapshot(env) -> dict:
    return {"status": json.loads(_run(env, "status", "--json")),
            "leaderboard": json.loads(_run(env, "leaderboard", "--period", "all", "--json")),
            "rewards": _run(env, "rewards", "list"),
            "kb": json.loads(_run(env, "kb", "search", "Kolibri", "--limit", "100", "--json"))}


def _new_mentions(output: str, source: str) -> int:
    match = re.search(rf"{source}\s+\S+\s+\d+ posts,\s+(\d+) new mentions", output)
    assert match, f"no summary line for {source} in:\n{output}"
    return int(match.group(1))


def test_the_demo_prints_logins_url_and_one_line_per_source(demo):
    out = demo["first"]
    for login in ("maria", "stefan", "sofia", "ben", "lena", "demo-superuser"):
        assert login in out
    assert "http://127.0.0.1:5000/" in out
    for source in ("technik-treff-forum", "gadget-talk-blog", "bewertungen", *NEW_KINDS):
        assert _new_mentions(out, source) > 0, f"{source} brought no mentions"
    assert "problem" not in out


def test_threads_reach_the_community_and_staff_and_super_users_get_offers(demo):
    services = demo["services"]
    now = services.clock.now()
    with services.uow() as uow:
        community = uow.threads.list(target="community")
        staff = uow.threads.list(target="staff")
        super_users = uow.users.list(role="superuser")
        offered = {t for u in super_users for t in uow.routing.offered_threads(u.id, now)}
        states = {str(t.state) for t in community + staff}
    assert len(community) >= 5 and len(staff) >= 5
    assert {u.name for u in super_users} == {"sofia", "ben", "lena"}
    assert offered, "the demo super-users' availability should cover any hour, so offers go out"
    assert {"routed", "answered", "resolved"} <= states


def test_the_starter_knowledge_base_answers_in_both_languages(demo):
    env = demo["env"]
    german = json.loads(_run(env, "kb", "search", "Home Hub zurücksetzen", "--lang", "de", "--json"))
    english = json.loads(_run(env, "kb", "search", "cancel Kolibri Plus subscription", "--lang", "en", "--json"))
    assert german[0]["id"] == "faq-de-003"
    assert english[0]["id"] == "faq-en-011"
    assert demo["services"].knowledge.index.count() >= 30


def test_a_super_user_answering_a_demo_thread_gets_a_kb_suggestion(demo):
    services = demo["services"]
    with services.uow() as uow:
        thread = uow.threads.by_key("bewertungen:https://bewertungen.example/r/102")  # Home Hub night volume
        question = " ".join([thread.title, *(p.text for p in uow.posts.for_thread(thread.id)[:1])])
    suggestions = services.knowledge.suggest(question, thread.language)
    assert suggestions and suggestions[0].hit.public_id == "faq-de-005" and not suggestions[0].fallback


def test_the_history_fills_leaderboard_and_rewards(demo):
    board = demo["snapshot"]["leaderboard"]
    assert {row["name"] for row in board} >= {"Sofia Marino", "Ben Carter", "Lena Vogt"}
    assert all(row["points"] > 0 for row in board)
    assert "20 % discount voucher" in demo["snapshot"]["rewards"]


def test_running_the_demo_twice_doubles_nothing(demo):
    assert _snapshot(demo["env"]) == demo["snapshot"]
    second = demo["second"]
    assert "0 articles created" in second and "(already there)" in second
    for source in ("technik-treff-forum", *NEW_KINDS):
        assert _new_mentions(second, source) == 0
