"""Reddit through praw: a subreddit's new posts and comments, search, and replies (app-only OAuth to read)."""
from __future__ import annotations

import os
import re
from datetime import UTC, datetime

import praw
import prawcore
import requests

from crawlers.base import FetchResult
from crawlers.errors import CrawlerError, FetchError, RateLimited, SourceGone, TransientError
from crawlers.http import USER_AGENT, retry_after_seconds
from crawlers.netguard import check_url, guard_session
from crawlers.posts import count, make_post, reply_facts
from crawlers.ratelimit import RequestLimiter, shared_limiter

REQUESTS_PER_MINUTE = 100
WEB = "https://www.reddit.com"


class GuardedSession(requests.Session):
    """A requests session that checks every URL against the SSRF guard and the request limiter."""

    def __init__(self, limiter: RequestLimiter, allow_private: bool) -> None:
        super().__init__()
        self.limiter, self.allow_private = limiter, allow_private
        self.max_redirects = 5
        guard_session(self, allow_private=allow_private)

    def request(self, method, url, *args, **kwargs):  # noqa: D102 - same contract as requests.Session
        check_url(url, allow_private=self.allow_private)
        self.limiter.acquire()
        return super().request(method, url, *args, **kwargs)


def _opt(source, name: str, default=None):
    return (getattr(source, "options", None) or {}).get(name, default)


def make_reddit(source, *, limiter: RequestLimiter | None = None) -> praw.Reddit:
    """Build a praw client for a source: app-only OAuth, or a script account when a username is set."""
    client_id = _opt(source, "client_id") or os.environ.get("REDDIT_CLIENT_ID", "")
    if not client_id:
        raise FetchError(f"source {source.name!r}: set options.client_id (or REDDIT_CLIENT_ID) for Reddit")
    limiter = limiter or shared_limiter(f"reddit:{client_id}", int(_opt(source, "requests_per_minute",
                                                                          REQUESTS_PER_MINUTE)))
    auth = {"username": _opt(source, "username"), "password": _opt(source, "password")} \
        if _opt(source, "username") else {}
    return praw.Reddit(
        client_id=client_id,
        client_secret=_opt(source, "client_secret") or os.environ.get("REDDIT_CLIENT_SECRET", ""),
        user_agent=_opt(source, "user_agent") or f"python:superfan:0.1 ({USER_AGENT})",
        oauth_url=_opt(source, "oauth_url", "https://oauth.reddit.com"),
        reddit_url=_opt(source, "reddit_url", WEB),
        requestor_kwargs={"session": GuardedSession(limiter, bool(getattr(source, "allow_private", False)))},
        check_for_updates=False, check_for_async=False, ratelimit_seconds=int(_opt(source, "ratelimit_seconds", 60)),
        **auth,
    )


def translate(exc: Exception) -> CrawlerError:
    """Turn a praw/prawcore error into the crawlers' error tree."""
    if isinstance(exc, CrawlerError):
        return exc
    if isinstance(exc, prawcore.TooManyRequests):
        headers = getattr(getattr(exc, "response", None), "headers", {}) or {}
        return RateLimited(f"reddit: 429 Too Many Requests: {exc}", 429, retry_after_seconds(headers.get("retry-after")))
    if isinstance(exc, prawcore.ServerError | prawcore.RequestException):
        cause = getattr(exc, "original_exception", None)
        if isinstance(cause, CrawlerError):
            return cause
        return TransientError(f"reddit: {exc}")
    if isinstance(exc, prawcore.NotFound | prawcore.Redirect):
        return SourceGone(f"reddit: not found ({exc})", 404)
    return FetchError(f"reddit: {type(exc).__name__}: {exc}")


def _data(thing) -> dict:
    # praw fetches a lazy object on unknown attributes; read what the listing already carried instead.
    return vars(thing)


def _when(data: dict) -> datetime | None:
    stamp = data.get("created_utc")
    return datetime.fromtimestamp(float(stamp), tz=UTC) if stamp else None


def submission_post(source, submission):
    """Turn a praw Submission into a post; its fullname is the thread key its comments share."""
    data = _data(submission)
    fullname = f"t3_{data['id']}"
    text = data.get("selftext") or ("" if data.get("is_self") else data.get("url", ""))
    return make_post(source, external_id=fullname, url=WEB + data.get("permalink", f"/comments/{data['id']}/"),
                     title=data.get("title", ""), text=text, author=str(data.get("author") or "[deleted]"),
                     published=_when(data), thread_key=fullname, subreddit=str(data.get("subreddit", "")),
                     score=data.get("score"), num_comments=data.get("num_comments"), replies=data.get("num_comments"),
                     engagement=count(data.get("score"), data.get("num_comments")), is_reply=False)


