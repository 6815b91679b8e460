"""The offline demo: demo people, a starter KB, the rewards catalogue, demo sources served on loopback, a crawl
of every source and a little history played through the real services. Running it again adds nothing."""
from __future__ import annotations

import functools
import threading
import tomllib
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from community.domain.model import Role, User
from community.services import leaderboards, redemptions
from community.services.accounts import add_user
from community.services.profiles import set_profile
from community.services.status import platform_status
from superfan.crawl import crawl_source
from superfan.demo_history import play_history

DATA_DIR = Path(__file__).parent / "demo_data"
FEEDS_DIR = DATA_DIR  # served as is: /feeds/*.xml, /discourse/..., /hn/..., /mastodon/...
KB_FILE = DATA_DIR / "kb_faq.jsonl"
LOOPBACK = ("127.0.0.1", "localhost")
DEFAULT_PORT = 5001


def demo_people() -> list[dict]:
    """Return the demo accounts of ``demo_data/people.toml`` (name, role, password, profile)."""
    return tomllib.loads((DATA_DIR / "people.toml").read_text(encoding="utf-8"))["people"]


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serve the demo data; an API path without a suffix answers with the ``.json`` file of that name."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".xml": "application/rss+xml; charset=utf-8",
                      ".json": "application/json; charset=utf-8"}

    def translate_path(self, path: str) -> str:
        local = super().translate_path(path)
        if not Path(local).suffix and Path(local + ".json").is_file():
            return local + ".json"
        return local

    def log_message(self, *_args) -> None:
        pass


class _DemoServer(ThreadingHTTPServer):
    """The demo sources' server; ``shutdown`` also closes its socket."""

    def shutdown(self) -> None:
        super().shutdown()
        self.server_close()


def serve_feeds(port: int) -> ThreadingHTTPServer:
    """Serve the demo sources on 127.0.0.1:port in a background thread."""
    handler = functools.partial(_QuietHandler, directory=str(FEEDS_DIR))
    server = _DemoServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, name="demo-feeds", daemon=True).start()
    return server


def demo_feed_port(sources) -> int:
    """Return the loopback port the configured demo sources expect (5001 when none is on loopback)."""
    for source in sources:
        parts = urlsplit(source.url)
        if parts.hostname in LOOPBACK:
            return parts.port or 80
    return DEFAULT_PORT


def ensure_demo_users(services, echo=print) -> None:
    """Create the demo people that do not exist yet and give the super-users their matching profiles."""
    people = demo_people()
    with services.uow() as uow:
        for p in people:
            if uow.users.by_name(p["name"]) is None:
                add_user(uow, User(id=None, name=p["name"], role=Role(p["role"]), display_name=p["display_name"],
                                   languages=tuple(p.get("languages", ("de", "en")))), p["password"], services.hasher)
            if p["role"] == Role.SUPERUSER:
                set_profile(uow, p["name"], expertise=p["expertise"], languages=p["languages"],
                            timezone=p["timezone"], availability=p["availability"], capacity=p["capacity"])
        uow.commit()
    echo("Demo logins (user / password):")
    for p in people:
        hours = f"  {', '.join(p['availability'])} ({p['timezone']})" if p.get("availability") else ""
        echo(f"  {p['name']:<7} / {p['password']:<15} {p['role']:<10}{hours}")


def import_demo_kb(services, echo=print) -> None:
    """Import the starter knowledge base (idempotent by article id)."""
    summary = services.knowledge.import_lines(KB_FILE.read_text(encoding="utf-8").splitlines())
    echo(f"knowledge base: {summary.created} articles created, {summary.unchanged} unchanged"
         + (f", {len(summary.rejected)} rejected" if summary.rejected else ""))


def sync_demo_rewards(services, echo=print) -> None:
    """Create the rewards catalogue of settings.toml in the database (``superfan rewards sync``)."""
    with services.uow() as uow:
        added = redemptions.sync_catalogue(uow, services.settings.gamification.programme())
        total = len(redemptions.catalogue(uow))
        uow.commit()
    echo(f"rewards catalogue: {total} rewards ({len(added)} added)")


def crawl_demo_sources(services, echo=print) -> None:
    """Crawl every enabled source once and print one line per source."""
    for source in services.settings.sources:
        if not source.enabled:
            continue
        report = crawl_source(services, source)
        echo(f"  {source.name:<20} {source.kind:<9} {report.seen:>3} posts, {report.new:>3} new mentions, "
             f"{report.threads_created:>3} new threads"
             + (f"  (problem: {'; '.join(report.errors)})" if report.errors else ""))


def print_overview(services, echo=print) -> None:
    """Print what the demo holds now: threads by target and state, KB size, the week's leaderboard."""
    now = services.clock.now()
    with services.uow() as uow:
        status = platform_status(uow)
        board = leaderboards.leaderboard(uow, "week", now, limit=3)
        targets = {}
        for thread in uow.threads.list():
            targets[str(thread.target)] = targets.get(str(thread.target), 0) + 1
    echo(f"mentions: {status['mentions']}  threads: " + ", ".join(f"{t} {n}" for t, n in sorted(targets.items()))
         + "  states: " + ", ".join(f"{s} {n}" for s, n in sorted(status["threads"]["by_state"].items())))
    echo(f"knowledge base: {services.knowledge.index.count()} searchable articles;  leaderboard (week): "
         + (", ".join(f"{r['name']} {r['points']}" for r in board) or "empty"))
    app = services.settings.app
    echo(f"Open http://{app.host}:{app.port}/ and log in with one of the demo logins above.")


def prepare_demo(services, echo=print) -> ThreadingHTTPServer:
    """Migrate, add demo people, KB and rewards, serve the demo sources, crawl them and play the demo history."""
    services.migrate()
    ensure_demo_users(services, echo)
    import_demo_kb(services, echo)
    sync_demo_rewards(services, echo)
    server = serve_feeds(demo_feed_port(services.settings.sources))
    echo("demo sources (served on loopback):")
    crawl_demo_sources(services, echo)
    play_history(services, DATA_DIR / "history.toml", echo)
    print_overview(services, echo)
    return server
