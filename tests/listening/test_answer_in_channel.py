"""Answering in the channel: a published answer is posted as a Reddit reply through praw (local replay server)."""
from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from community.domain.errors import ChannelError
from community.domain.model import RawPost, Role, User
from community.services import work
from community.services.accounts import add_user
from community.services.channel import answer_in_channel
from community.services.ingest import ingest
from crawlers.publishing import SourcePublisher
from tests.listening.cassettes import replay
from tests.listening.test_reddit import reddit_source

THREAD_URL = "https://www.reddit.com/r/redditdev/comments/4b1tfm/some_title/"
ANSWER = "In der Kolibri App unter Gerät > Ziffernblätter, dann nach links wischen."


def answered_thread(services) -> int:
    with services.uow() as uow:
        fan = add_user(uow, User(id=None, name="sofia", role=Role.SUPERUSER), "geheim-123", services.hasher)
        uow.commit()
    post = RawPost(source="reddit", external_id="t3_4b1tfm", url=THREAD_URL, title="Pulse Watch Ziffernblatt",
                   text="Wie kann ich bei der Kolibri Pulse Watch das Ziffernblatt einstellen?", author="asker")
    ingest(services.uow, [post], classifier=services.classifier, router=services.router, clock=services.clock)
    with services.uow() as uow:
        thread = uow.threads.by_key("reddit:t3_4b1tfm")
        work.claim(uow, thread.id, fan, services.clock, rules=services.router.work_rules)
        work.answer(uow, thread.id, fan, ANSWER, services.clock, services.router.work_rules)
        uow.commit()
    return thread.id


def test_a_published_answer_is_posted_as_a_reddit_reply_and_recorded(sqlite_services, web):
    replay(web, "TestSubmission.test_reply")
    thread_id = answered_thread(sqlite_services)
    publisher = SourcePublisher([reddit_source(web, username="<USERNAME>", password="<PASSWORD>",
                                               answer_in_channel=True)])
    reply = answer_in_channel(sqlite_services.uow, publisher, thread_id, sqlite_services.clock)
    assert reply["id"] == "t1_d162ara"
    sent = [r for r in web.requests if r.path == "/api/comment/"][0]
    assert parse_qs(sent.body.decode())["text"] == [ANSWER]
    assert parse_qs(sent.body.decode())["thing_id"] == ["t3_4b1tfm"]
    with sqlite_services.uow() as uow:
        kinds = [e.kind for e in uow.threads.events(thread_id)]
    assert kinds[-1] == "posted_to_channel"


def test_sources_not_set_up_for_it_are_left_alone(sqlite_services, web):
    thread_id = answered_thread(sqlite_services)
    publisher = SourcePublisher([reddit_source(web)])  # no answer_in_channel option
    assert answer_in_channel(sqlite_services.uow, publisher, thread_id, sqlite_services.clock) is None
    assert web.requests == []


def test_a_missing_account_is_a_clear_error_recorded_on_the_thread(sqlite_services, web):
    thread_id = answered_thread(sqlite_services)
    publisher = SourcePublisher([reddit_source(web, answer_in_channel=True)])
    with pytest.raises(ChannelError, match="options.username"):
        answer_in_channel(sqlite_services.uow, publisher, thread_id, sqlite_services.clock)
    with sqlite_services.uow() as uow:
        assert uow.threads.events(thread_id)[-1].kind == "channel_reply_failed"