def comment_post(source, comment, authors: dict | None = None):
    """Turn a praw Comment into a post in the thread of its submission (``authors``: fullname → author seen)."""
    data = _data(comment)
    link = data.get("permalink") or (data.get("link_permalink", "").rstrip("/") + f"/{data['id']}/")
    url = link if link.startswith("http") else WEB + link
    author = str(data.get("author") or "[deleted]")
    # a top-level comment answers the submission, whose author the listing names; a nested one answers a comment
    # named only when that comment is in the same listing (no extra request is made for it)
    parent_id = str(data.get("parent_id", ""))
    parent = data.get("link_author") if parent_id.startswith("t3_") else (authors or {}).get(parent_id)
    parent = None if parent == "[deleted]" else parent
    return make_post(source, external_id=f"t1_{data['id']}", url=url,
                     title=f"Re: {data['link_title']}" if data.get("link_title") else "", text=data.get("body", ""),
                     author=author, published=_when(data), thread_key=data.get("link_id"),
                     subreddit=str(data.get("subreddit", "")), score=data.get("score"),
                     engagement=count(data.get("score")), **reply_facts(author, parent, True))


class RedditConnector:
    """Read ``options.subreddit`` (new posts unless ``submissions = false``, comments unless ``comments = false``) or search."""

    def __init__(self, reddit_factory=make_reddit) -> None:
        self.reddit_factory = reddit_factory

    def fetch(self, source, state: dict) -> FetchResult:
        """Return posts and comments created after the newest one seen last time."""
        newest = float(state.get("newest_utc", 0))
        limit = int(_opt(source, "max_posts", 100))
        try:
            reddit = self.reddit_factory(source)
            subreddit = reddit.subreddit(_opt(source, "subreddit", "all"))
            search = _opt(source, "search") or getattr(source, "query", "")
            items: list = []
            if search:
                found = subreddit.search(search, sort=_opt(source, "sort", "new"), limit=limit)
                items += [submission_post(source, s) for s in found]
            else:
                if _opt(source, "submissions", True):
                    items += [submission_post(source, s) for s in subreddit.new(limit=limit)]
                if _opt(source, "comments", True):
                    comments = list(subreddit.comments(limit=limit))
                    authors = {f"t1_{c.id}": str(_data(c).get("author") or "") for c in comments}
                    items += [comment_post(source, c, authors) for c in comments]
        except (praw.exceptions.PRAWException, prawcore.PrawcoreException) as exc:
            raise translate(exc) from exc
        fresh = [p for p in items if p.published is None or p.published.timestamp() > newest]
        stamps = [p.published.timestamp() for p in items if p.published]
        return FetchResult(posts=fresh, state={**state, "newest_utc": max([newest, *stamps])})


_THING = re.compile(r"^t[13]_[a-z0-9]+$")
_URL = re.compile(r"/comments/(?P<submission>[a-z0-9]+)(?:/[^/]*/(?P<comment>[a-z0-9]+))?/?", re.IGNORECASE)


def parse_target(thread_url_or_id: str) -> tuple[str, str]:
    """Return ("submission" | "comment", id) for a Reddit URL, a fullname (t3_/t1_) or a bare submission id."""
    value = thread_url_or_id.strip()
    if _THING.match(value):
        return ("submission" if value.startswith("t3_") else "comment"), value[3:]
    if match := _URL.search(value):
        return ("comment", match["comment"]) if match["comment"] else ("submission", match["submission"])
    if re.fullmatch(r"[a-z0-9]+", value):
        return "submission", value
    raise FetchError(f"not a Reddit thread or comment: {thread_url_or_id!r}")


def post_reply(source, thread_url_or_id: str, body: str, *, reddit_factory=make_reddit) -> dict:
    """Post ``body`` as a reply to a Reddit submission or comment through praw; return the new comment's id and URL."""
    kind, thing_id = parse_target(thread_url_or_id)
    try:
        reddit = reddit_factory(source)
        parent = reddit.submission(id=thing_id) if kind == "submission" else reddit.comment(id=thing_id)
        reply = parent.reply(body)
    except (praw.exceptions.PRAWException, prawcore.PrawcoreException) as exc:
        raise translate(exc) from exc
    if reply is None:
        raise FetchError("reddit accepted the reply but returned no comment")
    data = _data(reply)
    return {"id": f"t1_{data['id']}", "parent": data.get("parent_id"),
            "url": WEB + data["permalink"] if data.get("permalink") else ""}
