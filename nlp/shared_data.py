"""Labeled data from the shared data directory, used only as each SOURCE.md allows.

Banking77 (© PolyAI, CC BY 4.0; Casanueva et al. 2020, arXiv:2003.04807) adds English training examples for
the intents that map onto this taxonomy. GermEval 2017 (Wojatzki et al. 2017; treated as CC BY-NC) is read
for *evaluating* German sentiment only, never for training.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from nlp.corpus import LabeledText

BANKING77_ATTRIBUTION = "Banking77 © PolyAI, CC BY 4.0 (Casanueva et al. 2020, arXiv:2003.04807)"
GERMEVAL_ATTRIBUTION = ("GermEval 2017 dev split (Wojatzki et al. 2017, LT Group Universität Hamburg), "
                        "treated as CC BY-NC: evaluation only, never trained on")

# Banking intents that mean the same as one of our topics in an online shop's support.
BANKING77_TOPICS = {
    "transaction_charged_twice": "payment", "declined_card_payment": "payment",
    "card_payment_fee_charged": "payment", "pending_card_payment": "payment",
    "apple_pay_or_google_pay": "payment", "extra_charge_on_statement": "payment",
    "card_payment_not_recognised": "payment",
    "card_arrival": "shipping", "card_delivery_estimate": "shipping",
    "passcode_forgotten": "account", "edit_personal_details": "account", "verify_my_identity": "account",
    "unable_to_verify_identity": "account",
    "terminate_account": "cancellation",
}
PER_INTENT = 25


def shared_dir() -> Path | None:
    """Return the shared data directory (``SUPERFAN_SHARED_DIR`` or ``../shared`` next to the repo), if present."""
    configured = os.environ.get("SUPERFAN_SHARED_DIR")
    path = Path(configured) if configured else Path(__file__).resolve().parents[1].parent / "shared"
    return path if path.is_dir() else None


def _rows(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def banking77_examples(root: Path | None = None, per_intent: int = PER_INTENT) -> list[LabeledText]:
    """Return up to ``per_intent`` mapped Banking77 texts per intent (topic label only), in file order."""
    root = root or shared_dir()
    if root is None:
        return []
    taken: dict[str, int] = {}
    examples = []
    for row in _rows(root / "data" / "banking77" / "train.jsonl"):
        topic = BANKING77_TOPICS.get(row.get("intent", ""))
        if topic and taken.get(row["intent"], 0) < per_intent:
            taken[row["intent"]] = taken.get(row["intent"], 0) + 1
            examples.append(LabeledText(text=row["text"], lang="en", topic=topic, source="banking77"))
    return examples


def germeval_dev(root: Path | None = None) -> list[LabeledText]:
    """Return the GermEval 2017 dev documents with their document sentiment (for evaluation only)."""
    root = root or shared_dir()
    if root is None:
        return []
    return [LabeledText(text=row["text"], lang="de", sentiment=row["sentiment"], source="germeval2017")
            for row in _rows(root / "data" / "germeval2017" / "dev.jsonl") if row.get("text")]
