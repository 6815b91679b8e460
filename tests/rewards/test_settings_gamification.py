"""The [gamification] settings: the repo's file loads into a programme; mistakes name the key."""
from __future__ import annotations

import pytest

from superfan.settings import SettingsError, load_settings
from tests.shared_path import REPO


def test_repo_settings_build_the_programme():
    programme = load_settings(REPO / "settings.toml", environ={}).gamification.programme()
    assert programme.points.rules["accepted_answer"].points == 25
    assert {b.name for b in programme.badges} >= {"first_answer", "problem_solver", "topic_expert", "night_owl",
                                                   "streak", "kb_author", "fast_responder"}
    assert [r.name for r in programme.ranks][-1] == "Mentor" and programme.ranks[-1].can_mentor
    assert {r.kind for r in programme.catalogue} == {"product_test", "discount", "event_invitation"}


@pytest.mark.parametrize("snippet,key", [
    ("[gamification.points]\nlikes = { points = 1 }\n", "gamification.points"),
    ("[gamification.leaderboard_weights]\nweek = { likes = 2.0 }\n", "gamification.leaderboard_weights"),
    ("[gamification.badges.x]\ntitle = 'X'\ncounter = 'likes'\ntiers = { bronze = 1 }\n", "gamification.badges.x.counter"),
])
def test_unknown_rules_are_refused_with_the_key(tmp_path, snippet, key):
    path = tmp_path / "settings.toml"
    path.write_text(snippet, encoding="utf-8")
    with pytest.raises(SettingsError, match=key.replace(".", r"\.")):
        load_settings(path, environ={})
