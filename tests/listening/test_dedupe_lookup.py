"""The near-duplicate lookup reads a bounded number of candidate rows, however many posts share boilerplate."""
from __future__ import annotations

import random
import struct

from sqlalchemy import JSON, column, select, table, text

from community.adapters.sql.db import downgrade, upgrade
from community.adapters.sql.near_duplicates import STOP_KEY_POSTS
from community.domain.dedupe import BANDS, lookup_keys, sketch
from community.domain.model import RawPost
from community.services.ingest import ingest

SIGNATURE = ("Gesendet von meinem Kolibri Pulse Watch Forum Account Mitglied seit 2019 über 500 Beiträge "
             "bitte keine privaten Nachrichten mit Supportfragen schicken danke euch allen und viele Grüße")
WORDS = [f"{a}{b}{c}" for a in ("ka", "lo", "mi", "ter", "sch", "ung") for b in ("en", "ver", "bar", "li", "no")
         for c in ("ra", "ste", "gu", "wa", "do", "xi")]


def post(source: str, n: int, text: str, title: str = "") -> RawPost:
    return RawPost(source=source, external_id=f"{source}-{n}", url=f"https://{source}.example/t/{n}",
                   title=title or f"Frage {source} {n}", text=text)


def boilerplate_posts(source: str, count: int, rng: random.Random) -> list[RawPost]:
    """Posts of a few unique words each, all with the same long forum signature."""
    return [post(source, n, " ".join(rng.choices(WORDS, k=12)) + " " + SIGNATURE) for n in range(count)]


def test_posts_sharing_a_signature_do_not_grow_the_lookup_and_a_cross_post_is_still_found(services):
    rng = random.Random(3)
    question = ("Seit dem Update auf Version 4.2 verliert meine Kolibri Pulse Watch jede Nacht die Bluetooth "
                "Verbindung zum Handy, obwohl ich sie schon zurückgesetzt und die App neu installiert habe. "
                "Hat jemand eine Idee, woran das liegen könnte und was ich noch ausprobieren sollte?")
    stored = boilerplate_posts("forum", 150, rng) + [post("forum", 999, question, "Bluetooth weg nach Update")]
    ingest(services.uow, stored, classifier=services.classifier, router=services.router, clock=services.clock)
    reworded = question.replace("jede Nacht", "jeden Abend")
    batch = boilerplate_posts("blog", 20, random.Random(4)) + [
        post("blog", 1, f"Hallo zusammen! {reworded} Danke", "Bluetooth weg nach Update")]
    with services.uow() as uow:
        uow.posts.prepare_lookups(batch)
        rows = uow.posts.near.rows_read
        twin = uow.posts.find_near(batch[-1])
    assert twin is not None and twin.external_id == "forum-999"
    # Every stored post shares the signature with every looked-up one; the lookup must not read them all.
    assert rows <= 2 * len(batch), f"{rows} candidate rows for {len(batch)} posts"
    assert rows <= STOP_KEY_POSTS * BANDS * len(batch)


def test_upgrading_a_database_with_old_lookup_keys_rebuilds_them_from_the_sketches(services):
    question = ("Die Kolibri Home Hub verbindet sich seit gestern nicht mehr mit dem WLAN, obwohl alle anderen "
                "Geräte im Haus problemlos online sind und ich den Router schon zweimal neu gestartet habe.")
    ingest(services.uow, [post("forum", 1, question, "WLAN weg")], classifier=services.classifier,
           router=services.router, clock=services.clock)
    with services.uow() as uow:
        new_keys = set(uow.session.execute(text("SELECT key, post_id FROM post_sketch_keys")).all())
    downgrade(services.engine, "0002")
    with services.uow() as uow:
        old_keys = set(uow.session.execute(text("SELECT key, post_id FROM post_sketch_keys")).all())
    services.migrate()
    with services.uow() as uow:
        rebuilt = set(uow.session.execute(text("SELECT key, post_id FROM post_sketch_keys")).all())
        twin = uow.posts.find_near(post("blog", 1, f"Hi! {question}", "WLAN weg"))
    assert old_keys and old_keys != new_keys and rebuilt == new_keys
    assert twin is not None and twin.external_id == "forum-1"


