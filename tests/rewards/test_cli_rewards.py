"""The rewards commands: leaderboard (text and JSON), badges recompute, points recompute, rewards sync/decide."""
from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from community.domain.gamification.ledger import LedgerEntry
from superfan.bootstrap import build_services
from superfan.cli import main
from superfan.settings import load_settings
from tests.shared_path import REPO


@pytest.fixture
def env(tmp_path):
    environ = {"SUPERFAN_SETTINGS": str(REPO / "settings.toml"),
               "SUPERFAN_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "SUPERFAN_APP_DATA_DIR": str(tmp_path)}
    assert run(environ, "init").exit_code == 0
    for name, role in (("anna", "superuser"), ("mia", "manager")):
        assert run(environ, "user", "add", name, "--role", role, "--password", "geheim-123").exit_code == 0
    services = build_services(load_settings(REPO / "settings.toml", environ=environ))
    with services.uow() as uow:
        anna = uow.users.by_name("anna").id
        now = datetime.now(UTC)
        uow.gamification.append([LedgerEntry(anna, now, "accepted_answer", 25, "accepted", topic="usage",
                                             language="de", id=None) for _ in range(10)], {})
        uow.commit()
    services.engine.dispose()
    return environ


def run(env, *args):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_leaderboard_json_and_text(env):
    rows = json.loads(run(env, "leaderboard", "--period", "all", "--json").output)
    assert [(r["name"], r["points"]) for r in rows] == [("anna", 250)]
    assert "anna" in run(env, "leaderboard", "--topic", "usage").output
    assert "no points" in run(env, "leaderboard", "--lang", "en").output
    assert run(env, "leaderboard", "--topic", "usage", "--lang", "de").exit_code != 0


def test_badges_recompute_awards_once(env):
    first = run(env, "badges", "recompute").output
    assert "problem_solver (bronze)" in first and "topic_expert:usage (bronze)" in first
    assert "0 new award(s)" in run(env, "badges", "recompute").output


def test_points_recompute_keeps_entries_without_activities(env):
    assert "0 correction(s)" in run(env, "points", "recompute").output
    assert json.loads(run(env, "leaderboard", "--period", "all", "--json").output)[0]["points"] == 250


def test_rewards_sync_request_and_decide(env):
    assert "3 reward(s) added" in run(env, "rewards", "sync").output
    assert "20 % discount voucher" in run(env, "rewards", "list").output
    refused = run(env, "rewards", "decide", "99", "approve", "--as", "mia")
    assert refused.exit_code != 0 and "does not exist" in refused.output
