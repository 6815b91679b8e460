"""Ingest hooks: deflection to a lighter queue when a KB article likely answers, and answers the asker accepted."""
from __future__ import annotations

import json

from community.domain.model import RawPost, ThreadState
from community.services import work
from community.services.ingest import ingest

ARTICLE = {"id": "watch-face", "lang": "de", "title": "Ziffernblatt der Pulse Watch einstellen",
           "body": "Wie kann ich bei der Pulse Watch das Ziffernblatt einstellen?",
           "answer": "Krone zwei Sekunden drücken und mit der Krone das Ziffernblatt wählen."}
ANSWER = "Halte die Krone zwei Sekunden gedrückt, dann kannst du das Ziffernblatt wählen."


def _post(eid: str, title: str, text: str, *, thread: str | None = None, **extra) -> RawPost:
    return RawPost(source="forum", external_id=eid, url=f"https://forum.example/{eid}", title=title, text=text,
                   author="kunde", lang_hint="de", thread_key=thread, extra=extra)


def _ingest(svc, posts, knowledge=None):
    return ingest(svc.uow, posts, classifier=svc.classifier, router=svc.router, clock=svc.clock,
                  knowledge=knowledge if knowledge is not None else svc.knowledge)


def _thread(svc, title: str):
    with svc.uow() as uow:
        thread = next(t for t in uow.threads.list(limit=50) if t.title == title)
        return thread, uow.threads.events(thread.id)


class CountingKnowledge:
    """The real knowledge service, counting the 'likely answered' searches ingest makes."""

    def __init__(self, knowledge) -> None:
        self.knowledge, self.searches = knowledge, 0
        self.index = knowledge.index

    def likely_answered(self, post, analysis):
        self.searches += 1
        return self.knowledge.likely_answered(post, analysis)


def test_a_mention_a_published_article_answers_goes_to_the_self_service_queue(any_world):
    world = any_world
    svc = world.services
    svc.knowledge.import_lines([json.dumps(ARTICLE)])
    article = svc.knowledge.articles.by_external_id("watch-face")
    report = _ingest(svc, [
        _post("p1", "Pulse Watch Ziffernblatt", "Wie kann ich bei der Pulse Watch das Ziffernblatt einstellen?"),
        _post("p2", "Armband zu kurz", "Welches Ersatzarmband passt zur Pulse Watch, hat jemand Tipps?")])
    assert report.likely_answered == 1
    answered, events = _thread(svc, "Pulse Watch Ziffernblatt")
    assert (answered.decision["rule"], answered.target, answered.queue) == ("likely-answered", "community",
                                                                          "self-service")
    assert "likely-answered" in answered.decision["tags"]
    assert any(f"likely answered by KB article #{article.id}" in line for line in answered.decision["explanation"])
    marked = [e for e in events if e.kind == "likely_answered"]
    assert [(e.body, e.data["article_id"]) for e in marked] == [(article.title, article.id)]
    other, other_events = _thread(svc, "Armband zu kurz")
    assert other.decision["rule"] != "likely-answered" and other.queue != "self-service"
    assert "likely_answered" not in {e.kind for e in other_events}


def test_one_search_per_new_thread_and_none_while_the_knowledge_base_is_empty(world):
    svc = world.services
    empty = CountingKnowledge(svc.knowledge)
    _ingest(svc, [_post("e1", "Pulse Watch Ziffernblatt", "Wie stelle ich das Ziffernblatt ein?")], empty)
    assert empty.searches == 0
    svc.knowledge.import_lines([json.dumps(ARTICLE)])
    counting = CountingKnowledge(svc.knowledge)
    report = _ingest(svc, [_post(f"t{i}", "Ziffernblatt", f"Pulse Watch Ziffernblatt einstellen, Versuch {i}",
                                 thread="42") for i in range(4)], counting)
    assert (report.threads_created, report.attached, counting.searches) == (1, 3, 1)


def _answered_thread(world, svc, *replies: RawPost) -> int:
    """Open a thread from the forum's topic 7 (with some replies) and have a super-user answer it."""
    _ingest(svc, [_post("q1", "Pulse Watch Ziffernblatt", "Wie kann ich das Ziffernblatt einstellen?",
                        thread="7"), *replies])
    thread, _ = _thread(svc, "Pulse Watch Ziffernblatt")
    fan = world.user("fan", expertise={"usage": 3}, languages=("de",))
    world.do(work.claim, thread.id, fan)
    world.do(work.answer, thread.id, fan, ANSWER)
    assert world.get(thread.id).state == ThreadState.ANSWERED
    return thread.id


def test_an_accepted_answer_resolves_the_answered_thread_and_publishes_it(any_world):
    world = any_world
    svc = world.services
    thread_id = _answered_thread(world, svc)
    report = _ingest(svc, [_post("a1", "", ANSWER, thread="7", accepted=True)])
    assert report.accepted == [thread_id] and report.errors == []
    assert world.get(thread_id).state == ThreadState.RESOLVED
    assert "accepted" in world.events(thread_id)
    article = svc.knowledge.articles.by_thread(thread_id)
    assert article is not None and "Krone" in article.answer


def test_a_known_post_marked_accepted_later_resolves_its_thread(world):
    svc = world.services
    thread_id = _answered_thread(world, svc, _post("a1", "", ANSWER, thread="7"))  # not yet accepted then
    report = _ingest(svc, [_post("a1", "", ANSWER, thread="7", accepted=True)])
    assert (report.duplicates, report.accepted) == (1, [thread_id])
    assert world.get(thread_id).state == ThreadState.RESOLVED


def test_an_accepted_mark_on_a_thread_nobody_answered_changes_nothing(world):
    svc = world.services
    _ingest(svc, [_post("q1", "Pulse Watch Ziffernblatt", "Wie kann ich das Ziffernblatt einstellen?", thread="7"),
                  _post("a1", "", "Probier mal die Krone.", thread="7", accepted=True)])
    thread, events = _thread(svc, "Pulse Watch Ziffernblatt")
    assert thread.state == ThreadState.ROUTED and "accepted" not in {e.kind for e in events}


def test_a_likely_answered_question_that_stays_unresolved_counts_against_its_article(world):
    from superfan.routing import run_sla_job

    svc = world.services
    svc.knowledge.import_lines([json.dumps(ARTICLE)])
    _ingest(svc, [_post("p1", "Pulse Watch Ziffernblatt",
                        "Wie kann ich bei der Pulse Watch das Ziffernblatt einstellen?")])
    run_sla_job(svc)
    assert svc.knowledge.articles.by_external_id("watch-face").unresolved_questions == 0
    svc.clock.advance(days=4)  # past every resolution target
    run_sla_job(svc)
    assert svc.knowledge.articles.by_external_id("watch-face").unresolved_questions == 1
    run_sla_job(svc)  # a breach is recorded once, so it counts once
    assert svc.knowledge.articles.by_external_id("watch-face").unresolved_questions == 1
