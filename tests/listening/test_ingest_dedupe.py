"""The same question cross-posted to several sites becomes one thread with several sources."""
from __future__ import annotations

from superfan.crawl import crawl_source
from superfan.settings import SourceSettings

QUESTION = ("Seit dem Update auf Version 4.2 verliert meine Kolibri Pulse Watch jede Nacht die Bluetooth-Verbindung "
            "zum Handy. Ich habe sie schon zurückgesetzt und die App neu installiert, aber es hilft nichts. "
            "Hat jemand eine Idee, woran das liegen könnte?")


def feed(*items: tuple[str, str, str]) -> str:
    body = "".join(f"<item><title>{title}</title><link>http://site.example/{guid}</link><guid>{guid}</guid>"
                   f"<description>{text}</description></item>" for guid, title, text in items)
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>x</title>{body}</channel></rss>'


def threads_of(services) -> dict[int, set[str]]:
    with services.uow() as uow:
        posts = uow.posts.recent(limit=100)
    found: dict[int, set[str]] = {}
    for post in posts:
        found.setdefault(post.thread_id, set()).add(post.source)
    return found


def test_a_cross_posted_question_joins_the_first_thread(services, web):
    web.route("/forum", feed(("f1", "Pulse Watch Bluetooth weg", QUESTION)))
    web.route("/blog", feed(("b1", "Bluetooth Problem", f"Hallo zusammen! {QUESTION} Danke, Grüße Max"),
                            ("b2", "Kolibri Aero Buds Geschenk",
                             "Sind die Kolibri Aero Buds ein gutes Geschenk für meinen Vater, der viel joggt "
                             "und Podcasts hört? Oder lieber die Pro-Version mit Geräuschunterdrückung?")))
    crawl_source(services, SourceSettings(name="forum", kind="rss", url=web.url("/forum"), allow_private=True))
    report = crawl_source(services, SourceSettings(name="blog", kind="rss", url=web.url("/blog"),
                                                          allow_private=True))
    assert (report.new, report.attached, report.threads_created) == (2, 1, 1)
    assert sorted(map(sorted, threads_of(services).values())) == [["blog"], ["blog", "forum"]]


def test_near_duplicates_within_one_source_stay_apart(services, web):
    web.route("/forum", feed(("f1", "Bluetooth weg", QUESTION), ("f2", "Re: Bluetooth weg", f"Zitat: {QUESTION} +1")))
    report = crawl_source(services, SourceSettings(name="forum", kind="rss", url=web.url("/forum"),
                                                          allow_private=True))
    assert report.threads_created == 2


def test_the_same_text_twice_in_one_batch_is_one_thread(services, web):
    web.route("/forum", feed(("f1", "Bluetooth weg", QUESTION), ("f2", "Bluetooth weg", QUESTION)))
    report = crawl_source(services, SourceSettings(name="forum", kind="rss", url=web.url("/forum"),
                                                   allow_private=True))
    assert (report.new, report.threads_created, report.attached) == (2, 1, 1)
