"""``superfan query check`` and ``superfan query test`` as a community manager uses them."""
import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from community.domain.model import RawPost
from community.services.ingest import ingest
from superfan.cli import main
from tests.shared_path import REPO

OLD = [("o1", "Alte Kündigung", "Meine Kuendigung vom letzten Monat ist noch offen")]
NEW = [("n1", "O2 Netz weg", "Seit heute kein Empfang, das Netz ist komplett ausgefallen. Ich kündige!"),
       ("n2", "Sauerstoff", "O2 ist Sauerstoff, kein Netz-Thema"),
       ("n3", "Frage", "Wie stelle ich das Ziffernblatt ein?")]


def run(env, *args):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def env(sqlite_services, clock, tmp_path):
    """A database with one post fetched ten days ago and three fetched now; the CLI's environment."""
    def store(rows, at):
        clock.current = at
        posts = [RawPost(source="forum", external_id=eid, url=f"https://forum.example.de/t/{eid}", title=title,
                         text=text, author="kunde", lang_hint="de") for eid, title, text in rows]
        ingest(sqlite_services.uow, posts, classifier=sqlite_services.classifier, router=sqlite_services.router,
               clock=clock)

    now = datetime.now(UTC)
    store(OLD, now - timedelta(days=10))
    store(NEW, now)
    return {"SUPERFAN_SETTINGS": str(REPO / "settings.toml"),
            "SUPERFAN_DATABASE_URL": str(sqlite_services.engine.url),
            "SUPERFAN_APP_DATA_DIR": str(tmp_path / "var")}


def test_check_prints_ok_and_the_normalised_query():
    result = CliRunner().invoke(main, ["query", "check", '"O2" (Netz OR Ausfall) -Sauerstoff'])
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == 'ok: "O2" AND (Netz OR Ausfall) AND NOT Sauerstoff'
    assert "fts5:" in result.output


def test_check_shows_a_malformed_query_with_its_position_and_exits_2():
    result = CliRunner().invoke(main, ["query", "check", "Netz AND (Ausfall OR"])
    assert result.exit_code == 2
    assert "error at position 18: OR needs a word or phrase after it" in result.output
    assert "Netz AND (Ausfall OR\n" + " " * 18 + "^" in result.output


def test_dry_run_shows_matching_posts_and_why(env):
    result = run(env, "query", "test", '"O2" AND (Netz OR "kein Empfang") NOT Sauerstoff')
    assert result.exit_code == 0, result.output
    assert "[[O2]] [[Netz]] weg" in result.output
    assert "Seit heute [[kein Empfang]], das [[Netz]] ist" in result.output
    assert "Sauerstoff" not in result.output.replace("NOT Sauerstoff", "")
    assert result.output.splitlines()[-1].startswith("1 of 4 posts match")


def test_dry_run_since_days_and_json(env):
    everything = json.loads(run(env, "query", "test", "kündig*", "--json").output)
    assert sorted(m["title"] for m in everything["matched"]) == ["Alte Kündigung", "O2 Netz weg"]
    recent = json.loads(run(env, "query", "test", "kündig*", "--since", "3", "--json").output)
    assert recent["checked"] == 3
    assert [m["title"] for m in recent["matched"]] == ["O2 Netz weg"]
    assert recent["matched"][0]["terms"] == ["kündig*"]
    assert recent["matched"][0]["text_marked"].endswith("Ich [[kündige]]!")


def test_dry_run_rejects_a_malformed_query(env):
    result = run(env, "query", "test", "kündig* NEAR Netz")
    assert result.exit_code == 2 and "NEAR needs a distance" in result.output
