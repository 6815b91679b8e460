"""build_services(): the one place that picks and wires the adapters."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from community.adapters.passwords import WerkzeugHasher
from community.adapters.sql.db import make_engine, upgrade
from community.adapters.sql.labeled_examples import SqlLabeledExamples
from community.adapters.sql.repositories import SqlUnitOfWork
from community.domain.model import RawPost
from community.ports import Classifier, Clock, SystemClock
from community.services import rewards
from crawlers.listening import ListeningFilter, terms_query
from crawlers.publishing import SourcePublisher
from nlp.setup import classifier_from_settings
from superfan.routing import build_router as build_rules_router
from superfan.scheduler import register_job
from superfan.settings import Settings

KB_STALE_JOB = "kb:stale"


@dataclass
class Services:
    """Everything the CLI, web app and jobs need, already wired."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker
    clock: Clock
    classifier_factory: Callable[[], Classifier]
    router: Any
    hasher: WerkzeugHasher
    matches: Callable[[RawPost], bool]
    extras: dict = field(default_factory=dict)
    knowledge: Any = None  # community.services.knowledge.KnowledgeService (issue 9)
    publisher: Any = None  # community.services.channel.ChannelPublisher: answers posted where the question was asked

    _classifier: Classifier | None = field(default=None, repr=False)

    @property
    def classifier(self) -> Classifier:
        """Return the classifier, loading the trained model on first use (commands that never classify skip it)."""
        if self._classifier is None:
            self._classifier = self.classifier_factory()
        return self._classifier

    @classifier.setter
    def classifier(self, value: Classifier) -> None:
        self._classifier = value

    def uow(self) -> SqlUnitOfWork:
        """Return a new unit of work (use as a context manager)."""
        return SqlUnitOfWork(self.session_factory)

    def migrate(self) -> None:
        """Create or upgrade the database schema."""
        upgrade(self.engine)


def build_matcher(settings: Settings) -> Callable[[RawPost], bool]:
    """Return the listening filter: each brand's query (default: any of its names and products) or a
    source's own query."""
    brands = {b.name: b.query or terms_query((b.name, *b.aliases, *b.products)) for b in settings.brands}
    return ListeningFilter(brands, {s.name: s.query for s in settings.sources if s.query})


def build_router(settings: Settings, clock: Clock):
    """Return the router: the routing rules engine over the topic table, with offers to super-users."""
    return build_rules_router(settings, clock)


def build_classifier(settings: Settings) -> Classifier:
    """Return the trained spaCy classifier, or the keyword rules (with a logged warning) when no model is trained."""
    return classifier_from_settings(settings)


def build_search_index(settings: Settings):
    """Return the KB search index the ``[search]`` settings name: FTS5 file, OpenSearch or Elasticsearch."""
    if settings.search.backend == "fts5":
        from community.adapters.search.fts5 import Fts5Index

        path = settings.search.fts5_path or settings.data_path / "search.db"
        return Fts5Index(path, candidate_cap=settings.kb.candidate_cap)
    from community.adapters.search.cluster import ClusterIndex

    return ClusterIndex.connect(settings.search.backend, settings.search.url, prefix=settings.search.index_prefix)


def build_knowledge(settings: Settings, engine: Engine, clock: Clock):
    """Return the knowledge-base service over the SQL store and the configured search index."""
    from community.adapters.sql.knowledge import SqlKnowledgeRepository
    from community.services.knowledge import KnowledgeService

    register_job(KB_STALE_JOB, flag_stale_articles, 24 * 60)
    return KnowledgeService(SqlKnowledgeRepository(engine), build_search_index(settings), clock, settings.kb.rules())


def flag_stale_articles(services) -> None:
    """Scheduled daily: flag old articles that collect 'not helpful' votes or new unresolved questions."""
    stale = services.knowledge.flag_stale()
    logging.getLogger(__name__).info("knowledge base: %d articles need review", len(stale))


def build_services(settings: Settings, *, clock: Clock | None = None) -> Services:
    """Wire storage, classifier, router and clock from settings; nothing connects before this call."""
    engine = make_engine(settings.database_url)
    clock = clock or SystemClock()
    rewards.configure(settings.gamification.programme())  # work events earn points under these rules
    session_factory = sessionmaker(engine, expire_on_commit=False)
    return Services(settings=settings, engine=engine, session_factory=session_factory,
                    extras={"labeled_examples": SqlLabeledExamples(session_factory)},
                    clock=clock, classifier_factory=lambda: build_classifier(settings),
                    router=build_router(settings, clock), hasher=WerkzeugHasher(), matches=build_matcher(settings),
                    knowledge=build_knowledge(settings, engine, clock), publisher=SourcePublisher(settings.sources))
