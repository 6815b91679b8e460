"""The knowledge base: articles built from resolved threads, masking, duplicates, staleness, suggestions."""
from community.domain.knowledge.article import Article, ArticleFeedback
from community.domain.knowledge.search import SearchDocument, SearchHit, SearchQuery

__all__ = ["Article", "ArticleFeedback", "SearchDocument", "SearchHit", "SearchQuery"]
