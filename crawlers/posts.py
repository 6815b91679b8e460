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
