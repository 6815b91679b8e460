"""Base spiders: a generic forum read through configured selectors, and Discourse through its JSON API."""
from __future__ import annotations

from urllib.parse import quote, urljoin

import scrapy

from crawlers.forums.items import ForumPost
from crawlers.forums.spiders.dates import parse_date
from crawlers.forums.spiders.facts import discourse_facts
from crawlers.posts import reply_facts


def select(node, query: str):
    """Apply an XPath (starting with / . or () or else a CSS selector."""
    return node.xpath(query) if query.lstrip().startswith(("/", "./", "(")) else node.css(query)


def text_of(node, query: str | None) -> str:
    """Return the text (or attribute value) the selector points at, or ''."""
    if not query:
        return ""
    found = select(node, query)
    if not found:
        return ""
    first = found[0]
    return first.get() if isinstance(first.root, str) else " ".join(first.xpath("string()").get("").split())


class SourceSpider(scrapy.Spider):
    """Common ground: start URL, options, the time of the last crawl, and failures kept for the runner."""

    defaults: dict = {}

    def __init__(self, start_url: str, options: dict | None = None, since: str | None = None,
                 search: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.start_url, self.since, self.search = start_url, parse_date(since), search
        self.options = {**self.defaults, **(options or {})}
        self.failures: list[dict] = []
        self.pages = 0

    async def start(self):
        """Yield the first requests (Scrapy ≥ 2.13; older versions call ``start_requests`` directly)."""
        for request in self.start_requests():
            yield request

    def start_requests(self):
        """Yield the first requests; each platform's base spider says which."""
        return []

    def opt(self, name: str, default=None):
        """Return an option of the source (site spiders provide defaults)."""
        return self.options.get(name, default)

    def failed(self, failure) -> None:
        """Keep why a request failed; the runner turns a failed start page into the source's error."""
        response = getattr(failure.value, "response", None)
        self.failures.append({"url": failure.request.url, "start": bool(failure.request.meta.get("start")),
                              "status": getattr(response, "status", None),
                              "error": f"{type(failure.value).__name__}: {failure.value}"})

    def newer(self, when) -> bool:
        """Tell whether something dated ``when`` may hold posts newer than the last crawl."""
        return self.since is None or when is None or when > self.since

    def more_pages(self) -> bool:
        """Count a list page and tell whether another may be read."""
        self.pages += 1
        return self.pages < int(self.opt("max_pages", 5))


class ForumSpider(SourceSpider):
    """A forum read with selectors from ``options``: thread_links, next_page, title, post, post_body,
    post_author, post_date, post_id (optional), thread_next_page (optional), date_format (optional)."""

    name = "forum"
    REQUIRED = ("thread_links", "post", "post_body")

    def start_requests(self):
        """Start at the thread list."""
        missing = [name for name in self.REQUIRED if not self.opt(name)]
        if missing:
            raise ValueError(f"forum source needs options {', '.join(missing)}")
        yield scrapy.Request(self.start_url, callback=self.parse_list, errback=self.failed, meta={"start": True})

    def parse_list(self, response):
        """Follow every thread link, then the next list page."""
        for href in select(response, self.opt("thread_links")).getall():
            yield response.follow(href, callback=self.parse_thread, errback=self.failed)
        following = text_of(response, self.opt("next_page"))
        if following and self.more_pages():
            yield response.follow(following, callback=self.parse_list, errback=self.failed)

    def parse_thread(self, response):
        """Yield the posts of one thread page, then follow the thread's next page."""
        thread = response.meta.get("thread") or response.url.split("#")[0]
        starter = response.meta.get("starter")  # a later page continues a thread whose first post is known
        title = text_of(response, self.opt("title", "title"))
        for index, post in enumerate(select(response, self.opt("post"))):
            when = parse_date(text_of(post, self.opt("post_date")), self.opt("date_format"))
            own_id = text_of(post, self.opt("post_id")) if self.opt("post_id") else ""
            author = text_of(post, self.opt("post_author"))
            replying = index > 0 or "thread" in response.meta
            if not replying:
                starter = author
            yield ForumPost(
                external_id=urljoin(response.url, f"#{own_id}") if own_id else f"{response.url}#{index}",
                url=urljoin(response.url, f"#{own_id}") if own_id else response.url, title=title,
                html=select(post, self.opt("post_body")).get(""), author=author,
                published=when.isoformat() if when else "", thread_key=thread, lang=self.opt("lang"),
                extra=reply_facts(author, starter, replying))  # a flat thread's posts answer its first post
        following = text_of(response, self.opt("thread_next_page"))
        if following:
            yield response.follow(following, callback=self.parse_thread, errback=self.failed,
                                  meta={"thread": thread, "starter": starter})


class DiscourseSpider(SourceSpider):
    """A Discourse forum through ``/latest.json`` (or ``/search.json`` for ``options.search``) and ``/t/{id}.json``."""

    name = "discourse"
    CHUNK = 20

    def base(self) -> str:
        """Return the forum's base URL."""
        return self.start_url.rstrip("/")

    def start_requests(self):
        """Start at the latest topics, or at a search."""
        if self.search:
            url = f"{self.base()}/search.json?q={quote(self.search + ' order:latest')}"
            yield scrapy.Request(url, callback=self.parse_search, errback=self.failed, meta={"start": True})
        else:
            yield scrapy.Request(f"{self.base()}/latest.json", callback=self.parse_latest, errback=self.failed,
                                 meta={"start": True})

    def topic_request(self, topic: dict):
        """Request a topic's posts when it was active after the last crawl."""
        if self.newer(parse_date(topic.get("last_posted_at") or topic.get("bumped_at") or topic.get("created_at"))):
            return scrapy.Request(f"{self.base()}/t/{topic['id']}.json", callback=self.parse_topic,
                                  errback=self.failed)
        return None

    def parse_latest(self, response):
        """Follow each recently active topic and, while topics are new, the next page."""
        topics = response.json().get("topic_list", {})
        fresh = [request for t in topics.get("topics", []) if (request := self.topic_request(t))]
        yield from fresh
        more = topics.get("more_topics_url")
        if more and fresh and self.more_pages():
            yield scrapy.Request(urljoin(self.base() + "/", more.replace("/latest?", "/latest.json?")),
                                 callback=self.parse_latest, errback=self.failed)

    def parse_search(self, response):
        """Follow each topic the search found."""
        for topic in response.json().get("topics", []):
            if request := self.topic_request(topic):
                yield request

    def parse_topic(self, response):
        """Yield the posts of a topic, and ask for the rest of its post stream in chunks."""
        data = response.json()
        yield from self.posts(data, data.get("post_stream", {}).get("posts", []))
        loaded = {p["id"] for p in data.get("post_stream", {}).get("posts", [])}
        rest = [i for i in data.get("post_stream", {}).get("stream", []) if i not in loaded]
        for start in range(0, len(rest), self.CHUNK):
            ids = "&".join(f"post_ids[]={i}" for i in rest[start:start + self.CHUNK])
            yield scrapy.Request(f"{self.base()}/t/{data['id']}/posts.json?{ids}", callback=self.parse_more,
                                 errback=self.failed, cb_kwargs={"topic": data})

    def parse_more(self, response, topic: dict):
        """Yield the posts of a chunk of a topic's post stream."""
        yield from self.posts(topic, response.json().get("post_stream", {}).get("posts", []))

    def posts(self, topic: dict, posts: list[dict]):
        """Turn Discourse posts into items, with what each shows (reply to whom, likes, accepted answer)."""
        known = {p.get("post_number"): p.get("username") for p in (*topic.get("post_stream", {}).get("posts", []), *posts)}
        for post in posts:
            slug = topic.get("slug") or post.get("topic_slug") or "topic"
            yield ForumPost(
                external_id=str(post["id"]), url=f"{self.base()}/t/{slug}/{topic['id']}/{post.get('post_number', 1)}",
                title=topic.get("title") or topic.get("fancy_title", ""), html=post.get("cooked", ""),
                author=post.get("username", ""), published=post.get("created_at", ""),
                thread_key=str(topic["id"]), lang=self.opt("lang"), extra=discourse_facts(topic, post, known))
