"""Knowledge-base use cases: resolved thread → article, import, search, suggestions with feedback, deflection."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from community.domain.errors import NotFound, SuperfanError
from community.domain.knowledge import Article, SearchHit, SearchQuery
from community.domain.knowledge.building import article_from_import, article_from_thread, attach_sources
from community.domain.knowledge.importing import parse_import_line
from community.domain.knowledge.similarity import similarity
from community.domain.knowledge.staleness import StalenessRules, stale_reasons
from community.domain.knowledge.suggestions import Suggestion, rank_suggestions
from community.domain.model import Analysis, RawPost, StoredPost, Thread
from community.ports import Clock, KnowledgeRepository, SearchIndex

LANGUAGES = ("de", "en")


@dataclass(frozen=True, slots=True)
class KnowledgeRules:
    """Thresholds of the knowledge base (from the ``[kb]`` settings)."""

    suggestions: int = 5
    duplicate_threshold: float = 0.6
    likely_answered_threshold: float = 0.6
    good_suggestion: float = 0.34
    staleness: StalenessRules = field(default_factory=StalenessRules)


@dataclass(frozen=True, slots=True)
class Resolution:
    """The article a resolved thread produced, and whether it was ``created``, ``updated`` or ``attached``."""

    article: Article
    outcome: str


@dataclass
class ImportSummary:
    """Outcome of an import: counts and the reason for each rejected line."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


