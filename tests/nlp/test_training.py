"""Training end to end on a tiny corpus: held-out texts never trained on, report with corrections counted."""
from __future__ import annotations

import json
import shutil

from nlp.corpus import TOPICS, LabeledText, corpus_hash, data_hash, is_held_out, load_corpus, split
from nlp.models import META_FILE, model_exists
from nlp.training import ensure_models, train_all, without_held_out
from tests.nlp.conftest import small_training_set


def write_corpus(root, examples) -> None:
    for lang in ("de", "en"):
        (root / lang).mkdir(parents=True, exist_ok=True)
        rows = [e for e in examples if e.lang == lang]
        with (root / lang / "mixed.jsonl").open("w", encoding="utf-8") as handle:
            for e in rows:
                handle.write(json.dumps({"text": e.text, "lang": e.lang, "topic": e.topic, "urgency": e.urgency,
                                         "sentiment": e.sentiment}, ensure_ascii=False) + "\n")


def test_the_split_is_deterministic_and_about_a_fifth():
    corpus = load_corpus()
    train, test = split(corpus)
    assert 0.15 < len(test) / len(corpus) < 0.25
    assert all(is_held_out(e.text) for e in test) and not any(is_held_out(e.text) for e in train)
    assert split(list(reversed(corpus)))[1] == list(reversed(test))


def test_held_out_texts_never_reach_training_even_as_corrections():
    _, test = split(load_corpus())
    sneaky = LabeledText(text=test[0].text.upper() + "  ", lang="de", topic="other", source="correction")
    assert without_held_out([sneaky], test) == []


def test_the_data_hash_changes_with_any_label():
    a = [LabeledText(text="x", lang="de", topic="payment")]
    assert data_hash(a) != data_hash([LabeledText(text="x", lang="de", topic="shipping")])


def test_train_all_writes_models_and_reports_counting_corrections(tmp_path):
    corpus = tmp_path / "corpus"
    examples = small_training_set(per_topic=8)
    held_out = [e for e in load_corpus() if is_held_out(e.text)]
    held_out = [e for e in held_out if e.lang == "de"][:20] + [e for e in held_out if e.lang == "en"][:20]
    write_corpus(corpus, examples + held_out)
    corrections = [LabeledText(text="Lieferung kam nie an, Paket verschollen", lang="de", topic="shipping",
                               urgency="high", source="correction")]
    events = []
    results = train_all(tmp_path / "models", corrections=corrections, kinds=["fast"], use_shared=False,
                        corpus_dir=corpus, epochs=1, progress=lambda event, data: events.append(event))
    result = results["fast"]
    assert result["counts"]["corrections"] == 1
    assert result["counts"]["test"] >= len(held_out)
    assert set(result["tasks"]["topic"]) >= {"all", "de", "en"}
    assert list(result["tasks"]["topic"]["all"]["confusion"]) == list(TOPICS)
    report = (tmp_path / "models" / "fast" / "report.md").read_text(encoding="utf-8")
    assert "manager corrections 1" in report and result["data_hash"] in report
    saved = json.loads((tmp_path / "models" / "fast" / "report.json").read_text(encoding="utf-8"))
    assert saved["version"] and saved["languages"]["accuracy"]["all"] > 0.8
    assert {"start", "epoch", "evaluate", "done"} <= set(events)
    assert model_exists(tmp_path / "models", "fast")


def test_ensure_models_trains_only_what_is_missing(tmp_path, small_models):
    assert ensure_models(small_models) is False


def test_a_model_saved_in_another_format_counts_as_missing(tmp_path, small_models):
    for kind in ("fast", "accurate"):
        shutil.copytree(small_models / kind, tmp_path / kind)
    meta_path = tmp_path / "accurate" / META_FILE
    meta_path.write_text(json.dumps(dict(json.loads(meta_path.read_text(encoding="utf-8")), version="0.9")),
                         encoding="utf-8")
    (tmp_path / "fast" / META_FILE).write_text("not json", encoding="utf-8")
    assert model_exists(small_models, "accurate")
    assert not model_exists(tmp_path, "accurate") and not model_exists(tmp_path, "fast")


def test_a_model_built_from_another_corpus_version_is_out_of_date(tmp_path, small_models):
    shutil.copytree(small_models / "accurate", tmp_path / "accurate")
    meta_path = tmp_path / "accurate" / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert model_exists(tmp_path, "accurate", corpus=corpus_hash())
    meta_path.write_text(json.dumps(dict(meta, corpus_hash="a corpus before new examples")), encoding="utf-8")
    assert not model_exists(tmp_path, "accurate", corpus=corpus_hash())  # make demo / make test rebuild it
    assert model_exists(tmp_path, "accurate")  # still loadable and usable as it is
