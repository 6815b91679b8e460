"""``superfan simulate`` explains a decision; ``--replay DAYS`` reports what new rules would move."""
from __future__ import annotations

import json

from click.testing import CliRunner

from superfan.cli import main
from tests.shared_path import REPO


def _env(tmp_path, rules: str = "") -> dict:
    path = tmp_path / "settings.toml"
    path.write_text((REPO / "settings.toml").read_text(encoding="utf-8") + rules, encoding="utf-8")
    return {"SUPERFAN_SETTINGS": str(path), "SUPERFAN_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
            "SUPERFAN_APP_DATA_DIR": str(tmp_path / "var")}


def run(env, *args):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_simulate_prints_classification_decision_and_every_reason(tmp_path):
    env = _env(tmp_path)
    assert run(env, "init").exit_code == 0
    run(env, "user", "add", "sofia", "--role", "superuser", "--password", "geheim-123", "--expertise", "usage",
        "--languages", "de")
    out = run(env, "simulate", "Wie kann ich bei der Pulse Watch das Ziffernblatt einstellen?", "--lang", "de").output
    assert "classification: topic usage" in out and "rule community-topic" in out
    assert "rule 'staff-topic' skipped: the topic's default route is 'community'" in out
    assert "✓ sofia" in out
    staff = json.loads(run(env, "simulate", "Mir wurde doppelt abgebucht, Lastschrift!", "--json").output)
    assert staff["decision"]["target"] == "staff" and staff["decision"]["queue"] == "billing"
    assert staff["decision"]["candidates"] == [] and staff["analysis"]["topic"] == "payment"
    replayed = json.loads(run(env, "simulate", "--replay", "7", "--json").output)
    assert replayed == {"days": 7, "total": 0, "changed": 0, "moves": {}, "by_rule": {}}  # simulate stores nothing
    assert run(env, "escalate").output.strip() == "nothing due"


def test_simulate_needs_text_or_replay(tmp_path):
    result = CliRunner().invoke(main, ["simulate"], env=_env(tmp_path))
    assert result.exit_code == 2 and "--replay DAYS" in result.output


def test_profile_sets_expertise_windows_and_pause(tmp_path):
    env = _env(tmp_path)
    run(env, "init")
    run(env, "user", "add", "sofia", "--role", "superuser", "--password", "geheim-123")
    out = run(env, "profile", "sofia", "--expertise", "usage=4,comparison=2", "--languages", "de",
              "--timezone", "America/New_York", "--availability", "mon-fri 18:00-22:00", "--capacity", "2").output
    assert "expertise comparison 2, usage 4, capacity 2" in out and "mon-fri 18:00-22:00 (America/New_York)" in out
    assert "paused" in run(env, "profile", "sofia", "--pause").output
    bad = CliRunner().invoke(main, ["profile", "sofia", "--availability", "someday 10:00-12:00"], env=env)
    assert bad.exit_code == 1 and "availability 'someday 10:00-12:00'" in bad.output
    bad = CliRunner().invoke(main, ["profile", "sofia", "--expertise", "usage=9"], env=env)
    assert bad.exit_code == 1 and "levels go from 0 to 5" in bad.output
