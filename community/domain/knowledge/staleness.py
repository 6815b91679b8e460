"""When an article needs a manager's review: old and either voted unhelpful or asked again without resolution."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from community.domain.knowledge.article import Article


@dataclass(frozen=True, slots=True)
class StalenessRules:
    """Thresholds of the staleness check (from the ``[kb]`` settings)."""

    max_age_days: int = 180
    min_not_helpful: int = 3
    not_helpful_share: float = 0.5
    unresolved_questions: int = 3


def stale_reasons(article: Article, now: datetime, rules: StalenessRules) -> tuple[str, ...]:
    """Return why the article is stale (empty when it is not): it must be old and show one warning sign."""
    changed = article.updated_at or article.created_at
    if changed is None or now - changed < timedelta(days=rules.max_age_days):
        return ()
    reasons: list[str] = []
    votes = article.helpful + article.not_helpful
    if article.not_helpful >= rules.min_not_helpful and article.not_helpful >= rules.not_helpful_share * votes:
        reasons.append(f"{article.not_helpful} of {votes} readers found it not helpful")
    if article.unresolved_questions >= rules.unresolved_questions:
        reasons.append(f"{article.unresolved_questions} new questions on the subject stayed unresolved")
    if reasons:
        reasons.insert(0, f"not updated for {(now - changed).days} days")
    return tuple(reasons)
