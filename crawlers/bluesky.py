"""Bluesky: the public ``app.bsky.feed.searchPosts`` XRPC endpoint."""
from __future__ import annotations

from datetime import datetime

from crawlers.api import ApiConnector
from crawlers.base import FetchResult
from crawlers.posts import count, make_post, reply_facts


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
        parent_did = did_of((reply.get("parent") or {}).get("uri"))
        handle = author.get("handle", "")
        # searchPosts names the parent by its URI (the author's DID), not its handle: only a self-reply is known
        parent = handle if parent_did and parent_did == author.get("did") else None
        return make_post(
            source, external_id=post["uri"], url=web_url(post), text=record.get("text", ""),
            author=handle, published=_parse(record.get("createdAt")),
            thread_key=root, lang=(record.get("langs") or [None])[0],
            likes=post.get("likeCount"), replies=post.get("replyCount"), parent_did=parent_did,
            author_reach=author.get("followersCount"),  # only in full profile views, not in searchPosts' basic one
            engagement=count(post.get("replyCount"), post.get("repostCount"), post.get("likeCount"),
                             post.get("quoteCount")),
            **reply_facts(handle, parent, bool(reply)),
        )


def did_of(uri: str | None) -> str | None:
    """Return the DID in an at:// URI (at://did:plc:…/collection/rkey), or None."""
    if not uri or not uri.startswith("at://"):
        return None
    return uri[len("at://"):].split("/", 1)[0] or None


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
