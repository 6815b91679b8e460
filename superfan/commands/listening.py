"""CLI commands of the listening area."""
from __future__ import annotations

import json
from datetime import timedelta

import click

from crawlers.query import QuerySyntaxError, compile_fts5, compile_matcher, highlight, parse, render
from crawlers.query.highlight import snippet
from superfan.commands.crawling import commands as crawling_commands  # fetch, sources, run: kept apart

commands: list = []


@click.group("query")
def query() -> None:
    """Check listening queries and try them on stored posts.

    \b
    Syntax (case, accents and umlaut spellings do not matter: Kündigung = kuendigung = kundigung):
      Netz Ausfall            both words (implicit AND)      "kein Empfang"    exact phrase
      Netz OR LTE             either                         -Sauerstoff       without (also NOT)
      kündig*   k?ndigung     any ending / one letter        ( … )             grouping
      Netz NEAR/3 weg         at most 3 words apart          NEAR/3f, ONEAR/3  … in this order
      "Netz weg"~3            the words within 3 words       <<< note >>>      comment
      title:  site:reddit.com  url:  author:  lang:de  source:  subreddit:     field filters
    """


def _parse_or_exit(text: str):
    """Parse a query, or print the error with its position and exit with status 2."""
    try:
        return parse(text)
    except QuerySyntaxError as exc:
        click.echo(f"error at position {exc.position}: {exc.message}", err=True)
        click.echo(exc.caret(), err=True)
        raise click.exceptions.Exit(2) from exc


@query.command("check")
@click.argument("text")
def check(text: str) -> None:
    """Validate the query TEXT and print its normalised form (exit status 2 when malformed)."""
    tree = _parse_or_exit(text)
    click.echo(f"ok: {render(tree)}")
    fts = compile_fts5(tree)
    note = "" if fts.exact else " (superset; hits are re-checked in memory)"
    click.echo(f"fts5: {fts.match or '(no full-text condition)'}{note}")


@query.command("test")
@click.argument("text")
@click.option("--since", type=click.FloatRange(min=0), help="Only posts fetched in the last DAYS days.",
              metavar="DAYS")
@click.option("--limit", default=1000, show_default=True, type=click.IntRange(min=1),
              help="Check at most this many of the newest posts.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def try_query(app, text: str, since: float | None, limit: int, as_json: bool) -> None:
    """Dry-run the query TEXT over stored posts: which match, and why (matched words marked [[like this]])."""
    tree = _parse_or_exit(text)
    matcher = compile_matcher(tree)
    start = app.services.clock.now() - timedelta(days=since) if since is not None else None
    with app.services.uow() as uow:
        posts = uow.posts.recent(since=start, limit=limit)
    hits = [(post, result) for post in posts if (result := matcher(post)) is not None]
    if as_json:
        click.echo(json.dumps({"query": render(tree), "checked": len(posts), "matched": [
            {"id": post.id, "source": post.source, "url": post.url, "title": post.title, **result.as_dict(),
             "title_marked": highlight(post.title, result, field="title"),
             "text_marked": highlight(post.text, result)} for post, result in hits]}, ensure_ascii=False))
        return
    for post, result in hits:
        title = highlight(post.title, result, field="title") or "(no title)"
        click.echo(f"#{post.id} [{post.source}] {title}  {post.url}")
        click.echo(f"    {snippet(post.text, result)}")
        click.echo(f"    matched: {', '.join(result.terms)}")
    click.echo(f"{len(hits)} of {len(posts)} posts match {render(tree)}")


commands.append(query)
commands.extend(crawling_commands)
