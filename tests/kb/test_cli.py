"""``superfan kb import``, ``kb search --json`` and ``kb reindex`` on the configured database and backend."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from superfan.cli import main
from tests.shared_path import REPO

LINES = [
    {"id": "faq-1", "lang": "de", "title": "Rücksendung", "body": "Wie schicke ich Ware zurück?",
     "answer": "Mit dem kostenlosen Rücksendeetikett."},
    {"id": "faq-2", "lang": "en", "title": "Return label", "body": "How do I print a return label?"},
]


@pytest.fixture
def env(tmp_path):
    env = {"SUPERFAN_SETTINGS": str(REPO / "settings.toml"), "SUPERFAN_APP_DATA_DIR": str(tmp_path / "var"),
           "SUPERFAN_DATABASE_URL": f"sqlite:///{tmp_path / 'kb.db'}"}
    assert run(env, "init").exit_code == 0
    return env


def run(env, *args):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def write(tmp_path, lines: list) -> str:
    path = tmp_path / "faq.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return str(path)


def test_import_counts_and_explains_rejections_and_is_idempotent(env, tmp_path):
    path = write(tmp_path, [*LINES, "{not json", {"id": "x", "lang": "fr", "title": "t", "body": "b"}])
    first = run(env, "kb", "import", path)
    assert "created: 2  updated: 0  unchanged: 0  rejected: 2" in first.output
    assert "line 3: not valid JSON" in first.output and "line 4: unsupported lang 'fr'" in first.output
    LINES[1]["answer"] = "From your account."
    again = run(env, "kb", "import", write(tmp_path, LINES))
    assert "created: 0  updated: 1  unchanged: 1  rejected: 0" in again.output


def test_search_prints_json_hits_with_the_imported_id_and_a_highlighted_snippet(env, tmp_path):
    run(env, "kb", "import", write(tmp_path, LINES))
    hits = json.loads(run(env, "kb", "search", "Rücksendeetikett", "--json").output)
    assert [h["id"] for h in hits] == ["faq-1"]
    assert hits[0]["title"] == "Rücksendung" and hits[0]["score"] > 0 and "<mark>" in hits[0]["snippet"]
    assert json.loads(run(env, "kb", "search", "return label", "--lang", "de", "--json").output) == []
    assert "Return label" in run(env, "kb", "search", "return label", "--limit", "1").output
    assert "no articles found" in run(env, "kb", "search", "return label", "--source", "thread").output
    assert "Return label" in run(env, "kb", "search", "return label", "--since", "2020-01-01").output


def test_reindex_rebuilds_the_search_index_from_the_database(env, tmp_path):
    run(env, "kb", "import", write(tmp_path, LINES))
    (tmp_path / "var" / "search.db").unlink()
    assert json.loads(run(env, "kb", "search", "Rücksendeetikett", "--json").output) == []
    assert "reindexed 2 articles (fts5)" in run(env, "kb", "reindex").output
    assert len(json.loads(run(env, "kb", "search", "Rücksendeetikett", "--json").output)) == 1


def test_archive_search_uses_the_listening_query_syntax_over_stored_posts(sqlite_services, tmp_path):
    from community.domain.model import Analysis, RawPost, Thread

    now = sqlite_services.clock.now()
    with sqlite_services.uow() as uow:
        thread_id = uow.threads.add(Thread(id=None, key="forum:t", title="t", created_at=now))
        for eid, title, text in [("n1", "O2 Netz weg", "Kein Empfang, ich kündige!"),
                                 ("n2", "Sauerstoff", "O2 ist Sauerstoff, kein Netz-Thema")]:
            uow.posts.add(RawPost("forum", eid, f"https://forum.example.de/{eid}", title, text), Analysis(), thread_id,
                          now)
        uow.commit()
    env = {"SUPERFAN_SETTINGS": str(REPO / "settings.toml"), "SUPERFAN_APP_DATA_DIR": str(tmp_path / "var"),
           "SUPERFAN_DATABASE_URL": str(sqlite_services.engine.url)}
    found = json.loads(run(env, "kb", "archive", '"O2" Netz -Sauerstoff', "--json").output)
    assert [p["title"] for p in found] == ["O2 Netz weg"]
    assert "1 posts match" in run(env, "kb", "archive", "kuendige").output
    assert run(env, "kb", "archive", '"unclosed').exit_code != 0
