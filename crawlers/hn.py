"""Hacker News through the Algolia search API (``/api/v1/search_by_date``): stories and comments."""
from __future__ import annotations

from datetime import UTC, datetime

from crawlers.api import ApiConnector
from crawlers.base import FetchResult
from crawlers.posts import count, make_post, reply_facts

ITEM_URL = "https://news.ycombinator.com/item?id={}"


class HackerNewsConnector(ApiConnector):
    """Search new HN stories and comments; state keeps the newest ``created_at_i`` seen."""

    default_base = "https://hn.algolia.com"

    def fetch(self, source, state: dict) -> FetchResult:
        """Return stories and comments matching the search terms, newer than the last fetch."""
        since = int(state.get("created_after", 0))
        params = {"query": self.search_terms(source), "tags": "(story,comment)",
                  "hitsPerPage": min(self.max_posts(source), 1000)}
        if since:
            params["numericFilters"] = f"created_at_i>{since}"
        data = self.client(source).get(f"{self.base_url(source)}/api/v1/search_by_date", params=params).json()
        posts = [self._post(source, hit) for hit in data.get("hits", []) if hit.get("objectID")]
        newest = max([since, *(int(hit.get("created_at_i") or 0) for hit in data.get("hits", []))])
        return FetchResult(posts=posts, state={**state, "created_after": newest})

    def _post(self, source, hit: dict):
        is_comment = "comment" in (hit.get("_tags") or [])
        story = hit.get("story_id") or hit.get("objectID")
        title = hit.get("title") or (f"Re: {hit['story_title']}" if hit.get("story_title") else "")
        created = hit.get("created_at_i")
        author = hit.get("author", "")
        return make_post(
            source, external_id=hit["objectID"], url=ITEM_URL.format(hit["objectID"]), title=title,
            html=hit.get("comment_text") if is_comment else (hit.get("story_text") or hit.get("url") or ""),
            author=author, thread_key=str(story),
            published=datetime.fromtimestamp(int(created), tz=UTC) if created else None,
            link=hit.get("url") or hit.get("story_url"), points=hit.get("points"), kind="comment" if is_comment else "story",
            replies=hit.get("num_comments"), engagement=count(hit.get("points"), hit.get("num_comments")),
            **reply_facts(author, None, is_comment),  # Algolia names no parent author; HN shows no karma either
        )
