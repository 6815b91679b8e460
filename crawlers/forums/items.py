"""The item every forum spider yields: one post, still as the site wrote it."""
from __future__ import annotations

import scrapy


class ForumPost(scrapy.Item):
    """One forum post; ``html`` is untrusted markup, ``published`` an ISO 8601 string or empty.

    ``extra`` holds the facts the site shows about the post (``is_reply``, ``parent_author``, ``engagement``…).
    """

    external_id = scrapy.Field()
    url = scrapy.Field()
    title = scrapy.Field()
    html = scrapy.Field()
    author = scrapy.Field()
    published = scrapy.Field()
    thread_key = scrapy.Field()
    lang = scrapy.Field()
    extra = scrapy.Field()
