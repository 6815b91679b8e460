"""phpBB 3 (prosilver theme): the generic forum spider with the theme's selectors as defaults."""
from __future__ import annotations

from crawlers.forums.spiders.bases import ForumSpider


class PhpBBSpider(ForumSpider):
    """A phpBB 3 board; point ``url`` at a forum's topic list (viewforum.php?f=N)."""

    name = "phpbb"
    defaults = {
        "thread_links": "a.topictitle::attr(href)",
        "next_page": "li.arrow.next a::attr(href)",
        "title": "h2.topic-title a",
        "post": "div.post",
        "post_body": "div.content",
        "post_author": "p.author a.username, p.author a.username-coloured",
        "post_date": "p.author time::attr(datetime)",
        "post_id": "::attr(id)",
        "thread_next_page": "div.action-bar li.arrow.next a::attr(href)",
    }
