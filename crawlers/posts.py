"""The one way every connector builds a normalised post."""
from __future__ import annotations

from datetime import datetime

from community.domain.model import RawPost
from community.domain.urls import canonical_url
from crawlers.text import html_to_text, one_line, truncate


def make_post(source, *, external_id: str, url: str, title: str = "", html: str | None = None,
              text: str | None = None, author: str = "", published: datetime | None = None,
              thread_key: str | None = None, lang: str | None = None, **extra) -> RawPost:
    """Build a normalised post: sanitised text, truncated when huge, canonical URL, one-line title."""
    link = canonical_url(url)
    body = html_to_text(html) if html is not None else (text or "").strip()
    return RawPost(source=source.name, external_id=str(external_id), url=link, title=one_line(html_to_text(title)),
                   text=truncate(body, link), author=(author or "").strip(), published=published,
                   thread_key=thread_key, lang_hint=(lang or None) and lang[:2].lower(),
                   extra={k: v for k, v in extra.items() if v is not None})


def reply_facts(author: str, parent_author: str | None, replying: bool) -> dict:
    """Return ``is_reply``/``parent_author``: a post answering someone else; answering oneself is no reply."""
    if not replying:
        return {"is_reply": False}
    parent = (parent_author or "").strip() or None
    own = bool(parent) and parent.casefold() == (author or "").strip().casefold()
    return {"is_reply": not own, "parent_author": parent}


def count(*values) -> int | None:
    """Return the sum of the counts a source gave (non-numbers skipped), or None when it gave none (a net score below zero counts as 0)."""
    given = [max(0, int(v)) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    return sum(given) if given else None
