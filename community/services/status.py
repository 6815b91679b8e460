"""Counts that tell whether the platform is alive: sources, mentions (waiting ones too), threads by state, users by role."""
from __future__ import annotations

from community.ports import UnitOfWork


def platform_status(uow: UnitOfWork) -> dict:
    """Return one JSON-ready dict of counts."""
    threads = uow.threads.counts_by_state()
    return {
        "sources": uow.sources.count(),
        "mentions": uow.posts.count(),
        "waiting_for_analysis": uow.posts.pending_count(),  # stored, not yet read and routed
        "threads": {"total": sum(threads.values()), "by_state": dict(sorted(threads.items()))},
        "routed_threads": sum(n for state, n in threads.items() if state != "new"),
        "users": dict(sorted(uow.users.counts_by_role().items())),
    }
