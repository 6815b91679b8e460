"""The training report as JSON and Markdown: per task and language, P/R/F1, macro-F1, confusion matrix."""
from __future__ import annotations

import json
from pathlib import Path

TARGETS = {"topic": ("macro_f1", 0.85), "sentiment": ("accuracy", 0.80)}


def _table(report: dict) -> list[str]:
    lines = ["| class | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
    for name, row in report["per_class"].items():
        lines.append(f"| {name} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f} | {row['support']} |")
    return lines


def _confusion(report: dict) -> list[str]:
    labels = report["labels"]
    lines = ["| gold \\ predicted | " + " | ".join(labels) + " |", "|---|" + "---:|" * len(labels)]
    lines += [f"| {g} | " + " | ".join(str(report["confusion"][g][p]) for p in labels) + " |" for g in labels]
    return lines


def render_markdown(result: dict) -> str:
    """Return the Markdown report of one trained model."""
    lines = [f"# Superfan NLP model `{result['kind']}` — version {result['version']}", "",
             f"- trained: {result['trained_at']} in {result['seconds']:.1f} s",
             f"- training-data hash: `{result['data_hash']}`",
             f"- examples: {result['counts']['train']} training (corpus {result['counts']['corpus_train']}, "
             f"Banking77 {result['counts']['banking77']}, manager corrections {result['counts']['corrections']}), "
             f"{result['counts']['test']} held-out test (never trained on)",
             f"- urgency thresholds (tuned on a development slice of the training data): {result['urgency_thresholds']}",
             f"- speed on this machine: {result.get('docs_per_second', 0):,.0f} mentions/s (one process, nlp.pipe)"]
    lines += [f"- {note}" for note in result.get("notes", [])]
    lines += ["", "## Targets on the held-out split", "", "| target | all | de | en |", "|---|---:|---:|---:|"]
    for task, (metric, goal) in TARGETS.items():
        row = result["tasks"][task]
        lines.append(f"| {task} {metric} ≥ {goal} | " + " | ".join(
            f"{row[lang][metric]:.3f}" if lang in row else "–" for lang in ("all", "de", "en")) + " |")
    per_lang = result["tasks"]["urgency"]
    for metric, goal in (("recall", 0.95), ("precision", 0.6)):
        lines.append(f"| urgency critical {metric} ≥ {goal} | " + " | ".join(
            f"{per_lang[lang]['per_class']['critical'][metric]:.3f}" if lang in per_lang else "–"
            for lang in ("all", "de", "en")) + " |")
    for name, row in result.get("topic_with_rules", {}).items():
        lines.append(f"\nTopic with the settings' keyword rules ({name}): accuracy {row['accuracy']:.3f}, "
                     f"macro-F1 {row['macro_f1']:.3f} (the table above is the model alone).")
    if "germeval_sentiment" in result:
        g = result["germeval_sentiment"]
        lines += ["", f"GermEval 2017 dev (German, evaluation only, never trained on): sentiment accuracy "
                      f"{g['accuracy']:.3f}, macro-F1 {g['macro_f1']:.3f} over {g['n']} documents."]
    if "languages" in result:
        acc, n = result["languages"]["accuracy"], result["languages"]["n"]
        lines += ["", "## Language identification (py3langid, restricted; corpus + nlp/data/lang_eval.jsonl)", "",
                  "| language | n | accuracy |", "|---|---:|---:|"]
        lines += [f"| {lang} | {n[lang]} | {acc[lang]:.3f} |" for lang in acc]
        lines.append(f"\nConfusions: {result['languages']['confusions']}")
    for task, per_language in result["tasks"].items():
        for lang, report in per_language.items():
            lines += ["", f"## {task} — {lang} (n={report['n']}, accuracy {report['accuracy']:.3f}, "
                          f"macro-F1 {report['macro_f1']:.3f})", ""]
            lines += _table(report) + [""] + _confusion(report)
    return "\n".join(lines) + "\n"


def write_report(result: dict, directory: Path) -> None:
    """Write ``report.json`` and ``report.md`` into the model directory."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "report.json").write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    (directory / "report.md").write_text(render_markdown(result), encoding="utf-8")
