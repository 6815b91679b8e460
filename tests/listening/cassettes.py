"""Replay recorded (betamax) Reddit cassettes from a local server, so the real praw client talks to it.

Requests are matched on method + path + query (parameter order ignored). Cassettes were recorded by an
older praw, so when no recorded query is identical, the interaction on the same method and path sharing
the most parameters answers (praw 8 sends e.g. ``syntax=lucene``/``limit=100`` where 2016 praw sent
``cloudsearch``/``1024``); ``LocalServer.requests`` shows what was really asked.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from tests.listening.localserver import Reply, Request
from tests.shared_path import SHARED

REDDIT = SHARED / "fixtures" / "reddit"
KEPT_HEADERS = {"content-type", "x-ratelimit-remaining", "x-ratelimit-used", "x-ratelimit-reset", "retry-after"}


class Cassette:
    """The interactions of one recorded cassette, answerable by request."""

    def __init__(self, path: Path) -> None:
        self.interactions = json.loads(path.read_text(encoding="utf-8"))["interactions"]
        self.used: list[str] = []

    def answer(self, request: Request) -> Reply:
        """Return the recorded response that best matches the request (404 when none shares the path)."""
        asked = sorted(parse_qsl(request.query, keep_blank_values=True))
        best, best_score = None, -1
        for interaction in self.interactions:
            recorded = interaction["request"]
            parts = urlsplit(recorded["uri"])
            if recorded["method"] != request.method or parts.path.rstrip("/") != request.path.rstrip("/"):
                continue
            params = sorted(parse_qsl(parts.query, keep_blank_values=True))
            score = 1000 if params == asked else len(set(params) & set(asked))
            if score > best_score:
                best, best_score = interaction, score
        if best is None:
            return Reply(404, json.dumps({"message": "Not Found", "error": 404}),
                         {"Content-Type": "application/json"})
        self.used.append(best["request"]["uri"])
        response = best["response"]
        headers = {k: v[0] if isinstance(v, list) else v for k, v in response["headers"].items()
                   if k.lower() in KEPT_HEADERS}
        return Reply(response["status"]["code"], response["body"]["string"], headers)


def replay(server, *names: str) -> Cassette:
    """Make the server answer from the named cassettes (merged), and return them."""
    cassette = Cassette(REDDIT / f"{names[0]}.json")
    for name in names[1:]:
        cassette.interactions += Cassette(REDDIT / f"{name}.json").interactions
    server.fallback = cassette.answer
    return cassette
