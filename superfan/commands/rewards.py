"""CLI of the super-user programme: badges recompute, points recompute, leaderboard, rewards, candidates."""
from __future__ import annotations

import json
from contextlib import contextmanager

import click

from community.domain.errors import SuperfanError
from community.services import discovery, leaderboards, redemptions
from community.services import rewards as programme_service


@contextmanager
def _errors():
    try:
        yield
    except SuperfanError as exc:
        raise click.ClickException(str(exc)) from exc


def _manager(uow, name: str):
    user = uow.users.by_name(name)
    if user is None:
        raise click.ClickException(f"no user named {name!r}")
    return user


@click.group()
def badges() -> None:
    """Badges of the super-user programme."""


@badges.command("recompute")
@click.pass_obj
def badges_recompute(app) -> None:
    """Re-evaluate every user's badges over the ledger with the current definitions (never awards twice)."""
    with app.services.uow() as uow:
        awarded = programme_service.recompute_badges(uow, app.settings.gamification.programme())
        uow.commit()
    for award in awarded:
        click.echo(f"user {award.user_id}: {award.badge} ({award.tier}) — {award.reason}")
    click.echo(f"{len(awarded)} new award(s)")


@click.group()
def points() -> None:
    """The points ledger."""


@points.command("recompute")
@click.pass_obj
def points_recompute(app) -> None:
    """Replay all activities under the current rules, append corrections, rebuild the leaderboard totals."""
    with app.services.uow() as uow:
        result = programme_service.recompute(uow, app.services.clock.now(), app.settings.gamification.programme())
        uow.commit()
    click.echo(f"{result['corrections']} correction(s) ({result['points_changed']:+d} points), "
               f"{result['totals']} leaderboard total(s), {result['awards']} new award(s)")


@click.command()
@click.option("--period", type=click.Choice(["week", "month", "all"]), default="week", show_default=True)
@click.option("--topic", default=None, help="Only points earned in this topic.")
@click.option("--lang", "language", default=None, help="Only points earned in this language.")
@click.option("--limit", default=20, show_default=True, help="How many places.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def leaderboard(app, period: str, topic: str | None, language: str | None, limit: int, as_json: bool) -> None:
    """Show the weekly, monthly or all-time leaderboard, overall or per topic or language."""
    if topic and language:
        raise click.UsageError("use --topic or --lang, not both")
    with app.services.uow() as uow:
        rows = leaderboards.leaderboard(uow, period, app.services.clock.now(), topic=topic, language=language,
                                        limit=limit)
    if as_json:
        click.echo(json.dumps(rows))
        return
    for row in rows:
        click.echo(f"{row['place']:>3}. {row['name']:<30} {row['points']:>7}")
    if not rows:
        click.echo("no points in this period yet")


@click.group()
def rewards() -> None:
    """The rewards catalogue and redemption requests."""


@rewards.command("sync")
@click.pass_obj
def rewards_sync(app) -> None:
    """Create the rewards of settings.toml that the database does not have yet."""
    with app.services.uow() as uow:
        added = redemptions.sync_catalogue(uow, app.settings.gamification.programme())
        uow.commit()
    click.echo(f"{len(added)} reward(s) added" + (": " + ", ".join(added) if added else ""))


@rewards.command("list")
@click.pass_obj
def rewards_list(app) -> None:
    """Show the rewards on offer with price and stock."""
    with app.services.uow() as uow:
        for r in redemptions.catalogue(uow):
            click.echo(f"{r.id:>4}  {r.price:>6} pts  stock {r.stock:>4}  {r.kind:<16} {r.name}")


@rewards.command("requests")
@click.option("--status", default="requested", show_default=True, help="requested, approved, rejected, cancelled.")
@click.pass_obj
def rewards_requests(app, status: str) -> None:
    """Show redemption requests."""
    with app.services.uow() as uow:
        for r in uow.catalogue.redemptions(status=status):
            click.echo(f"{r.id:>4}  user {r.user_id:<5} reward {r.reward_id:<4} {r.status:<10} {r.requested_at:%Y-%m-%d}")


@rewards.command("decide")
@click.argument("redemption_id", type=int)
@click.argument("decision", type=click.Choice(["approve", "reject"]))
@click.option("--as", "manager", required=True, help="Name of the deciding manager.")
@click.option("--note", default="", help="Why (shown to the requester).")
@click.pass_obj
def rewards_decide(app, redemption_id: int, decision: str, manager: str, note: str) -> None:
    """Approve (spends the points) or reject a redemption request."""
    now = app.services.clock.now()
    with app.services.uow() as uow, _errors():
        user = _manager(uow, manager)
        if decision == "approve":
            done = redemptions.approve(uow, user, redemption_id, now)
        else:
            done = redemptions.decline(uow, user, redemption_id, now, note)
        uow.commit()
    click.echo(f"request {done.id}: {done.status}")


@click.command()
@click.option("--as", "manager", required=True, help="Name of the manager asking.")
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def candidates(app, manager: str, limit: int, as_json: bool) -> None:
    """List external authors who might become super-users, with the evidence."""
    with app.services.uow() as uow, _errors():
        found = discovery.candidate_list(uow, _manager(uow, manager), app.settings.gamification.programme(),
                                         app.services.clock.now(), limit=limit)
    if as_json:
        click.echo(json.dumps([{"source": c.source, "author": c.author, "score": c.score, "parts": dict(c.parts),
                                "posts": c.posts, "replies": c.replies, "topics": list(c.topics),
                                "evidence": list(c.evidence), "status": c.status} for c in found]))
        return
    for c in found:
        click.echo(f"{c.score:>7.2f}  {c.source}/{c.author}  posts {c.posts} replies {c.replies}  {c.status}")
        for url in c.evidence:
            click.echo(f"           {url}")


commands: list = [badges, points, leaderboard, rewards, candidates]
