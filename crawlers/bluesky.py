"""Bluesky: the public ``app.bsky.feed.searchPosts`` XRPC endpoint."""
from __future__ import annotations

from datetime import datetime

from crawlers.api import ApiConnector
from crawlers.base import FetchResult
from crawlers.posts import make_post


def web_url(post: dict) -> str:
    """Return the bsky.app address of a post from its at:// URI."""
    rkey = post.get("uri", "").rsplit("/", 1)[-1]
    handle = (post.get("author") or {}).get("handle") or (post.get("author") or {}).get("did", "")
    return f"https://bsky.app/profile/{handle}/post/{rkey}"


class BlueskyConnector(ApiConnector):
    """Search the newest posts; state keeps the newest ``createdAt`` seen, passed as ``since`` next time."""

    default_base = "https://public.api.bsky.app"

    def fetch(self, source, state: dict) -> FetchResult:
        """Return posts matching the search terms, newest first, created after the last fetch."""
        since = state.get("since")
        params = {"q": self.search_terms(source), "sort": "latest", "limit": min(self.max_posts(source), 100)}
        if since:
            params["since"] = since
        if lang := self.option(source, "lang"):
            params["lang"] = lang
        data = self.client(source).get(f"{self.base_url(source)}/xrpc/app.bsky.feed.searchPosts", params=params).json()
        found = [p for p in data.get("posts", []) if isinstance(p, dict) and p.get("uri")]
        posts = [self._post(source, post) for post in found]
        newest = _newest([since, *((p.get("record") or {}).get("createdAt") for p in found)])
        return FetchResult(posts=posts, state={**state, "since": newest} if newest else dict(state))

    def _post(self, source, post: dict):
        record = post.get("record") or {}
        reply = record.get("reply") or {}
        author = post.get("author") or {}
        root = (reply.get("root") or {}).get("uri")
        return make_post(
            source, external_id=post["uri"], url=web_url(post), text=record.get("text", ""),
            author=author.get("handle", ""), published=_parse(record.get("createdAt")),
            thread_key=root, lang=(record.get("langs") or [None])[0],
            likes=post.get("likeCount"), replies=post.get("replyCount"),
        )


def _parse(stamp: str | None):
    if not stamp:
        return None
    try:
        return datetime.fromisoformat(stamp)
    except ValueError:
        return None


def _newest(stamps) -> str | None:
    dated = [(when, stamp) for stamp in stamps if (when := _parse(stamp)) is not None and when.tzinfo]
    return max(dated)[1] if dated else None
