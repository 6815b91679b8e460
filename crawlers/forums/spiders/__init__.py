"""Forum spiders: one base per platform (``bases.py``) and small site spiders on top."""
from __future__ import annotations

from crawlers.forums.spiders.bases import DiscourseSpider, ForumSpider
from crawlers.forums.spiders.phpbb import PhpBBSpider

SPIDERS = {spider.name: spider for spider in (ForumSpider, DiscourseSpider, PhpBBSpider)}
