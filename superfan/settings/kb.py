"""Settings of the knowledge base (issue: knowledge base and search)."""
from __future__ import annotations

from pydantic import Field

from superfan.settings.base import Section


class KbSettings(Section):
    suggestions: int = Field(5, ge=1, le=20, description="How many articles are suggested while someone writes an answer.")
    duplicate_threshold: float = Field(0.6, ge=0.1, le=1.0, description="Word overlap (0..1) from which a resolved question attaches to an existing article instead of creating one.")
    likely_answered_threshold: float = Field(0.6, ge=0.1, le=1.0, description="Word overlap (0..1) from which a new mention is marked 'likely answered' by a published article.")
    good_suggestion: float = Field(0.34, ge=0.0, le=1.0, description="Share of the question's words a suggestion must contain to count as good; below it, articles in the other language are offered.")
    stale_after_days: int = Field(180, ge=1, le=3650, description="Age (days since the last update) from which an article can be flagged stale.")
    stale_min_not_helpful: int = Field(3, ge=1, le=1000, description="'Not helpful' votes that, with a majority of all votes, flag an old article stale.")
    stale_not_helpful_share: float = Field(0.5, ge=0.0, le=1.0, description="Share of 'not helpful' among all votes from which an old article is flagged stale.")
    stale_unresolved_questions: int = Field(3, ge=1, le=1000, description="New unresolved questions on an old article's subject that flag it stale.")
    candidate_cap: int = Field(1000, ge=100, le=1_000_000, description="FTS5: most documents a query's words may select before ranking; the most common words are left out of the selection (they still count in the reranking) until it fits.")

    def rules(self):
        """Return the domain thresholds these settings describe."""
        from community.domain.knowledge.staleness import StalenessRules
        from community.services.knowledge import KnowledgeRules

        return KnowledgeRules(
            suggestions=self.suggestions, duplicate_threshold=self.duplicate_threshold,
            likely_answered_threshold=self.likely_answered_threshold, good_suggestion=self.good_suggestion,
            staleness=StalenessRules(max_age_days=self.stale_after_days, min_not_helpful=self.stale_min_not_helpful,
                                     not_helpful_share=self.stale_not_helpful_share,
                                     unresolved_questions=self.stale_unresolved_questions))
