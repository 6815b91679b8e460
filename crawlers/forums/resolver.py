"""Scrapy's caching DNS resolver, refusing non-public answers: the address checked is the address connected to.

The middleware checks each request's URL first; this closes the gap between that check and the connection
(DNS rebinding): Twisted connects to exactly the address this resolver returned. IP literals are never
resolved and are refused by the middleware.
"""
from __future__ import annotations

from scrapy.resolver import CachingThreadedResolver

from crawlers.errors import BlockedAddress
from crawlers.netguard import is_public


class PublicOnlyResolver(CachingThreadedResolver):
    """Resolve host names for a crawl that may not reach private addresses."""

    def getHostByName(self, name: str, timeout=None):  # noqa: N802 - Twisted's interface
        """Resolve ``name`` and fail the lookup when the address is not public."""
        return super().getHostByName(name, timeout).addCallback(_public, name)


def _public(address: str, name: str) -> str:
    if not is_public(address):
        raise BlockedAddress(f"refusing {name}: it resolved to the non-public address {address} when connecting")
    return address
