"""Mastodon: a hashtag timeline (``/api/v1/timelines/tag/{tag}``) or a search (``/api/v2/search``)."""
from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from crawlers.api import ApiConnector
from crawlers.base import FetchResult
from crawlers.posts import count, make_post, reply_facts


class MastodonConnector(ApiConnector):
    """Read new statuses for ``options.tag`` (public) or search ``options.search``/the query (token needed)."""

    default_base = "https://mastodon.social"

    def fetch(self, source, state: dict) -> FetchResult:
        """Return statuses newer than the newest id seen before (``since_id``/``min_id``)."""
        base, tag = self.base_url(source), self.option(source, "tag")
        since = state.get("since_id")
        headers = {}
        if token := self.option(source, "access_token"):
            headers["Authorization"] = f"Bearer {token}"
        limit = min(self.max_posts(source), 40)
        if tag:
            params = {"limit": limit, **({"since_id": since} if since else {})}
            statuses = self.client(source).get(f"{base}/api/v1/timelines/tag/{quote(tag.lstrip('#'))}",
                                               params=params, headers=headers).json()
        else:
            params = {"q": self.search_terms(source), "type": "statuses", "limit": limit, "resolve": "false",
                      **({"min_id": since} if since else {})}
            statuses = self.client(source).get(f"{base}/api/v2/search", params=params,
                                               headers=headers).json().get("statuses", [])
        statuses = [s.get("reblog") or s for s in statuses if isinstance(s, dict) and s.get("id")]
        posts = [self._post(source, status) for status in statuses]
        newest = max((s["id"] for s in statuses), key=lambda i: (len(str(i)), str(i)), default=since)
        return FetchResult(posts=posts, state={**state, "since_id": newest} if newest else dict(state))

    def _post(self, source, status: dict):
        account = status.get("account") or {}
        text = status.get("content") or ""
        if status.get("spoiler_text"):
            text = f"<p>{status['spoiler_text']}</p>{text}"
        created = status.get("created_at")
        author = account.get("acct") or account.get("username", "")
        return make_post(
            source, external_id=status["id"], url=status.get("url") or status.get("uri") or "",
            title="", html=text, author=author,
            published=datetime.fromisoformat(created) if created else None,
            thread_key=status.get("in_reply_to_id"),  # a reply joins the thread of the status it answers
            lang=status.get("language"), tags=[t.get("name") for t in status.get("tags", [])] or None,
            author_reach=account.get("followers_count"), replies=status.get("replies_count"),
            engagement=count(status.get("replies_count"), status.get("reblogs_count"), status.get("favourites_count")),
            **reply_facts(author, parent_author(status, account, author), bool(status.get("in_reply_to_id"))),
        )


def parent_author(status: dict, account: dict, author: str) -> str | None:
    """Return the handle of the account a status answers: the author itself, or one of its mentions."""
    parent_id = status.get("in_reply_to_account_id")
    if not parent_id:
        return None
    if str(parent_id) == str(account.get("id")):
        return author
    mentioned = next((m for m in status.get("mentions") or [] if str(m.get("id")) == str(parent_id)), {})
    return mentioned.get("acct") or mentioned.get("username") or None
