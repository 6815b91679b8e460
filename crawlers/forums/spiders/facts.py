"""What a Discourse post's JSON tells about it: whom it answers, how much it was engaged with, whether it solved."""
from __future__ import annotations

from crawlers.posts import count, reply_facts

LIKE = 2  # the post action type id of a like in ``actions_summary``


def likes(post: dict) -> int | None:
    """Return a post's likes: ``like_count`` when given, else the like entry of ``actions_summary``."""
    if isinstance(post.get("like_count"), int):
        return post["like_count"]
    return next((a.get("count") for a in post.get("actions_summary") or [] if a.get("id") == LIKE), None)


def parent_author(topic: dict, post: dict, known: dict) -> str | None:
    """Return who a post answers: ``reply_to_user``, the author of ``reply_to_post_number``, else the topic's starter."""
    if (post.get("reply_to_user") or {}).get("username"):
        return post["reply_to_user"]["username"]
    number = post.get("reply_to_post_number") or 1
    return known.get(number) or (((topic.get("details") or {}).get("created_by") or {}).get("username")
                                 if number == 1 else None)


def accepted(topic: dict, post: dict) -> bool | None:
    """Tell whether the post is the topic's accepted answer (discourse-solved), or None when the site shows no such thing."""
    answer = topic.get("accepted_answer")
    if isinstance(answer, dict) and answer.get("post_number"):
        return answer["post_number"] == post.get("post_number")
    if "accepted_answer" in post:
        return bool(post["accepted_answer"])
    return None


def discourse_facts(topic: dict, post: dict, known: dict) -> dict:
    """Return the ``RawPost.extra`` facts of one post of a topic (``known``: post number → author of loaded posts)."""
    replying = int(post.get("post_number") or 1) > 1 or bool(post.get("reply_to_post_number"))
    facts = {"replies": post.get("reply_count"), "engagement": count(post.get("reply_count"), likes(post)),
             "author_trust_level": post.get("trust_level"), "accepted": accepted(topic, post),
             **reply_facts(post.get("username", ""), parent_author(topic, post, known) if replying else None, replying)}
    return {k: v for k, v in facts.items() if v is not None}
