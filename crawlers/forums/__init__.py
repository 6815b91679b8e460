"""Forum crawling with Scrapy, in the Scrapy project shape: items, settings, middlewares, pipelines, spiders.

Each crawl runs in its own process (``runner.run_spider``) because the Twisted reactor cannot restart;
``connector.ForumConnector`` adapts it to the Connector protocol for the ``forum`` and ``discourse`` kinds.
"""
