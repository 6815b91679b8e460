"""The project's labeled corpus: loading, the deterministic held-out split and the training-data hash."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from community.domain.model import normalise_text

CORPUS_DIR = Path(__file__).resolve().parent / "data" / "corpus"
TOPICS = ("payment", "shipping", "returns", "account", "cancellation", "technical", "defect", "usage",
          "comparison", "recommendation", "praise", "complaint", "other")
URGENCY_LEVELS = ("low", "normal", "high", "critical")
SENTIMENTS = ("negative", "neutral", "positive")
TEST_SHARE = 0.2


@dataclass(frozen=True, slots=True)
class LabeledText:
    """One labeled example; ``None`` means the label is unknown (the example trains the other tasks only)."""

    text: str
    lang: str
    topic: str | None = None
    urgency: str | None = None
    sentiment: str | None = None
    source: str = "corpus"


def is_held_out(text: str) -> bool:
    """Tell whether a text belongs to the 20 % test split (a hash of its normalised text decides, for ever)."""
    digest = hashlib.sha256(normalise_text(text).encode()).digest()
    return int.from_bytes(digest[:8], "big") % 1000 < TEST_SHARE * 1000


def _label(value: str | None, allowed: tuple[str, ...]) -> str | None:
    return value if value in allowed else None


def load_corpus(corpus_dir: Path = CORPUS_DIR) -> list[LabeledText]:
    """Read every ``<lang>/<topic>.jsonl`` file of the corpus, skipping malformed lines and duplicates."""
    examples, seen = [], set()
    for path in sorted(corpus_dir.glob("*/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            text = str(row.get("text") or "").strip() if isinstance(row, dict) else ""
            key = normalise_text(text)
            if not text or key in seen:
                continue
            seen.add(key)
            examples.append(LabeledText(
                text=text, lang=str(row.get("lang") or path.parent.name),
                topic=_label(row.get("topic"), TOPICS), urgency=_label(row.get("urgency"), URGENCY_LEVELS),
                sentiment=_label(row.get("sentiment"), SENTIMENTS)))
    return examples


def split(examples: Iterable[LabeledText]) -> tuple[list[LabeledText], list[LabeledText]]:
    """Split into (train, test) by ``is_held_out``."""
    train, test = [], []
    for example in examples:
        (test if is_held_out(example.text) else train).append(example)
    return train, test


def corpus_hash(corpus_dir: Path = CORPUS_DIR) -> str:
    """Return the ``data_hash`` of the whole corpus (training and held-out texts): which corpus a model was built from."""
    return data_hash(load_corpus(corpus_dir))


def data_hash(examples: Iterable[LabeledText]) -> str:
    """Return a SHA-256 over the training examples and their labels (order-independent)."""
    lines = sorted(json.dumps([e.text, e.lang, e.topic, e.urgency, e.sentiment, e.source], ensure_ascii=False)
                   for e in examples)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()
