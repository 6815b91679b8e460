"""Play the demo's little history (``demo_data/history.toml``) through the real work, KB and rewards services."""
from __future__ import annotations

import tomllib
from pathlib import Path

from community.domain.errors import SuperfanError
from community.domain.model import ThreadState
from community.services import work
from community.services.resolution import publish_resolution


def _untouched(uow, key: str):
    thread = uow.threads.by_key(key)
    return thread if thread is not None and thread.state == ThreadState.ROUTED else None


def play_step(services, step: dict) -> str | None:
    """Play one step when its thread is still untouched; return what happened, or None when there was nothing to do."""
    clock, rules = services.clock, services.router.work_rules
    with services.uow() as uow:
        thread = _untouched(uow, step["thread"])
        if thread is None:
            return None
        user = uow.users.by_name(step["by"])
        outcome = step["outcome"]
        if outcome == "resolved":  # staff answer staff threads directly
            work.answer(uow, thread.id, user, step["answer"], clock, rules)
            work.resolve(uow, thread.id, user, clock)
        else:
            work.claim(uow, thread.id, user, clock, rules=rules)
            if outcome == "handed_on":
                work.hand_on(uow, thread.id, user, step["answer"], clock)
                work.resolve(uow, thread.id, uow.users.by_name(step["resolver"]), clock)
            else:
                work.answer(uow, thread.id, user, step["answer"], clock, rules)
            if outcome == "accepted":
                work.accept(uow, thread.id, clock)
        uow.commit()
    if outcome == "accepted":
        publish_resolution(services.uow, services.knowledge, thread.id, services.clock)
    return f"{step['by']} {outcome.replace('_', ' ')} “{thread.title[:50]}”"


def play_history(services, path: Path, echo=print) -> None:
    """Play every step of the history file whose thread is still untouched."""
    steps = tomllib.loads(path.read_text(encoding="utf-8"))["steps"]
    done = []
    for step in steps:
        try:
            happened = play_step(services, step)
        except SuperfanError as exc:  # a changed feed or setting must not stop the demo
            echo(f"  history step on {step['thread']} skipped: {exc}")
            continue
        if happened:
            done.append(happened)
    echo(f"demo history: {len(done)} steps played" + ("".join(f"\n  {line}" for line in done) if done else
                                                      " (already there)"))
