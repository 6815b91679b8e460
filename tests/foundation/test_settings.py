"""Settings: typed, validated, overridable by environment; every key documented."""
from __future__ import annotations

import re

import pytest
from pydantic import BaseModel

from superfan.settings import Settings, SettingsError, load_settings
from tests.shared_path import REPO


def write(tmp_path, body: str):
    path = tmp_path / "settings.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_the_shipped_settings_load(tmp_path):
    settings = load_settings(REPO / "settings.toml", environ={})
    assert settings.brands[0].name == "Kolibri"
    assert "rss" in {s.kind for s in settings.sources}
    assert settings.topics["payment"].route == "staff"


def test_unknown_key_names_the_key(tmp_path):
    with pytest.raises(SettingsError, match=r"app\.prot: unknown key"):
        load_settings(write(tmp_path, "[app]\nprot = 5000\n"), environ={})


def test_wrong_type_names_key_and_expected_form(tmp_path):
    with pytest.raises(SettingsError) as err:
        load_settings(write(tmp_path, '[app]\nport = "eighty"\n'), environ={})
    assert "app.port" in str(err.value) and "integer" in str(err.value) and "'eighty'" in str(err.value)


def test_out_of_range_value_is_refused(tmp_path):
    with pytest.raises(SettingsError, match=r"routing\.staff_share: .*less than or equal to 1"):
        load_settings(write(tmp_path, "[routing]\nstaff_share = 1.5\n"), environ={})


def test_bad_source_kind_and_duplicate_names(tmp_path):
    body = '[[sources]]\nname = "a"\nkind = "gopher"\n'
    with pytest.raises(SettingsError, match=r"sources\.0\.kind"):
        load_settings(write(tmp_path, body), environ={})
    body = '[[sources]]\nname = "a"\nkind = "rss"\n[[sources]]\nname = "a"\nkind = "rss"\n'
    with pytest.raises(SettingsError, match="source names must be unique, repeated: a"):
        load_settings(write(tmp_path, body), environ={})


def test_broken_toml_is_reported_with_the_file(tmp_path):
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings(write(tmp_path, "[app\nport = 1\n"), environ={})


def test_environment_overrides_file(tmp_path):
    path = write(tmp_path, "[app]\nport = 5000\n")
    settings = load_settings(path, environ={"SUPERFAN_APP_PORT": "8080",
                                            "SUPERFAN_DATABASE_URL": "postgresql://u:p@127.0.0.1/db"})
    assert settings.app.port == 8080
    assert settings.database_url == "postgresql://u:p@127.0.0.1/db"


def test_bad_environment_override_names_the_key(tmp_path):
    with pytest.raises(SettingsError, match=r"database\.url: .*sqlite:/// or postgresql://"):
        load_settings(write(tmp_path, ""), environ={"SUPERFAN_DATABASE_URL": "mysql://x"})


def test_default_database_is_sqlite_in_the_data_dir(tmp_path):
    settings = load_settings(write(tmp_path, ""), environ={"SUPERFAN_APP_DATA_DIR": str(tmp_path / "d")})
    assert settings.database_url == f"sqlite:///{tmp_path / 'd' / 'superfan.db'}"


def _fields(model: type[BaseModel], prefix: str = ""):
    for name, field in model.model_fields.items():
        yield f"{prefix}{name}", field
        annotation = field.annotation
        inner = getattr(annotation, "__args__", (annotation,))
        for candidate in inner:
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                yield from _fields(candidate, f"{prefix}{name}.")


def test_every_setting_has_help_text():
    missing = [name for name, field in _fields(Settings) if not field.description]
    assert missing == []


def test_every_top_level_setting_is_documented_in_settings_toml():
    text = (REPO / "settings.toml").read_text(encoding="utf-8")
    undocumented = []
    for section, field in Settings.model_fields.items():
        model = field.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            for key in model.model_fields:
                if not re.search(rf"^\s*#?.*\b{re.escape(key)}\b", text, re.MULTILINE):
                    undocumented.append(f"{section}.{key}")
    assert undocumented == []


def test_a_malformed_listening_query_stops_start_up_with_its_position(tmp_path):
    body = '[[brands]]\nname = "Kolibri"\nquery = "Kolibri AND (Akku OR"\n'
    with pytest.raises(SettingsError, match=r"brands\.0\.query: .*malformed listening query.*position"):
        load_settings(write(tmp_path, body), environ={})
