"""The schema is created and removed by Alembic on SQLite and PostgreSQL, and matches the models."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from community.adapters.sql.db import current_revision, downgrade, make_engine, upgrade
from community.adapters.sql.tables import Base


def test_upgrade_downgrade_upgrade(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    head = current_revision(engine)
    assert head is not None
    assert {"posts", "threads", "users", "claims", "points_events", "kb_articles"} <= set(inspect(engine).get_table_names())
    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert "posts" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert current_revision(engine) == head
    engine.dispose()


def test_migrations_match_the_models(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_sqlite_runs_in_wal_mode(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()