class KnowledgeService:
    """Build, find and suggest knowledge-base articles; keeps the search index in step with the store."""

    def __init__(self, articles: KnowledgeRepository, index: SearchIndex, clock: Clock,
                 rules: KnowledgeRules | None = None) -> None:
        self.articles, self.index, self.clock = articles, index, clock
        self.rules = rules or KnowledgeRules()

    def _store(self, article: Article, *, index: bool = True) -> Article:
        article = self.articles.save(article) if article.id else self.articles.add(article)
        if index:
            self.index.index(article.document())
        return article

    # -- building -------------------------------------------------------------------------------------------
    def resolve(self, thread: Thread, posts: list[StoredPost], answer: str, *, author_id: int | None) -> Resolution:
        """Turn a thread resolved with an accepted answer into an article, or attach it to its near-duplicate."""
        now = self.clock.now()
        draft = article_from_thread(thread, posts, answer, author_id=author_id, now=now)
        existing = self.articles.by_thread(thread.id) if thread.id is not None else None
        if existing is not None:
            updated = existing.with_changes(answer=draft.answer, sources=draft.sources, updated_at=now)
            return Resolution(self._store(updated), "updated")
        duplicate = self._duplicate_of(f"{draft.title} {draft.question}", draft.language)
        if duplicate is not None:
            return Resolution(self._store(attach_sources(duplicate, posts, now)), "attached")
        return Resolution(self._store(draft), "created")

    def _duplicate_of(self, question: str, language: str) -> Article | None:
        for hit in self.index.search(SearchQuery(question, language=_lang(language), limit=5)):
            article = self._article_of(hit)
            if article and similarity(question, f"{article.title} {article.question}") >= self.rules.duplicate_threshold:
                return article
        return None

    def _article_of(self, hit: SearchHit) -> Article | None:
        try:
            return self.articles.get(int(hit.id))
        except (NotFound, ValueError):
            return None

    def import_lines(self, lines: Iterable[str], on_line: Callable[[int, str], None] | None = None) -> ImportSummary:
        """Import FAQ lines (JSON), idempotent by ``id``; ``on_line(number, outcome)`` reports progress."""
        summary, now, pending = ImportSummary(), self.clock.now(), []
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = parse_import_line(line)
                existing = self.articles.by_external_id(record.external_id)
                article = article_from_import(record, existing, now)
                outcome = "unchanged" if existing is article else ("updated" if existing else "created")
                if outcome != "unchanged":
                    pending.append(self._store(article, index=False).document())
                setattr(summary, outcome, getattr(summary, outcome) + 1)
            except SuperfanError as exc:
                outcome = f"rejected: {exc}"
                summary.rejected.append((number, str(exc)))
            if on_line:
                on_line(number, outcome)
            if len(pending) >= 500:
                self.index.bulk(pending)
                pending = []
        if pending:
            self.index.bulk(pending)
        return summary

    def reindex(self) -> int:
        """Rebuild the search index from the store (searches keep answering meanwhile)."""
        return self.index.reindex(a.document() for a in self.articles.iter_all())

    # -- finding --------------------------------------------------------------------------------------------
    def search(self, text: str, *, language: str | None = None, limit: int = 10, **filters) -> list[SearchHit]:
        """Search published articles (filters: topic, source, since, until)."""
        return self.index.search(SearchQuery(text, language=language, limit=limit, **filters))

    def get(self, article_id: int, *, count_view: bool = False) -> Article:
        """Return an article, counting a view when a reader opens it."""
        if count_view:
            self.articles.record_view(article_id)
        return self.articles.get(article_id)

    def suggest(self, question: str, language: str | None, *, limit: int | None = None) -> list[Suggestion]:
        """Suggest articles for an answer: the asker's language first, the other one labelled as a fallback."""
        limit = limit or self.rules.suggestions
        lang = _lang(language)
        own = self.index.search(SearchQuery(question, language=lang, limit=limit))
        ranked = rank_suggestions(question, own, [], limit=limit, good_enough=self.rules.good_suggestion)
        if lang is None or any(not s.fallback and s.relevance >= self.rules.good_suggestion for s in ranked):
            return ranked
        other = [h for other_lang in LANGUAGES if other_lang != lang
                 for h in self.index.search(SearchQuery(question, language=other_lang, limit=limit))]
        return rank_suggestions(question, own, other, limit=limit, good_enough=self.rules.good_suggestion)

    def likely_answered(self, post: RawPost, analysis: Analysis) -> Article | None:
        """Return the published article that closely matches a new mention, if any (the mention is then deflectable)."""
        question = f"{post.title} {post.text}"
        for hit in self.index.search(SearchQuery(question, language=_lang(analysis.language), limit=3)):
            article = self._article_of(hit)
            if article and article.published and similarity(
                    question, f"{article.title} {article.question}") >= self.rules.likely_answered_threshold:
                return article
        return None

    # -- feedback and review -------------------------------------------------------------------------------
    def feedback(self, article_id: int, kind: str, *, user_id: int | None = None,
                 thread_id: int | None = None) -> Article:
        """Record an insert, dismissal or helpful/not-helpful vote; it moves the article's ranking."""
        article = self.articles.record_feedback(article_id, kind, user_id=user_id, thread_id=thread_id,
                                                at=self.clock.now())
        return self._restale(article)

    def question_unresolved(self, article_id: int) -> Article:
        """Count a new question on the article's subject that stayed unresolved (a staleness signal)."""
        article = self.articles.get(article_id)
        return self._restale(article.with_changes(unresolved_questions=article.unresolved_questions + 1))

    def _restale(self, article: Article) -> Article:
        reasons = stale_reasons(article, self.clock.now(), self.rules.staleness)
        return self._store(article.with_changes(stale=bool(reasons), stale_reasons=reasons))

    def flag_stale(self) -> list[Article]:
        """Re-check every published article and return those that need review."""
        return [a for a in (self._restale(a) for a in self.articles.iter_all() if a.published) if a.stale]

    def edit(self, article_id: int, **changes) -> Article:
        """Change an article's title, question, answer, topic or tags (a manager's edit clears the stale flag)."""
        allowed = {"title", "question", "answer", "topic", "tags", "language"}
        unknown = set(changes) - allowed
        if unknown:
            raise SuperfanError(f"cannot edit {', '.join(sorted(unknown))}")
        article = self.articles.get(article_id)
        return self._store(article.with_changes(**changes, updated_at=self.clock.now(), stale=False,
                                                stale_reasons=(), unresolved_questions=0))

    def merge(self, duplicate_id: int, into_id: int) -> Article:
        """Merge a duplicate into another article: sources and tags move over, the duplicate is unpublished."""
        if duplicate_id == into_id:
            raise SuperfanError("an article cannot be merged into itself")
        duplicate, target = self.articles.get(duplicate_id), self.articles.get(into_id)
        now = self.clock.now()
        self._store(duplicate.with_changes(published=False, merged_into=into_id, updated_at=now))
        return self._store(target.with_changes(
            sources=tuple(dict.fromkeys((*target.sources, *duplicate.sources))),
            tags=tuple(dict.fromkeys((*target.tags, *duplicate.tags))), updated_at=now))

    def set_published(self, article_id: int, published: bool) -> Article:
        """Publish or unpublish an article (unpublished articles are never searched or suggested)."""
        return self._store(self.articles.get(article_id).with_changes(published=published,
                                                                       updated_at=self.clock.now()))


def _lang(language: str | None) -> str | None:
    return language if language in LANGUAGES else None
