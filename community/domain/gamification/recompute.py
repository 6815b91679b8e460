"""Recompute the ledger from the recorded activities: replay them under today's rules, append the differences."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from community.domain.gamification.ledger import LedgerEntry
from community.domain.gamification.points import Activity, PointsTable, score

RECOMPUTE_REASON = "recomputed with the current rules"


def replay(activities: Iterable[Activity], table: PointsTable) -> list[LedgerEntry]:
    """Return the ledger the activities would produce under these rules, in order (ids are positions)."""
    ledger: list[LedgerEntry] = []
    by_user: dict[int, list[LedgerEntry]] = defaultdict(list)
    by_thread: dict[int, list[LedgerEntry]] = defaultdict(list)
    answers: dict[int, list[tuple[int, ...]]] = defaultdict(list)
    for activity in sorted(activities, key=lambda a: (a.at, a.id or 0)):
        history = {e.id: e for e in by_user[activity.user_id] + by_thread.get(activity.thread_id, [])}.values()
        scored = score(activity, table, history, answers[activity.user_id])
        if activity.kind == "answer":
            answers[activity.user_id].append(activity.fingerprint)
        for entry in scored.entries:
            entry = replace(entry, id=len(ledger) + 1)
            ledger.append(entry)
            by_user[entry.user_id].append(entry)
            if entry.thread_id is not None:
                by_thread[entry.thread_id].append(entry)
    return ledger


def _key(entry: LedgerEntry) -> tuple:
    return entry.user_id, entry.rule, entry.thread_id, entry.article_id, entry.topic, entry.language


def derived(entry: LedgerEntry) -> bool:
    """Tell whether an entry came from the rules (an activity or a correction), not from a manual grant."""
    return entry.activity_id is not None or entry.reason.startswith(RECOMPUTE_REASON)


def corrections(expected: Iterable[LedgerEntry], actual: Iterable[LedgerEntry], at: datetime) -> list[LedgerEntry]:
    """Return the entries that bring the actual ledger's sums per user, rule and thread to the expected ones.

    Only entries the rules produced are compared; manual grants and redemptions stay as they are.
    """
    totals: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for entry in expected:
        if entry.earned:
            totals[_key(entry)][0] += entry.points
    for entry in actual:
        if entry.earned and derived(entry):
            totals[_key(entry)][1] += entry.points
    fixes = []
    for (user_id, rule, thread_id, article_id, topic, language), (want, have) in sorted(
            totals.items(), key=lambda item: tuple(str(part) for part in item[0])):
        if want != have:
            fixes.append(LedgerEntry(user_id=user_id, at=at, rule=rule, points=want - have,
                                     reason=f"{RECOMPUTE_REASON}: {have} → {want} points",
                                     thread_id=thread_id, article_id=article_id, topic=topic, language=language))
    return fixes
