"""The offline demo: demo users, demo feeds served on loopback, one crawl of every source."""
from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from community.domain.model import Role, User
from community.services.accounts import add_user
from superfan.crawl import crawl_source

FEEDS_DIR = Path(__file__).parent / "demo_data"
DEMO_USERS = [
    # name, role, password, languages, expertise
    ("maria", Role.MANAGER, "demo-manager", ("de", "en"), {}),
    ("stefan", Role.STAFF, "demo-staff", ("de", "en"), {}),
    ("sofia", Role.SUPERUSER, "demo-superuser", ("de", "en"), {"usage": 3, "comparison": 2, "recommendation": 2}),
    ("ben", Role.SUPERUSER, "demo-superuser", ("en",), {"usage": 2, "praise": 1}),
    ("admin", Role.ADMIN, "demo-admin", ("de", "en"), {}),
]


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".xml": "application/rss+xml; charset=utf-8"}

    def log_message(self, *_args) -> None:
        pass


def serve_feeds(port: int) -> ThreadingHTTPServer:
    """Serve the demo feeds on 127.0.0.1:port in a background thread (any path prefix, e.g. /feeds/)."""
    handler = functools.partial(_QuietHandler, directory=str(FEEDS_DIR))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, name="demo-feeds", daemon=True).start()
    return server


def demo_feed_port(sources) -> int:
    """Return the loopback port the configured demo sources expect (5001 when none does)."""
    for source in sources:
        parts = urlsplit(source.url)
        if parts.hostname in ("127.0.0.1", "localhost") and parts.path.startswith("/feeds/"):
            return parts.port or 80
    return 5001


def ensure_demo_users(services, echo=print) -> None:
    """Create the demo users that do not exist yet."""
    with services.uow() as uow:
        for name, role, password, languages, expertise in DEMO_USERS:
            if uow.users.by_name(name) is None:
                add_user(uow, User(id=None, name=name, role=role, display_name=name.title(), languages=languages,
                                   expertise=expertise), password, services.hasher)
        uow.commit()
    echo("Demo logins (user / password):")
    for name, role, password, *_ in DEMO_USERS:
        echo(f"  {name:<7} / {password:<15} {role}")


def prepare_demo(services, echo=print) -> ThreadingHTTPServer:
    """Migrate, add demo users, serve the demo feeds and crawl every enabled source once."""
    services.migrate()
    ensure_demo_users(services, echo)
    server = serve_feeds(demo_feed_port(services.settings.sources))
    for source in services.settings.sources:
        if source.enabled:
            report = crawl_source(services, source)
            echo(f"crawled {source.name}: {report.new} new mentions, {report.threads_created} threads"
                 + (f" (problem: {'; '.join(report.errors)})" if report.errors else ""))
    return server
