"""Fixtures of the routing service tests: users and routed threads on a real database."""
from __future__ import annotations

from datetime import timedelta

import pytest

from community.domain.model import Role, Target, Thread, ThreadEvent, ThreadState, User


class World:
    """Users and a helper to open routed threads, on wired services with a fake clock."""

    def __init__(self, services) -> None:
        self.services = services
        self.users: dict[str, User] = {}
        self.opened = 0

    def user(self, name: str, role: Role = Role.SUPERUSER, **kw) -> User:
        """Create (once) and return a user."""
        if name not in self.users:
            with self.services.uow() as uow:
                user = User(id=None, name=name, role=role, **kw)
                uow.users.add(user, "x")
                uow.commit()
            self.users[name] = user
        return self.users[name]

    def thread(self, title: str = "Wie stelle ich das Ziffernblatt ein?", *, target: Target = Target.COMMUNITY,
               queue: str = "community", topic: str = "usage", language: str = "de", priority: str = "normal",
               minutes: int = 240) -> int:
        """Open a routed thread the way ingest does and return its id."""
        now = self.services.clock.now()
        self.opened += 1
        with self.services.uow() as uow:
            thread = Thread(id=None, key=f"test:{self.opened}",
                            title=title, state=ThreadState.ROUTED, target=target, queue=queue, priority=priority,
                            topic=topic, language=language, created_at=now,
                            first_response_due=now + timedelta(minutes=minutes),
                            staff_only=target != Target.COMMUNITY, decision={"rule": "test", "target": str(target)})
            uow.threads.add(thread)
            uow.threads.add_event(ThreadEvent(thread.id, "routed", now, body="test"))
            uow.commit()
        return thread.id

    def do(self, action, thread_id: int, user: User | None, *args, **kwargs):
        """Run a work action in its own unit of work and commit."""
        with self.services.uow() as uow:
            result = action(uow, thread_id, user, *args, clock=self.services.clock, **kwargs) if user else \
                action(uow, thread_id, *args, clock=self.services.clock, **kwargs)
            uow.commit()
        return result

    def get(self, thread_id: int) -> Thread:
        """Return the stored thread."""
        with self.services.uow() as uow:
            return uow.threads.get(thread_id)

    def events(self, thread_id: int) -> list[str]:
        """Return the kinds of the thread's history entries."""
        with self.services.uow() as uow:
            return [e.kind for e in uow.threads.events(thread_id)]


@pytest.fixture
def world(sqlite_services) -> World:
    return World(sqlite_services)


@pytest.fixture
def any_world(services) -> World:
    """A world on SQLite and on PostgreSQL."""
    return World(services)
