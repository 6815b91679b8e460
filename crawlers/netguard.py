"""Refuse URLs whose host resolves to a loopback, private, link-local or reserved address (SSRF guard).

Checked twice: ``check_url`` before each request (and redirect hop), and ``guard_session`` on the socket the
request actually connects to, so a DNS answer that changes in between (DNS rebinding) is refused too.
"""
from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

from requests import Session
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from crawlers.errors import BlockedAddress

Resolver = Callable[[str, int], list[str]]


def resolve(host: str, port: int) -> list[str]:
    """Return every IP address the host name resolves to (IP literals resolve to themselves, offline)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise BlockedAddress(f"cannot resolve host {host!r}: {exc.strerror or exc}") from exc
    return sorted({info[4][0] for info in infos})


def is_public(address: str) -> bool:
    """Tell whether an IP address is a globally routable unicast address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
                or ip.is_multicast or ip.is_unspecified) and ip.is_global


def check_url(url: str, *, allow_private: bool = False, resolver: Resolver = resolve) -> str:
    """Return the URL if it is http(s) and its host is public (or private targets are allowed); raise otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise BlockedAddress(f"only http and https URLs can be crawled, not {url!r}")
    if not parts.hostname:
        raise BlockedAddress(f"the URL {url!r} has no host")
    if allow_private:
        return url
    port = parts.port or (443 if parts.scheme == "https" else 80)
    for address in resolver(parts.hostname, port):
        if not is_public(address):
            raise BlockedAddress(
                f"refusing {url!r}: host {parts.hostname} resolves to the non-public address {address} "
                "(set allow_private = true for this source, or pass --allow-private, to crawl it)")
    return url


def _checked_connection(base: type, allowed: Callable[[str], bool]) -> type:
    """Return ``base`` (a urllib3 connection class) that refuses a socket connected to a non-public peer.

    ``check_url`` resolves the host before the request; the connection resolves it again. A DNS answer that
    changes in between (DNS rebinding) could send the request to an internal address: this re-checks the
    address the socket actually reached, before TLS or any byte of the request.
    """

    class Checked(base):
        def _new_conn(self):
            sock = super()._new_conn()
            address = sock.getpeername()[0]
            if not allowed(address):
                sock.close()
                raise BlockedAddress(f"refusing {self.host}: it resolved to the non-public address {address} "
                                     "when connecting (it was public when checked)")
            return sock

    Checked.__name__ = f"PublicOnly{base.__name__}"
    return Checked


@lru_cache(maxsize=16)  # classes built once per predicate, however many clients mount the adapter
def _pools(allowed: Callable[[str], bool]) -> dict[str, type]:
    return {"http": type("PublicOnlyHTTPPool", (HTTPConnectionPool,), {
                "ConnectionCls": _checked_connection(HTTPConnection, allowed)}),
            "https": type("PublicOnlyHTTPSPool", (HTTPSConnectionPool,), {
                "ConnectionCls": _checked_connection(HTTPSConnection, allowed)})}


class PublicOnlyAdapter(HTTPAdapter):
    """A requests transport adapter whose connections reach public addresses only (mount it on a session)."""

    def __init__(self, allowed: Callable[[str], bool] = is_public, **kwargs) -> None:
        self.allowed = allowed
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs) -> None:  # noqa: D102 - requests' own hook
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_pools(self.allowed))


def guard_session(session: Session, *, allow_private: bool, allowed: Callable[[str], bool] = is_public) -> Session:
    """Mount the connect-time address check on a session (unless private targets are allowed); return it.

    ``allowed`` decides which connected addresses pass (tests stand a local server in for a public host).
    """
    if not allow_private:
        adapter = PublicOnlyAdapter(allowed)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
    return session
