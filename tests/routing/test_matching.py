"""Super-user matching: who is offered a thread, who is not, and why."""
from __future__ import annotations

from datetime import timedelta

import pytest

from community.domain.errors import ValidationError
from community.domain.routing.availability import Availability, parse_window
from community.domain.routing.matching import Need, TrackRecord
from community.domain.routing.pool import rank
from tests.routing.fakes import NOON, profile

NEED = Need("usage", "de")


def _names(verdicts, chosen=True):
    return [v.name for v in verdicts if v.chosen is chosen]


def test_expertise_decides_first():
    verdicts, _ = rank(NEED, [profile(1, expertise={"usage": 1}), profile(2, expertise={"usage": 5})], NOON, top_n=1)
    assert _names(verdicts) == ["fan2"]


def test_fairness_breaks_ties_by_least_recently_offered():
    recent, long_ago = NOON - timedelta(minutes=5), NOON - timedelta(days=2)
    fans = [profile(1, last_offered=recent), profile(2, last_offered=long_ago), profile(3, last_offered=None)]
    verdicts, _ = rank(NEED, fans, NOON, top_n=2)
    assert _names(verdicts) == ["fan3", "fan2"]


def test_track_record_counts_after_a_few_answers():
    good = TrackRecord(answers=40, accepted_rate=0.9, median_response_minutes=10)
    poor = TrackRecord(answers=40, accepted_rate=0.1, median_response_minutes=300)
    verdicts, _ = rank(NEED, [profile(1, track=poor), profile(2, track=good)], NOON, top_n=1)
    assert _names(verdicts) == ["fan2"]


@pytest.mark.parametrize("fan, reason", [
    (profile(1, active=False), "paused"),
    (profile(1, languages=("en",)), "does not speak 'de'"),
    (profile(1, open_claims=2, open_offers=1), "at capacity (3/3)"),
    (profile(1, hourly=6), "fairness cap reached"),
    (profile(1, windows=["mon-fri 18:00-22:00"]), "off hours (Europe/Berlin)"),
    (profile(1, expertise={"usage": 2}), "lacks required skills ['billing']"),
])
def test_ineligible_users_get_nothing_and_the_reason_is_given(fan, reason):
    need = Need("usage", "de", skills=("billing",)) if "skills" in reason else NEED
    verdicts, counts = rank(need, [fan], NOON, top_n=3, hourly_cap=6)
    assert not _names(verdicts) and reason in verdicts[0].reason and counts["eligible"] == 0


def test_staff_only_items_are_offered_to_nobody():
    verdicts, _ = rank(Need("usage", "de", staff_only=True), [profile(1), profile(2)], NOON)
    assert _names(verdicts) == [] and all("staff-only" in v.reason for v in verdicts)


def test_the_author_is_not_offered_their_own_question():
    verdicts, _ = rank(Need("usage", "de", author="fan1"), [profile(1), profile(2)], NOON)
    assert _names(verdicts) == ["fan2"]


def test_free_capacity_counts():
    verdicts, _ = rank(NEED, [profile(1, open_claims=2), profile(2)], NOON, top_n=1)
    assert _names(verdicts) == ["fan2"]


def test_unknown_language_halves_the_score_but_does_not_exclude():
    verdicts, _ = rank(Need("usage", "other"), [profile(1)], NOON)
    assert _names(verdicts) == ["fan1"] and verdicts[0].score == pytest.approx(0.5 * 4 / 6 * 0.75)


@pytest.mark.parametrize("tz, windows, available", [
    ("Europe/Berlin", ["mon-fri 12:00-14:00"], True),        # 13:00 Berlin on a Thursday
    ("America/New_York", ["mon-fri 12:00-14:00"], False),    # 07:00 in New York
    ("America/New_York", ["daily 06:30-07:30"], True),
    ("Asia/Tokyo", ["thu 22:00-02:00"], False),              # 21:00 Thursday in Tokyo
    ("Asia/Tokyo", ["wed 20:00-22:00"], False),
    ("Asia/Tokyo", ["thu 20:00-22:00"], True),
    ("Europe/Berlin", ["sat,sun 00:00-24:00"], False),
    ("Europe/Berlin", [], True),
])
def test_availability_windows_are_read_in_the_users_time_zone(tz, windows, available):
    assert Availability.parse(tz, windows).is_available(NOON) is available


def test_overnight_windows_run_past_midnight():
    window = parse_window("fri 22:00-02:00")
    assert window.contains(4, 23 * 60) and window.contains(5, 60) and not window.contains(5, 3 * 60)


@pytest.mark.parametrize("spec", ["someday 10:00-12:00", "mon 25:00-26:00", "noon till late"])
def test_malformed_windows_are_refused(spec):
    with pytest.raises(ValidationError, match="availability"):
        parse_window(spec)


def test_unknown_time_zone_is_refused():
    with pytest.raises(ValidationError, match="time zone"):
        Availability.parse("Mars/Olympus", [])
