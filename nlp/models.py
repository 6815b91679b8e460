"""Trained model directories: ``<models_path>/<kind>/`` holds the spaCy pipeline and its Superfan metadata."""
from __future__ import annotations

import json
from pathlib import Path

import spacy
from spacy.language import Language

import nlp.architectures  # noqa: F401  (the accurate model's architecture must be registered to load it)

# The format of a saved model (pipeline layout and metadata). Raise it when either changes: a model saved in
# another format counts as missing, so ``superfan train --if-missing`` (make demo, make test) rebuilds it; so does a
# model built from another version of the corpus (its metadata's ``corpus_hash``).
MODEL_VERSION = "1.1"  # 1.1: the accurate model reads tf-idf features (idf in the model)
META_FILE = "superfan-model.json"


def model_dir(models_path: Path, kind: str) -> Path:
    """Return the directory of one model kind."""
    return Path(models_path) / kind


def save_model(pipeline: Language, directory: Path, meta: dict) -> None:
    """Write the pipeline and its metadata (version, data hash, thresholds, report summary)."""
    directory.mkdir(parents=True, exist_ok=True)
    pipeline.meta["name"] = f"superfan_{meta.get('kind', 'model')}"
    pipeline.meta["version"] = MODEL_VERSION
    pipeline.to_disk(directory)
    (directory / META_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")


def load_model(directory: Path) -> tuple[Language, dict]:
    """Load a pipeline and its metadata; raises FileNotFoundError when the model was never trained."""
    meta_path = Path(directory) / META_FILE
    if not meta_path.is_file():
        raise FileNotFoundError(f"no trained model in {directory} (run `superfan train`)")
    return spacy.load(directory), json.loads(meta_path.read_text(encoding="utf-8"))


def model_exists(models_path: Path, kind: str, corpus: str | None = None) -> bool:
    """Tell whether a trained model of this kind is present in the current format (``MODEL_VERSION``) and, given a
    ``corpus`` hash (``nlp.corpus.corpus_hash``), was built from that version of the corpus."""
    meta_path = model_dir(models_path, kind) / META_FILE
    if not meta_path.is_file():
        return False
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        return meta.get("version") == MODEL_VERSION and (corpus is None or meta.get("corpus_hash") == corpus)
    except (ValueError, AttributeError):  # an unreadable or foreign metadata file: train again
        return False
