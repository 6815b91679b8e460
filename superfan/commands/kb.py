"""CLI commands of the kb area: import an FAQ, search, rebuild the search index, list stale articles."""
from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from community.domain.errors import SuperfanError


@click.group()
def kb() -> None:
    """Knowledge base: import, search, reindex."""


@kb.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def kb_import(app, path: Path) -> None:
    """Import FAQ / help-centre articles from JSON lines at PATH (idempotent by ``id``)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    console = Console(stderr=True)
    columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    try:
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task("import", total=len(lines))
            summary = app.services.knowledge.import_lines(lines, on_line=lambda *_: progress.advance(task))
    except SuperfanError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"created: {summary.created}  updated: {summary.updated}  unchanged: {summary.unchanged}"
               f"  rejected: {len(summary.rejected)}")
    for number, reason in summary.rejected:
        click.echo(f"  line {number}: {reason}")


@kb.command("search")
@click.argument("text")
@click.option("--lang", type=click.Choice(["de", "en"]), help="Only articles in this language.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100), help="Most hits to show.")
@click.option("--topic", help="Only articles of this topic.")
@click.option("--source", type=click.Choice(["import", "thread"]), help="Only imported or thread-born articles.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only articles updated since this day.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array of hits (id, title, score, snippet).")
@click.pass_obj
def kb_search(app, text: str, lang: str | None, limit: int, topic: str | None, source: str | None, since,
              as_json: bool) -> None:
    """Search the knowledge base for TEXT ("phrases" and prefix* work)."""
    try:
        hits = app.services.knowledge.search(text, language=lang, limit=limit, topic=topic, source=source,
                                             since=since.replace(tzinfo=UTC) if since else None)
    except SuperfanError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps([{"id": h.public_id, "title": h.title, "score": h.score, "snippet": h.snippet,
                                "language": h.language, "topic": h.topic, "url": h.url} for h in hits],
                              ensure_ascii=False))
        return
    if not hits:
        click.echo("no articles found")
    for hit in hits:
        click.echo(f"{hit.score:8.3f}  [{hit.language}] {hit.public_id}  {hit.title}")
        click.echo(f"          {hit.passage}")


@kb.command("reindex")
@click.pass_obj
def kb_reindex(app) -> None:
    """Rebuild the search index from the database (searches keep working meanwhile)."""
    count = app.services.knowledge.reindex()
    click.echo(f"reindexed {count} articles ({app.settings.search.backend})")


@kb.command("stale")
@click.pass_obj
def kb_stale(app) -> None:
    """Re-check staleness and list the articles a manager should review."""
    for article in app.services.knowledge.flag_stale():
        click.echo(f"{article.id}  {article.title}: {'; '.join(article.stale_reasons)}")


def _archive(app):
    """Return the post archive on the configured backend (FTS5 file beside the KB index, or the cluster)."""
    from community.adapters.search.archive import ClusterPostArchive, Fts5PostArchive

    if app.settings.search.backend == "fts5":
        return Fts5PostArchive(app.settings.data_path / "archive.db")
    return ClusterPostArchive(app.services.knowledge.index)


@kb.command("archive")
@click.argument("query")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000), help="Most posts to show.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array of posts.")
@click.pass_obj
def kb_archive(app, query: str, limit: int, as_json: bool) -> None:
    """Search stored posts with a listening QUERY (same syntax as the brands' queries); new posts are indexed first."""
    archive = _archive(app)
    last = archive.last_post_id()
    with app.services.uow() as uow:
        fresh = [p for p in uow.posts.recent(limit=1_000_000) if p.id > last]
    archive.add(reversed(fresh))
    try:
        posts = archive.search(query, limit=limit)
    except SuperfanError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps([{"id": p.id, "source": p.source, "url": p.url, "title": p.title, "text": p.text}
                               for p in posts], ensure_ascii=False))
        return
    for post in posts:
        click.echo(f"#{post.id} [{post.source}] {post.title or '(no title)'}  {post.url}")
    click.echo(f"{len(posts)} posts match")


commands: list = [kb]
