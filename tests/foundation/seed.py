"""Seed a database with users and routed threads for web and CLI tests."""
from __future__ import annotations

from community.domain.model import RawPost, Role, User
from community.services.accounts import add_user
from community.services.ingest import ingest

PASSWORD = "correct-horse-1"
USERS = [("maria", Role.MANAGER), ("stefan", Role.STAFF), ("sofia", Role.SUPERUSER), ("ben", Role.SUPERUSER)]
POSTS = [
    ("p1", "Doppelt abgebucht", "Kolibri hat meine Bestellung zweimal abgebucht, Lastschrift!"),
    ("p2", "Pulse Watch Ziffernblatt", "Wie kann ich bei der Pulse Watch das Ziffernblatt einstellen?"),
    ("p3", "Geschenk für Papa", "Lohnt sich die Aero Buds als Geschenk? <script>alert(1)</script>"),
]


def seed(services) -> dict[str, int]:
    """Create the test users and three routed threads; return thread ids by title."""
    with services.uow() as uow:
        for name, role in USERS:
            add_user(uow, User(id=None, name=name, role=role), PASSWORD, services.hasher)
        uow.commit()
    posts = [RawPost(source="forum", external_id=eid, url=f"https://forum.example/{eid}", title=title, text=text,
                     author="kunde", lang_hint="de") for eid, title, text in POSTS]
    ingest(services.uow, posts, classifier=services.classifier, router=services.router, clock=services.clock)
    with services.uow() as uow:
        return {t.title: t.id for t in uow.threads.list()}
