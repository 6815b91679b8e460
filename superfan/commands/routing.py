"""CLI commands of the routing area: ``simulate`` (one text or replayed history), ``escalate``, ``profile``."""
from __future__ import annotations

import json
from datetime import timedelta

import click
from sqlalchemy.exc import OperationalError, ProgrammingError

from community.domain.errors import SuperfanError
from community.domain.model import RawPost
from community.services.escalation import run_escalation
from community.services.profiles import set_profile
from community.services.routing import replay
from superfan.routing import sla_policy


@click.command()
@click.argument("text", required=False)
@click.option("--source", default="simulate", show_default=True, help="Source name the text pretends to come from.")
@click.option("--title", default="", help="Title of the pretended post.")
@click.option("--lang", default=None, help="Language hint (de, en, ...).")
@click.option("--author", default="", help="Author handle of the pretended post.")
@click.option("--author-reach", type=int, default=0, help="Followers/karma of the author.")
@click.option("--replay", "replay_days", type=click.IntRange(min=1), default=None,
              help="Instead of TEXT: re-route the last DAYS of stored threads and report what would move.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def simulate(app, text, source, title, lang, author, author_reach, replay_days, as_json) -> None:
    """Show how TEXT would be classified and routed, with the full explanation (nothing is stored)."""
    services = app.services
    if replay_days is not None:
        _replay(services, replay_days, as_json)
        return
    if not text:
        raise click.UsageError("give a TEXT to simulate, or --replay DAYS")
    post = RawPost(source=source, external_id="simulate", url="", title=title, text=text, author=author,
                   lang_hint=lang, extra={"author_reach": author_reach})
    analysis = services.classifier.analyse(post)
    try:
        with services.uow() as uow:
            decision = services.router.decide(post, analysis, uow, dry_run=True)
    except (OperationalError, ProgrammingError):  # no database yet: route without super-users
        decision = services.router.decide(post, analysis, None, dry_run=True)
    if as_json:
        click.echo(json.dumps({"analysis": analysis.as_dict(), "decision": decision.as_dict()}, ensure_ascii=False))
        return
    click.echo(f"classification: topic {analysis.topic} ({analysis.topic_confidence:.2f}, {analysis.topic_source}), "
               f"language {analysis.language}, urgency {analysis.urgency_level} ({analysis.urgency_score}), "
               f"sentiment {analysis.sentiment_label}")
    click.echo(f"decision: {decision.target} / {decision.queue}, priority {decision.priority}, "
               f"rule {decision.rule}, first response within {decision.sla_first_response_minutes} min")
    click.echo("why:")
    for line in decision.explanation:
        click.echo(f"  {line}")
    if decision.candidates:
        click.echo("candidates:")
        for c in decision.candidates:
            click.echo(f"  {'✓' if c['chosen'] else '✗'} {c['name']:<16} {c['reason']}")


def _replay(services, days: int, as_json: bool) -> None:
    since = services.clock.now() - timedelta(days=days)
    with services.uow() as uow:
        report = replay(uow, services.router.engine, since)
    if as_json:
        click.echo(json.dumps({"days": days, **report.as_dict()}))
        return
    click.echo(f"re-routed {report.total} threads of the last {days} days under the current rules: "
               f"{report.changed} would change target")
    for move, n in sorted(report.moves.items()):
        click.echo(f"  {move:<22} {n}")
    if report.by_rule:
        click.echo("by rule:")
        for rule, moves in sorted(report.by_rule.items()):
            click.echo(f"  {rule}: " + ", ".join(f"{m} {n}" for m, n in sorted(moves.items())))


@click.command()
@click.pass_obj
def escalate(app) -> None:
    """Run the SLA job once: expire quiet claims, re-offer, hand at-risk items to staff, record breaches."""
    services = app.services
    taken = run_escalation(services.uow, services.router, sla_policy(services.settings.sla), services.clock)
    click.echo(", ".join(f"{step} {n}" for step, n in sorted(taken.items())) or "nothing due")


def _levels(text: str) -> dict[str, int]:
    levels = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        topic, _, level = part.partition("=")
        if not level.strip().isdigit():
            raise click.BadParameter(f"expected topic=level (0-5), got {part!r}", param_hint="--expertise")
        levels[topic.strip()] = int(level)
    return levels


@click.command()
@click.argument("name")
@click.option("--expertise", default=None, help="Topics with levels 0-5, e.g. usage=4,comparison=2 (replaces).")
@click.option("--languages", default=None, help="Comma-separated languages, e.g. de,en.")
@click.option("--timezone", default=None, help="IANA time zone of the availability windows, e.g. Europe/Berlin.")
@click.option("--availability", multiple=True, help="A window like 'mon-fri 18:00-22:00' (repeat; 'none' clears).")
@click.option("--capacity", type=int, default=None, help="Open claims (plus open offers) the user takes at once.")
@click.option("--pause/--resume", "paused", default=None, help="Pause (no offers, no claims) or resume.")
@click.pass_obj
def profile(app, name, expertise, languages, timezone, availability, capacity, paused) -> None:
    """Show or change super-user NAME's matching profile."""
    services = app.services
    windows = None if not availability else [] if availability == ("none",) else list(availability)
    try:
        with services.uow() as uow:
            set_profile(uow, name, expertise=_levels(expertise) if expertise is not None else None,
                        languages=languages.split(",") if languages is not None else None, timezone=timezone,
                        availability=windows, capacity=capacity, active=None if paused is None else not paused)
            uow.commit()
            now = services.clock.now()
            found = next(p for p in uow.routing.profiles(now) if p.name == name)
            written = "; ".join(uow.users.by_name(name).availability) or "always"
    except SuperfanError as exc:
        raise click.ClickException(str(exc)) from exc
    levels = ", ".join(f"{t} {lvl}" for t, lvl in sorted(found.expertise.items())) or "none"
    click.echo(f"{name}: {'active' if found.active else 'paused'}, languages {', '.join(sorted(found.languages))}, "
               f"expertise {levels}, capacity {found.capacity} (load {found.load})")
    click.echo(f"  available {written} ({found.availability.timezone}); now: {'yes' if found.available(now) else 'no'}")


commands: list = [simulate, escalate, profile]
