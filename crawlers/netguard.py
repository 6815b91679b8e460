"""Refuse URLs whose host resolves to a loopback, private, link-local or reserved address (SSRF guard)."""
from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

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
