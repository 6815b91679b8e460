"""``superfan classify`` and ``superfan train --if-missing`` from the command line."""
from __future__ import annotations

import json

from click.testing import CliRunner

from superfan.cli import main
from tests.shared_path import REPO


def run(env, *args, input=None):
    return CliRunner().invoke(main, list(args), env=env, input=input, catch_exceptions=False)


def env_for(tmp_path, models) -> dict:
    return {"SUPERFAN_SETTINGS": str(REPO / "settings.toml"), "SUPERFAN_APP_DATA_DIR": str(tmp_path / "var"),
            "SUPERFAN_NLP_MODELS_DIR": str(models)}


def test_classify_writes_one_json_object_per_line(tmp_path, small_models):
    lines = "Meine Pulse Watch 2 ist überhitzt und qualmt!\n\nwhere is my parcel??\n😀\n"
    result = run(env_for(tmp_path, small_models), "classify", input=lines)
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 4
    assert rows[0]["language"] == "de" and "safety" in rows[0]["urgency"]["signals"]
    assert rows[0]["entities"] == ["product:Pulse Watch 2"]
    assert rows[1]["language"] == "other" and rows[1]["topic"] == "other"
    assert set(rows[2]) >= {"language", "topic", "confidence", "urgency", "sentiment", "entities"}
    assert set(rows[2]["urgency"]) == {"level", "score", "signals"} and set(rows[2]["sentiment"]) == {"label", "score"}


def test_classify_reads_json_lines_with_extras(tmp_path, small_models):
    lines = json.dumps({"text": "Betrug! Ich gehe zum Anwalt.", "author_reach": 90000}) + "\n"
    result = run(env_for(tmp_path, small_models), "classify", "--json", "--model", "fast", input=lines)
    row = json.loads(result.output)
    assert {"legal", "author_reach"} <= set(row["urgency"]["signals"])


def test_classify_refuses_malformed_json_lines(tmp_path, small_models):
    result = CliRunner().invoke(main, ["classify", "--json"], env=env_for(tmp_path, small_models), input="{oops\n")
    assert result.exit_code != 0 and "line 1" in result.output


def test_classify_without_models_says_how_to_get_them(tmp_path):
    result = CliRunner().invoke(main, ["classify"], env=env_for(tmp_path, tmp_path / "none"), input="x\n")
    assert result.exit_code != 0 and "superfan train" in result.output


def test_train_if_missing_does_nothing_when_models_exist(tmp_path, small_models):
    result = run(env_for(tmp_path, small_models), "train", "--if-missing")
    assert result.exit_code == 0 and "nothing to train" in result.output