def test_upgrading_a_database_with_json_sketches_and_blake2b_keys_converts_them_and_still_finds_the_cross_post(
        services):
    question = ("Seit dem letzten Update zeigt meine Kolibri Pulse Watch beim Laufen keine Herzfrequenz mehr an, "
                "obwohl der Sensor sauber ist und ich die Uhr schon zweimal auf Werkseinstellungen gesetzt habe.")
    ingest(services.uow, [post("forum", 1, question, "Puls weg"), post("forum", 2, "zu kurz")],
           classifier=services.classifier, router=services.router, clock=services.clock)
    value = sketch(f"Puls weg\n{question}")
    with services.uow() as uow:
        new_keys = set(uow.session.execute(text("SELECT key, post_id FROM post_sketch_keys")).all())
    downgrade(services.engine, "0008")
    with services.uow() as uow:
        (old,) = uow.session.execute(select(table("post_sketches", column("post_id"), column("sketch", JSON())))).all()
        old_keys = set(uow.session.execute(text("SELECT key, post_id FROM post_sketch_keys")).all())
    assert old.sketch == list(value)  # a JSON list before 0009, with other keys for the same bands
    assert len(old_keys) == len(new_keys) == BANDS and old_keys.isdisjoint(new_keys)
    services.migrate()
    with services.uow() as uow:
        stored = uow.session.execute(text("SELECT post_id, sketch FROM post_sketches")).all()
        rebuilt = set(uow.session.execute(text("SELECT key, post_id FROM post_sketch_keys")).all())
        twin = uow.posts.find_near(post("blog", 1, f"Hallo zusammen, {question} Danke!", "Puls weg"))
    assert [(post_id, struct.unpack(f"<{len(data) // 4}I", data)) for post_id, data in stored] == [(old.post_id, value)]
    assert rebuilt == new_keys == {(key, old.post_id) for key in lookup_keys(value)}
    assert twin is not None and twin.external_id == "forum-1"


def test_revision_0008_has_the_same_keys_whether_reached_from_below_or_from_above(services):
    """0007 writes the BLAKE2b keys 0009's downgrade restores (not the live keys of a later revision)."""
    question = ("Mein Kolibri Konto ist seit heute Morgen gesperrt, obwohl ich das Passwort nicht falsch eingegeben "
                "habe, und die E-Mail zum Entsperren kommt einfach nicht an, auch nicht im Spam-Ordner.")
    ingest(services.uow, [post("forum", 1, question, "Konto gesperrt")], classifier=services.classifier,
           router=services.router, clock=services.clock)
    keys = "SELECT key, post_id FROM post_sketch_keys"
    downgrade(services.engine, "0008")
    with services.uow() as uow:
        from_above = set(uow.session.execute(text(keys)).all())
    downgrade(services.engine, "0002")
    upgrade(services.engine, "0008")
    with services.uow() as uow:
        from_below = set(uow.session.execute(text(keys)).all())
    assert len(from_above) == BANDS and from_below == from_above


def test_a_batch_of_several_sources_finds_each_posts_cross_post_but_never_its_own_source(services):
    question = ("Die Aero Buds Pro verlieren nach dem Firmware Update ständig die Verbindung zum Laptop, obwohl "
                "Bluetooth am Handy weiterhin ohne Probleme funktioniert und ich sie schon zurückgesetzt habe.")
    other = ("Meine Kolibri Plus Bestellung wurde zweimal abgebucht, der Support antwortet seit einer Woche nicht "
             "und im Kundenkonto steht die Bestellung trotzdem nur einmal drin, was kann ich noch tun?")
    ingest(services.uow, [post("forum", 1, question, "Buds weg"), post("blog", 1, other, "Doppelt bezahlt")],
           classifier=services.classifier, router=services.router, clock=services.clock)
    batch = [post("blog", 2, f"Hi! {question} Danke", "Buds weg"), post("forum", 2, f"Hallo, {other} Gruß", "Doppelt"),
             post("forum", 3, f"Zitat: {question}", "Buds weg")]
    with services.uow() as uow:
        uow.posts.prepare_lookups(batch)
        twins = [uow.posts.find_near(p) for p in batch]
    assert [twin.external_id if twin else None for twin in twins] == ["forum-1", "blog-1", None]
