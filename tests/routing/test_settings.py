"""Routing settings: settings.toml ships the default rules, and a broken rule stops the start with its name."""
from __future__ import annotations

import pytest

from community.domain.routing.defaults import default_rules
from superfan.scheduler import registered_jobs
from superfan.settings import SettingsError, load_settings
from tests.shared_path import REPO


def test_settings_toml_ships_the_default_rules():
    settings = load_settings(REPO / "settings.toml", environ={})
    shipped = [r.model_dump() for r in settings.routing.rules]
    assert shipped == default_rules()


def test_a_broken_rule_names_the_rule_and_the_key(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('[[routing.rules]]\nname = "vip"\nwhen = { colour = "gold" }\nthen = { target = "staff" }\n')
    with pytest.raises(SettingsError, match="rule 'vip': unknown rule condition 'colour'"):
        load_settings(path, environ={})


def test_a_bad_sla_override_key_is_refused(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('[sla.overrides."robots/x"]\nfirst_response_minutes = 5\nresolution_minutes = 60\n')
    with pytest.raises(SettingsError, match="override 'robots/x'"):
        load_settings(path, environ={})


def test_building_the_services_registers_the_sla_job(sqlite_services):
    job = next(j for j in registered_jobs() if j.id == "routing:sla")
    assert job.minutes == sqlite_services.settings.sla.check_every_minutes
