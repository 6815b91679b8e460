"""Listening commands besides queries: fetch (try a source), sources (health), run (web + the one scheduler)."""
from __future__ import annotations

import json
import re
import threading
from datetime import UTC, datetime

import click

from superfan.connectors import KINDS


def _options_for(kind: str, url: str, search: str | None, pairs: tuple[str, ...]) -> tuple[str, dict]:
    """Work out the API base URL and connector options from a URL a person pasted."""
    options: dict = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise click.BadParameter(f"expected KEY=VALUE, got {pair!r}", param_hint="--option")
        options[key.strip()] = value
    if kind == "reddit" and (match := re.search(r"/r/([A-Za-z0-9_]+)", url)):
        options.setdefault("subreddit", match[1])
        url = ""
    if kind == "mastodon" and (match := re.search(r"^(https?://[^/]+)/tags/([^/?#]+)", url)):
        url, _ = match[1], options.setdefault("tag", match[2])
    if search and kind in ("hn", "mastodon", "bluesky", "reddit", "discourse") and "tag" not in options:
        options.setdefault("search", search)
    return url, options


def _json_line(post) -> str:
    return json.dumps({"source": post.source, "external_id": post.external_id, "url": post.url, "title": post.title,
                       "text": post.text, "author": post.author,
                       "published": post.published.isoformat() if post.published else None,
                       "thread_key": post.thread_key, "lang": post.lang_hint, "extra": post.extra},
                      ensure_ascii=False, default=str)


@click.command()
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("url")
@click.option("--query", "-q", help="Listening query the posts must match (also the search terms of API sources).")
@click.option("--allow-private", is_flag=True, help="Allow loopback/private addresses (refused by default).")
@click.option("--limit", type=click.IntRange(min=1), help="Print at most N posts.")
@click.option("--option", "-o", "pairs", multiple=True, metavar="KEY=VALUE",
              help="Connector option, e.g. -o tag=acme, -o post=div.post (repeatable).")
def fetch(kind: str, url: str, query: str | None, allow_private: bool, limit: int | None, pairs: tuple[str, ...]) -> None:
    """Fetch a source once and print its normalised posts as JSON lines, storing nothing."""
    from crawlers.base import CrawlError
    from crawlers.query import QuerySyntaxError, compile_matcher, parse
    from superfan.connectors import connectors
    from superfan.settings import SourceSettings

    matcher = None
    if query:
        try:
            matcher = compile_matcher(parse(query))
        except QuerySyntaxError as exc:
            raise click.UsageError(f"--query: error at position {exc.position}: {exc.message}") from exc
    base, options = _options_for(kind, url, query, pairs)
    source = SourceSettings(name=f"fetch-{kind}", kind=kind, url=base, query=query or "", allow_private=allow_private,
                            options={**options, **({"max_posts": limit} if limit and kind != "rss" else {})})
    try:
        result = connectors().get(kind).fetch(source, {})
    except CrawlError as exc:
        raise click.ClickException(str(exc)) from exc
    posts = [p for p in result.posts if matcher is None or matcher(p) is not None]
    for post in posts[:limit]:
        click.echo(_json_line(post))
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"{min(len(posts), limit or len(posts))} of {len(result.posts)} posts"
               + (" match the query" if matcher else ""), err=True)


def _ago(when: datetime | None, now: datetime) -> str:
    if when is None:
        return "never"
    minutes = int((now - when).total_seconds() // 60)
    return f"{minutes} min ago" if minutes < 120 else f"{minutes // 60} h ago" if minutes < 2880 else f"{minutes // 1440} d ago"


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
@click.pass_obj
def sources(app, as_json: bool) -> None:
    """Show each source's health: last run and success, posts seen/new, lag, last error, backoff."""
    from community.domain.source_health import lag

    now = app.services.clock.now()
    with app.services.uow() as uow:
        rows = uow.sources.health()
    for row in rows:
        behind = lag(row["last_success"], row.get("newest_post"), now)
        row["lag_minutes"] = round(behind.total_seconds() / 60) if behind else None
    if as_json:
        click.echo(json.dumps(rows, default=str))
        return
    for row in rows:
        state = "backing off until " + f"{row['backoff_until']:%H:%M}" if row["backoff_until"] and row["backoff_until"] > now else "ok"
        click.echo(f"{row['name']:<24} {row['kind']:<9} run {_ago(row['last_run'], now):<11} "
                   f"success {_ago(row['last_success'], now):<11} seen {row['posts_seen']:>4} new {row['posts_new']:>4} "
                   f"lag {row['lag_minutes'] if row['lag_minutes'] is not None else '-':>5} min  "
                   f"failures {row['consecutive_failures']}  {state}")
        if row["last_error"]:
            click.echo(f"    last error: {row['last_error']}")


@click.command()
@click.option("--no-web", is_flag=True, help="Run only the scheduler, no web server.")
@click.option("--host", help="Listen address (default: settings app.host).")
@click.option("--port", type=int, help="Port (default: settings app.port).")
@click.option("--memory-jobs", is_flag=True, help="Keep jobs in memory instead of the database job store.")
@click.pass_obj
def run(app, no_web: bool, host: str | None, port: int | None, memory_jobs: bool) -> None:
    """Run the web server and the one scheduler (crawls every enabled source on its interval) in one process."""
    from superfan.scheduler import start_scheduler, stop_scheduler

    services = app.services
    services.migrate()
    try:
        scheduler, lock = start_scheduler(services, persistent=False if memory_jobs else None)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from exc
    server = None
    for job in scheduler.get_jobs():
        when = job.next_run_time.astimezone(UTC) if job.next_run_time else None
        click.echo(f"job {job.id}: every {job.trigger.interval}, next {when:%Y-%m-%d %H:%M:%S} UTC" if when
                   else f"job {job.id}: paused")
    try:
        if not no_web:
            from werkzeug.serving import make_server

            from superfan.web_server import make_app

            host, port = host or app.settings.app.host, port or app.settings.app.port
            server = make_server(host, port, make_app(services), threaded=True)
            threading.Thread(target=server.serve_forever, name="web", daemon=True).start()
            click.echo(f"Superfan is running on http://{host}:{port}/ with the scheduler (Ctrl+C stops both)")
        else:
            click.echo("scheduler running without web server (Ctrl+C stops it)")
        threading.Event().wait()
    except KeyboardInterrupt:
        click.echo("stopping…")
    finally:
        if server is not None:
            server.shutdown()
        stop_scheduler(scheduler, lock)


commands = [fetch, sources, run]
