"""Typed, validated settings: ``settings.toml`` plus ``SUPERFAN_<SECTION>_<KEY>`` environment overrides."""
from __future__ import annotations

import os
import tomllib
from pathlib import Path

from pydantic import Field, ValidationError, model_validator

from superfan.settings.base import Section
from superfan.settings.core import (
    AppSettings,
    BrandSettings,
    DatabaseSettings,
    SearchSettings,
    SourceSettings,
    TopicSettings,
)
from superfan.settings.gamification import GamificationSettings
from superfan.settings.kb import KbSettings
from superfan.settings.listening import ListeningSettings
from superfan.settings.nlp import NlpSettings
from superfan.settings.routing import RoutingSettings, SlaSettings

ENV_PREFIX = "SUPERFAN_"


class SettingsError(Exception):
    """The settings file or an override is wrong; the message names the key and the expected form."""


class Settings(Section):
    """All of Superfan's settings."""

    app: AppSettings = Field(default_factory=AppSettings, description="Web server and files.")
    database: DatabaseSettings = Field(default_factory=DatabaseSettings, description="Storage.")
    search: SearchSettings = Field(default_factory=SearchSettings, description="Search backend.")
    brands: list[BrandSettings] = Field(default_factory=list, description="Brands to listen for.")
    sources: list[SourceSettings] = Field(default_factory=list, description="Sources to crawl.")
    topics: dict[str, TopicSettings] = Field(default_factory=dict, description="Topic taxonomy with keyword rules and default route.")
    nlp: NlpSettings = Field(default_factory=NlpSettings, description="NLP pipeline.")
    routing: RoutingSettings = Field(default_factory=RoutingSettings, description="Routing and claims.")
    sla: SlaSettings = Field(default_factory=SlaSettings, description="SLA targets.")
    gamification: GamificationSettings = Field(default_factory=GamificationSettings, description="Points, badges, ranks, rewards.")
    kb: KbSettings = Field(default_factory=KbSettings, description="Knowledge base.")
    listening: ListeningSettings = Field(default_factory=ListeningSettings, description="Crawl backoff, dead sources, scheduler.")

    @model_validator(mode="after")
    def _unique_source_names(self) -> Settings:
        names = [s.name for s in self.sources]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"source names must be unique, repeated: {', '.join(dupes)}")
        return self

    @property
    def data_path(self) -> Path:
        """Absolute path of the data directory."""
        return Path(self.app.data_dir).resolve()

    @property
    def database_url(self) -> str:
        """The database URL, defaulting to SQLite inside the data directory."""
        return self.database.url or f"sqlite:///{self.data_path / 'superfan.db'}"

    @property
    def models_path(self) -> Path:
        """Absolute path of the trained-models directory."""
        path = Path(self.nlp.models_dir)
        return path if path.is_absolute() else self.data_path / path


def _apply_env(raw: dict, environ: dict[str, str]) -> dict:
    """Overlay SUPERFAN_<SECTION>_<KEY> variables onto the raw table of scalar sections."""
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX) or name.startswith(ENV_PREFIX + "TEST_"):
            continue
        rest = name[len(ENV_PREFIX):].lower()
        for section, model in Settings.model_fields.items():
            annotation = model.annotation
            if not (isinstance(annotation, type) and issubclass(annotation, Section)):
                continue
            if rest.startswith(section + "_") and rest[len(section) + 1:] in annotation.model_fields:
                raw.setdefault(section, {})[rest[len(section) + 1:]] = value
                break
    return raw


def _describe(error: dict) -> str:
    key = ".".join(str(part) for part in error["loc"]) or "(top level)"
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = "unknown key (check the spelling against settings.toml's reference)"
    got = error.get("input")
    shown = "" if isinstance(got, (dict, list)) or error["type"] == "missing" else f" (got {got!r})"
    return f"{key}: {message}{shown}"


def load_settings(path: str | Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Load settings from a TOML file (default: ./settings.toml if present) and the environment."""
    environ = dict(os.environ if environ is None else environ)
    path = Path(path or environ.get("SUPERFAN_SETTINGS", "settings.toml"))
    raw: dict = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{path}: not valid TOML: {exc}") from exc
    try:
        return Settings.model_validate(_apply_env(raw, environ))
    except ValidationError as exc:
        lines = "\n".join(f"  - {_describe(err)}" for err in exc.errors())
        raise SettingsError(f"{path}: invalid settings:\n{lines}") from exc
