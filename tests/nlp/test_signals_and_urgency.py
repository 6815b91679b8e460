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


def test_signals_raise_the_score_and_the_score_is_bounded():
    calm = urgency_score({"low": 0.1, "normal": 0.8, "high": 0.1, "critical": 0.0}, [])
    alarmed = urgency_score({"low": 0.1, "normal": 0.8, "high": 0.1, "critical": 0.0}, ["safety", "legal"])
    assert calm < alarmed
    assert urgency_score({"critical": 1.0}, ["safety", "legal", "outage", "churn", "author_reach"]) == 100
    assert urgency_level(0) == "low" and urgency_level(100) == "critical"


def test_tuned_thresholds_keep_critical_recall():
    scores = [5, 10, 25, 30, 40, 55, 60, 72, 80, 90, 95, 66]
    gold = ["low", "low", "normal", "normal", "normal", "high", "high", "critical", "critical", "critical",
            "critical", "high"]
    thresholds = tune_thresholds(scores, gold, min_critical_recall=1.0)
    predicted = [urgency_level(s, thresholds) for s in scores]
    assert all(p == "critical" for p, g in zip(predicted, gold, strict=True) if g == "critical")
    assert thresholds["normal"] < thresholds["high"] < thresholds["critical"]
