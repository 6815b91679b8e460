"""CLI commands of the nlp area: train the models, classify texts from stdin, show the last report."""
from __future__ import annotations

import json
import sys

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from community.domain.model import RawPost


def _corrections(app) -> list:
    """Return managers' stored corrections as training examples (none when the database is not set up)."""
    from sqlalchemy.exc import SQLAlchemyError

    from community.adapters.sql.labeled_examples import SqlLabeledExamples
    from nlp.corpus import LabeledText

    try:
        rows = SqlLabeledExamples(app.services.session_factory).training_rows()
    except SQLAlchemyError as exc:
        click.echo(f"note: no corrections read from the database ({type(exc).__name__}); run `superfan init`", err=True)
        return []
    return [LabeledText(text=r["text"], lang=r["lang"], topic=r["topic"], urgency=r["urgency"],
                        sentiment=r["sentiment"], source="correction") for r in rows]


@click.command()
@click.option("--if-missing", is_flag=True, help="Train only a model that is missing, in an older format or built from "
              "another version of the corpus (for make demo / make test).")
@click.option("--kind", type=click.Choice(["fast", "accurate"]), multiple=True, help="Train only this model (repeatable).")
@click.option("--no-corrections", is_flag=True, help="Do not read managers' corrections from the database.")
@click.pass_obj
def train(app, if_missing: bool, kind: tuple[str, ...], no_corrections: bool) -> None:
    """Train the topic, urgency and sentiment models, evaluate on the held-out split and write reports."""
    from nlp.corpus import corpus_hash
    from nlp.models import model_exists
    from nlp.pipeline import KINDS
    from nlp.setup import topic_keywords
    from nlp.training import train_all

    settings = app.settings
    current = corpus_hash() if if_missing else None
    kinds = [k for k in (kind or KINDS) if not (if_missing and model_exists(settings.models_path, k, corpus=current))]
    if not kinds:
        click.echo(f"models present in {settings.models_path}; nothing to train")
        return
    corrections = [] if no_corrections else _corrections(app)
    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[status]}"), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        bars = {k: progress.add_task(f"{k:<9}", total=None, status="waiting") for k in kinds}

        def report(event: str, data: dict) -> None:
            bar = bars.get(data["kind"].split()[0])
            if bar is not None:
                progress.update(bar, status=f"{event} {data.get('epoch', '')} {data['kind']}".strip())

        results = train_all(settings.models_path, corrections=corrections, kinds=kinds, progress=report,
                            use_shared=settings.nlp.use_shared_data, topics=topic_keywords(settings))
        for k in kinds:
            progress.update(bars[k], total=1, completed=1, status="done")
    for k, result in results.items():
        tasks = result["tasks"]
        crit = tasks["urgency"]["all"]["per_class"]["critical"]
        click.echo(f"{k}: topic macro-F1 {tasks['topic']['all']['macro_f1']:.3f}, sentiment accuracy "
                   f"{tasks['sentiment']['all']['accuracy']:.3f}, critical recall {crit['recall']:.3f} precision "
                   f"{crit['precision']:.3f}, corrections used {result['counts']['corrections']}, "
                   f"{result['seconds']:.0f} s → {settings.models_path / k}/report.md")


def _posts(lines, json_lines: bool):
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        row = None
        if json_lines or line.lstrip().startswith("{"):
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                if json_lines:
                    raise click.ClickException(f"line {number}: not a JSON object") from None
            if row is not None and not isinstance(row, dict):
                raise click.ClickException(f"line {number}: expected a JSON object with a 'text' field")
        if row is None:
            row = {"text": line}
        extra = {k: row[k] for k in ("author_reach", "engagement") if k in row}
        yield RawPost(source="stdin", external_id=str(number), url="", title=str(row.get("title") or ""),
                      text=str(row.get("text") or ""), lang_hint=row.get("lang"), extra=extra)


@click.command()
@click.option("--json", "json_lines", is_flag=True, help="Input is JSON lines with 'text' (and optional title, lang, "
              "author_reach, engagement); without it each line is a text (JSON-object lines are still accepted).")
@click.option("--model", "kind", type=click.Choice(["fast", "accurate"]), help="Model to use (default: settings).")
@click.pass_obj
def classify(app, json_lines: bool, kind: str | None) -> None:
    """Classify texts from stdin; write one JSON object per input line to stdout."""
    from nlp.setup import load_classifier

    try:
        classifier = load_classifier(app.settings, kind)
    except FileNotFoundError as exc:
        raise click.ClickException(f"{exc}") from exc
    batch: list[RawPost] = []
    for post in _posts(sys.stdin, json_lines):
        batch.append(post)
        if len(batch) >= 256:
            _emit(classifier, batch)
            batch = []
    _emit(classifier, batch)


def _emit(classifier, posts: list[RawPost]) -> None:
    for analysis in classifier.analyse_many(posts):
        click.echo(json.dumps(analysis.as_dict(), ensure_ascii=False))


@click.command("nlp-report")
@click.option("--model", "kind", type=click.Choice(["fast", "accurate"]), default="accurate", show_default=True)
@click.pass_obj
def nlp_report(app, kind: str) -> None:
    """Print the Markdown evaluation report of a trained model."""
    path = app.settings.models_path / kind / "report.md"
    if not path.is_file():
        raise click.ClickException(f"no report at {path} (run `superfan train`)")
    click.echo(path.read_text(encoding="utf-8"))


commands: list = [train, classify, nlp_report]
