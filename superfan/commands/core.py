"""Core commands: init, status, user add, crawl, serve, demo."""
from __future__ import annotations

import json

import click

from community.domain.errors import SuperfanError
from community.domain.model import Role, User
from community.services.accounts import add_user
from community.services.status import platform_status


@click.command()
@click.pass_obj
def init(app) -> None:
    """Create or upgrade the database schema."""
    app.services.migrate()
    click.echo(f"database ready: {app.services.engine.url.render_as_string(hide_password=True)}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def status(app, as_json: bool) -> None:
    """Show counts of sources, mentions, threads by state and users by role."""
    with app.services.uow() as uow:
        data = platform_status(uow)
    if as_json:
        click.echo(json.dumps(data))
        return
    click.echo(f"sources: {data['sources']}  mentions: {data['mentions']} ({data['waiting_for_analysis']} waiting "
               f"for the analysis pass)  threads: {data['threads']['total']}")
    for state, n in data["threads"]["by_state"].items():
        click.echo(f"  {state:<10} {n}")
    click.echo("users: " + ", ".join(f"{r} {n}" for r, n in data["users"].items()))


@click.group()
def user() -> None:
    """Manage platform users."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True, help="What the user may do.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True, help="At least 8 characters.")
@click.option("--languages", default="de,en", show_default=True, help="Comma-separated languages the user answers in.")
@click.option("--expertise", default="", help="Comma-separated topics of expertise (super-users).")
@click.option("--capacity", default=3, show_default=True, help="Open claims the user can hold at once.")
@click.pass_obj
def user_add(app, name: str, role: str, password: str, languages: str, expertise: str, capacity: int) -> None:
    """Add a user NAME with a role (admin, manager, staff, superuser)."""
    new = User(id=None, name=name, role=Role(role), languages=tuple(filter(None, languages.split(","))),
               expertise={t: 1 for t in filter(None, expertise.split(","))}, capacity=capacity)
    try:
        with app.services.uow() as uow:
            add_user(uow, new, password, app.services.hasher)
            uow.commit()
    except SuperfanError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"added {role} {name}")


@click.command()
@click.argument("source", required=False)
@click.pass_obj
def crawl(app, source: str | None) -> None:
    """Crawl SOURCE now (all enabled sources when omitted) and store new mentions."""
    from superfan.crawl import crawl_source
    from superfan.progress import crawl_progress

    sources = [s for s in app.settings.sources if (s.name == source if source else s.enabled)]
    if source and not sources:
        names = ", ".join(s.name for s in app.settings.sources) or "none configured"
        raise click.ClickException(f"no source named {source!r} (known: {names})")
    failed = 0
    for src in sources:
        with crawl_progress(src.name) as progress:
            report = crawl_source(app.services, src, progress=progress)
        line = f"{src.name}: seen {report.seen}, new {report.new}, duplicates {report.duplicates}, " \
               f"threads {report.threads_created}"
        if report.errors:
            failed += 1
            line += f" — problem: {'; '.join(report.errors)}"
        click.echo(line)
    if failed and source:
        raise SystemExit(1)


@click.command()
@click.option("--host", help="Listen address (default: settings app.host).")
@click.option("--port", type=int, help="Port (default: settings app.port).")
@click.pass_obj
def serve(app, host: str | None, port: int | None) -> None:
    """Serve the web app (use a WSGI server such as gunicorn with superfan.wsgi:app in production)."""
    from superfan.web_server import serve_forever

    serve_forever(app.services, host or app.settings.app.host, port or app.settings.app.port)


@click.command()
@click.option("--host", help="Listen address (default: settings app.host).")
@click.option("--port", type=int, help="Port (default: settings app.port).")
@click.option("--no-serve", is_flag=True, help="Prepare the demo data and exit.")
@click.pass_obj
def demo(app, host: str | None, port: int | None, no_serve: bool) -> None:
    """Prepare the database, demo users and demo sources (served locally), crawl them, and serve the app."""
    from superfan.demo import prepare_demo

    feed_server = prepare_demo(app.services, echo=click.echo)
    try:
        if not no_serve:
            from superfan.web_server import serve_forever

            serve_forever(app.services, host or app.settings.app.host, port or app.settings.app.port)
    finally:
        feed_server.shutdown()


commands = [init, status, user, crawl, serve, demo]
