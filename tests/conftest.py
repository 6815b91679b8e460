"""Shared fixtures: settings on a temporary data directory, databases on SQLite and PostgreSQL, services."""
from __future__ import annotations

import shutil
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from community.adapters.passwords import WerkzeugHasher
from community.adapters.sql.db import make_engine, upgrade
from superfan.bootstrap import build_services
from superfan.settings import load_settings
from tests.engines import require
from tests.shared_path import REPO

# Real salted hashes, at a cost that keeps the suite fast (production uses scrypt's default cost).
FAST_HASHER = WerkzeugHasher("pbkdf2:sha256:1000")


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta) -> None:
        self.current += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """A fresh PostgreSQL database for this test session (dropped at the end)."""
    base = make_url(require("SUPERFAN_TEST_POSTGRES_URL")).set(drivername="postgresql+psycopg")
    name = f"superfan_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _reset_postgres(url: str) -> None:
    engine = create_engine(make_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory):
    """A SQLite database migrated once per session; tests get copies of it."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # closing the last connection checkpoints the WAL into the file
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> str:
    """A new, empty database on each engine (SQLite: an empty file, migrated by whoever uses it)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'superfan.db'}"
    url = request.getfixturevalue("postgres_server_url")
    _reset_postgres(url)
    return url


@pytest.fixture
def settings_factory(tmp_path):
    """Build Settings from the repo's settings.toml with overrides (a dict of SUPERFAN_* variables)."""

    def make(**env: str):
        environ = {"SUPERFAN_APP_DATA_DIR": str(tmp_path / "var"), **env}
        return load_settings(REPO / "settings.toml", environ=environ)

    return make


@pytest.fixture
def services(settings_factory, database_url, clock):
    """Wired services on a migrated database (SQLite and PostgreSQL) with a fake clock."""
    svc = build_services(settings_factory(SUPERFAN_DATABASE_URL=database_url), clock=clock)
    svc.hasher = FAST_HASHER
    svc.migrate()
    yield svc
    svc.engine.dispose()


@pytest.fixture
def sqlite_services(settings_factory, tmp_path, clock, migrated_sqlite_template):
    """Wired services on a migrated SQLite database only (a copy of the session's template)."""
    shutil.copy(migrated_sqlite_template, tmp_path / "one.db")
    svc = build_services(settings_factory(SUPERFAN_DATABASE_URL=f"sqlite:///{tmp_path / 'one.db'}"), clock=clock)
    svc.hasher = FAST_HASHER
    yield svc
    svc.engine.dispose()
