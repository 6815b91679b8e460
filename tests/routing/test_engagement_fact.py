"""Routing reads the engagement figure connectors give (likes, points, reblogs), not only replies."""
from __future__ import annotations

from community.domain.model import Analysis, RawPost
from community.domain.routing.facts import facts_from


def post(**extra) -> RawPost:
    return RawPost(source="mastodon", external_id="1", url="https://m.example/1", title="", text="Kolibri", extra=extra)


def test_the_connectors_engagement_figure_wins():
    assert facts_from(post(engagement=57, replies=3), Analysis()).engagement == 57


def test_replies_and_score_are_the_fallback():
    assert facts_from(post(replies=3, score=4), Analysis()).engagement == 7
    assert facts_from(post(), Analysis()).engagement == 0
