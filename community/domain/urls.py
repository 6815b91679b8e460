"""Canonical URLs: one spelling per page, so the same post reached by different links is recognised."""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref_src",
                             "_hsenc", "_hsmi", "yclid", "twclid", "si"})
DEFAULT_PORTS = {"http": 80, "https": 443}
# The shape nearly every link has: lower-case http(s), a plain lower-case ASCII host (no port, user, trailing dot),
# a printable ASCII path, and a query of characters that percent-encoding leaves alone. For it the general path's
# split, decode and re-encode give back the same text, so it is assembled directly.
_SIMPLE = re.compile(r"(https?)://([a-z0-9-]+(?:\.[a-z0-9-]+)*)(/[!\"$->@-~]*)?(?:\?([\w.~=&-]*))?(?:#.*)?",
                     re.ASCII | re.DOTALL)


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name.startswith("utm_") or name in TRACKING_PARAMS


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop default ports, fragments and tracking parameters (utm_*, fbclid, …)."""
    url = (url or "").strip()
    if not url:
        return ""
    simple = _SIMPLE.fullmatch(url)
    if simple is None:
        return _canonical(url)
    scheme, host, path, query = simple.groups()
    query = _simple_query(query) if query else ""
    return f"{scheme}://{host}{path or '/'}?{query}" if query else f"{scheme}://{host}{path or '/'}"


def _simple_query(query: str) -> str:
    """Drop tracking fields from a query of safe characters, as parse_qsl + urlencode would spell the rest."""
    kept = []
    for name_value in query.split("&"):
        if name_value:  # empty fields ("a=1&&b=2") are dropped
            name, _, value = name_value.partition("=")  # "a" reads as "a="
            if not _is_tracking(name):
                kept.append(f"{name}={value.replace('=', '%3D')}")  # "a=b=c": the value is "b=c", encoded
    return "&".join(kept)


def _canonical(url: str) -> str:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    if not parts.scheme or not parts.hostname:
        return url
    scheme = parts.scheme.lower()
    host = parts.hostname.rstrip(".").lower()
    if not host.isascii():  # an ASCII host is its own IDNA form
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            pass
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)] \
        if parts.query else []
    # strip again: dropping a fragment can leave white space at the end ("/ #x" → "/ ")
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query, doseq=True) if query else "", "")).strip()
