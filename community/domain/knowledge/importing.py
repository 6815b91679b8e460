"""Check one line of an FAQ / help-centre import (JSON lines: id, lang, title, body, answer, url, topic, tags)."""
from __future__ import annotations

import json
from dataclasses import dataclass

from community.domain.errors import ValidationError

LANGUAGES = ("de", "en")
_MAX_TITLE = 500


@dataclass(frozen=True, slots=True)
class ImportRecord:
    """A valid import line."""

    external_id: str
    language: str
    title: str
    body: str
    answer: str = ""
    url: str = ""
    topic: str = "other"
    tags: tuple[str, ...] = ()


def parse_import_line(line: str) -> ImportRecord:
    """Parse and validate one JSON line; raise ``ValidationError`` naming what is wrong."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"not valid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(data, dict):
        raise ValidationError("expected a JSON object")
    missing = [key for key in ("id", "lang", "title", "body") if not _text(data.get(key))]
    if missing:
        raise ValidationError(f"missing or empty field(s): {', '.join(missing)}")
    lang = str(data["lang"]).strip().lower()
    if lang not in LANGUAGES:
        raise ValidationError(f"unsupported lang {lang!r} (expected one of {', '.join(LANGUAGES)})")
    title = str(data["title"]).strip()
    if len(title) > _MAX_TITLE:
        raise ValidationError(f"title longer than {_MAX_TITLE} characters")
    tags = data.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValidationError("tags must be a list of strings")
    url = str(data.get("url") or "")
    if url and not url.startswith(("http://", "https://", "/")):
        raise ValidationError(f"url {url[:60]!r} is not an http(s) address")
    return ImportRecord(external_id=str(data["id"]).strip(), language=lang, title=title,
                        body=str(data["body"]).strip(), answer=str(data.get("answer") or "").strip(), url=url,
                        topic=str(data.get("topic") or "other").strip() or "other",
                        tags=tuple(t.strip() for t in tags if t.strip()))


def _text(value) -> bool:
    return isinstance(value, str | int) and bool(str(value).strip())
