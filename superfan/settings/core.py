"""Settings of the platform itself: web server, storage, search backend, brands, sources, topics."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator

from superfan.settings.base import Section


class AppSettings(Section):
    host: str = Field("127.0.0.1", description="Address the web server listens on.")
    port: int = Field(5000, ge=1, le=65535, description="Port the web server listens on.")
    secret_key: str = Field("change-me-in-production", min_length=8,
                            description="Key that signs sessions and CSRF tokens; set SUPERFAN_APP_SECRET_KEY in production.")
    data_dir: str = Field("var", description="Directory for the embedded database, models and job store (relative to the working directory).")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="Log level of the CLI, web server and jobs.")
    login_attempts_per_minute: int = Field(5, ge=1, le=1000, description="Failed logins allowed per user name and address per minute before logins are refused.")


class DatabaseSettings(Section):
    url: str = Field("", description="SQLAlchemy URL; empty means SQLite at <data_dir>/superfan.db. PostgreSQL: postgresql://user:pw@host/db.")

    @field_validator("url")
    @classmethod
    def _known_engine(cls, value: str) -> str:
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("expected a sqlite:/// or postgresql:// URL")
        return value


class SearchSettings(Section):
    backend: Literal["fts5", "opensearch", "elasticsearch"] = Field("fts5", description="Search engine for the knowledge base and the post archive.")
    url: str = Field("", description="URL of the OpenSearch/Elasticsearch node (ignored for fts5).")
    index_prefix: str = Field("superfan", pattern=r"^[a-z0-9_-]+$", description="Prefix of every index name on a search cluster.")
    fts5_path: str = Field("", description="SQLite file of the FTS5 index; empty means <data_dir>/search.db.")


def _valid_query(value: str) -> str:
    """Refuse a malformed listening query at start-up, with the error's position."""
    if value.strip():
        from crawlers.query import QuerySyntaxError, parse

        try:
            parse(value)
        except QuerySyntaxError as exc:
            raise ValueError(f"malformed listening query: {exc}") from None
    return value


ListeningQuery = Annotated[str, AfterValidator(_valid_query)]


class BrandSettings(Section):
    name: str = Field(description="Brand name as customers write it.")
    aliases: list[str] = Field(default_factory=list, description="Other spellings of the brand.")
    products: list[str] = Field(default_factory=list, description="Product names to recognise in mentions.")
    query: ListeningQuery = Field("", description="Listening query a post must match; empty means any brand name, alias or product.")


class SourceSettings(Section):
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$", description="Unique name of the source (letters, digits, _ . -).")
    kind: Literal["rss", "forum", "discourse", "reddit", "hn", "mastodon", "bluesky"] = Field(description="Connector that reads the source.")
    url: str = Field("", description="Feed, forum or API base URL.")
    interval_minutes: int = Field(15, ge=1, le=10080, description="How often the scheduler crawls the source.")
    query: ListeningQuery = Field("", description="Listening query for this source; empty means the brands' queries.")
    allow_private: bool = Field(False, description="Allow a loopback/private address (refused by default to stop server-side request forgery).")
    enabled: bool = Field(True, description="Crawl this source on schedule.")
    options: dict = Field(default_factory=dict, description="Connector-specific options (selectors, subreddit, hashtag, ...).")


class TopicSettings(Section):
    keywords: list[str] = Field(default_factory=list, description="Keyword rules (case/accent-insensitive; trailing * = prefix) that assign this topic.")
    route: Literal["community", "staff"] = Field("community", description="Default target for this topic.")
    queue: str = Field("", description="Queue/team that receives it (default: the target's name).")
