"""Urgency signals in German and English, the score and the tuned level thresholds."""
from __future__ import annotations

import pytest

from nlp.signals import context_signals, text_signals
from nlp.text import fold
from nlp.urgency import tune_thresholds, urgency_level, urgency_score


def signals(text: str) -> list[str]:
    return text_signals(fold(text), text)


@pytest.mark.parametrize(("text", "signal"), [
    ("Seit heute Morgen kompletter Ausfall der App", "outage"),
    ("Störung bei der Synchronisation?", "outage"),
    ("the app is down for everyone", "outage"),
    ("Der Akku ist aufgebläht und die Uhr überhitzt", "safety"),
    ("Ladekabel brennt, es riecht nach Rauch", "safety"),
    ("battery is swollen and there was smoke", "safety"),
    ("Ich schalte meinen Anwalt ein", "legal"),
    ("Das geht an die Verbraucherzentrale, reiner Betrug", "legal"),
    ("this is a scam, I'm filing a chargeback", "legal"),
    ("Ich werde mein Abo kündigen", "churn"),
    ("I'm going to cancel everything", "churn"),
    ("Ich schreibe euch jetzt zum dritten Mal", "repeated_contact"),
    ("seit Tagen keine Antwort", "repeated_contact"),
    ("still no answer from support", "repeated_contact"),
])
def test_vocabulary_signals_fire(text, signal):
    assert signal in signals(text)


@pytest.mark.parametrize("text", ["Brandneue Uhr, super Akku", "Wie ändere ich mein Ziffernblatt?",
                                  "Which watch is better for swimming?", "Danke für die schnelle Lieferung"])
def test_calm_questions_fire_no_vocabulary_signal(text):
    assert not set(signals(text)) - {"shouting"}


def test_shouting_is_a_signal():
    assert "shouting" in signals("WO BLEIBT MEIN PAKET?? ICH WARTE SEIT EWIG")


def test_reach_and_engagement_come_from_the_post_extras():
    assert context_signals({"author_reach": 50_000, "engagement": 120}, 10_000, 50) == ["author_reach", "engagement"]
    assert context_signals({"author_reach": "n/a"}, 10_000, 50) == []
    assert context_signals({}, 10_000, 50) == []


CALM = {"low": 0.2, "normal": 0.7, "high": 0.1, "critical": 0.0}


def test_strong_signals_make_a_post_critical_once_the_model_sees_some_urgency():
    assert urgency_level(CALM, []) == "normal"
    assert urgency_level(CALM, ["safety"]) == "critical"
    assert urgency_level({"low": 1.0}, ["legal"]) == "high"
    assert urgency_level(CALM, ["author_reach"]) == "high"
    assert urgency_level({"critical": 0.9, "high": 0.1}, []) == "critical"


def test_scores_sort_by_level_then_by_signals_and_stay_within_0_100():
    normal = urgency_score(CALM, [], "normal")
    louder = urgency_score(CALM, ["churn", "repeated_contact"], "normal")
    assert 25 <= normal < louder <= 49
    assert urgency_score({"critical": 1.0}, ["safety", "legal", "outage", "security", "author_reach"], "critical") == 100
    assert urgency_score({"low": 1.0}, [], "low") <= 24 < urgency_score({"low": 1.0}, [], "normal")


def test_tuned_thresholds_keep_critical_recall():
    rows = [({"critical": 0.35, "high": 0.3}, [], "critical"), ({"critical": 0.1, "high": 0.2}, ["legal"], "critical"),
            ({"critical": 0.8}, [], "critical"), ({"critical": 0.3, "high": 0.6}, [], "high"),
            ({"normal": 0.9, "high": 0.1}, [], "normal"), ({"low": 0.8, "normal": 0.2}, [], "low"),
            ({"normal": 0.6, "high": 0.4}, ["repeated_contact"], "high")]
    thresholds = tune_thresholds(rows, min_critical_recall=1.0)
    assert all(urgency_level(p, s, thresholds) == "critical" for p, s, g in rows if g == "critical")
    assert urgency_level({"normal": 0.9, "high": 0.1}, [], thresholds) == "normal"
