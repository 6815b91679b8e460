"""Split listening-query text into tokens, each with its 0-based character position."""
from __future__ import annotations

import re
from dataclasses import dataclass

from crawlers.query.errors import QuerySyntaxError
from crawlers.query.nodes import FIELDS, OPERATORS

_NEAR_RE = re.compile(r"(O?)NEAR(?:/(\d+)?(f?))?")
_FIELD_RE = re.compile(r"([A-Za-z]+):")
_STOP = frozenset(' \t\r\n\f\v()"')


@dataclass(frozen=True, slots=True)
class Token:
    """One lexical unit: ``kind`` is WORD, PHRASE, FIELD, NEAR, AND, OR, NOT, MINUS, LPAREN, RPAREN or EOF."""

    kind: str
    pos: int
    text: str = ""
    number: int | None = None
    flag: bool = False


def tokenize(query: str) -> list[Token]:
    """Return the tokens of ``query``, ending with EOF; raise QuerySyntaxError on bad spelling."""
    return list(_Lexer(query).tokens())


class _Lexer:
    def __init__(self, query: str) -> None:
        self.query = query
        self.i = 0

    def tokens(self):
        q = self.query
        while True:
            while self.i < len(q) and q[self.i].isspace():
                self.i += 1
            if self.i >= len(q):
                yield Token("EOF", len(q))
                return
            start, ch = self.i, q[self.i]
            if q.startswith("<<<", start):
                end = q.find(">>>", start + 3)
                if end < 0:
                    raise QuerySyntaxError("comment '<<<' is never closed with '>>>'", start)
                self.i = end + 3
            elif ch in "()":
                self.i += 1
                yield Token("LPAREN" if ch == "(" else "RPAREN", start)
            elif ch == '"':
                yield self.phrase()
            elif ch == "-":
                if start + 1 >= len(q) or q[start + 1].isspace() or q[start + 1] == ")":
                    raise QuerySyntaxError("'-' must be followed directly by a word, phrase or '('", start)
                self.i += 1
                yield Token("MINUS", start)
            else:
                yield from self.word()

    def phrase(self) -> Token:
        q, start = self.query, self.i
        chars, i = [], start + 1
        while i < len(q) and q[i] != '"':
            if q[i] == "\\" and i + 1 < len(q):
                i += 1
            chars.append(q[i])
            i += 1
        if i >= len(q):
            raise QuerySyntaxError("phrase is never closed with '\"'", start)
        self.i = i + 1
        slop = None
        if q.startswith("~", self.i):
            digits = re.match(r"\d+", q[self.i + 1:])
            if not digits:
                raise QuerySyntaxError("'~' needs a distance in words, e.g. \"a b\"~3", self.i)
            slop = int(digits.group())
            self.i += 1 + len(digits.group())
        return Token("PHRASE", start, "".join(chars), slop)

    def word(self):
        q, start = self.query, self.i
        while self.i < len(q) and q[self.i] not in _STOP:
            self.i += 1
        text = q[start:self.i]
        if text in OPERATORS:
            yield Token(text, start)
            return
        near = _NEAR_RE.fullmatch(text)
        if near:
            if near.group(1) and near.group(3):
                raise QuerySyntaxError("write ONEAR/3 or NEAR/3f, not both", start)
            if near.group(2) is None:
                raise QuerySyntaxError(f"{near.group(1)}NEAR needs a distance in words, e.g. NEAR/3", start)
            yield Token("NEAR", start, text, int(near.group(2)), bool(near.group(1) or near.group(3)))
            return
        field = _FIELD_RE.match(text)
        if field:
            name = field.group(1).lower()
            if name not in FIELDS:
                raise QuerySyntaxError(
                    f"unknown field '{field.group(1)}' (known: {', '.join(FIELDS)}); quote words containing ':'",
                    start)
            yield Token("FIELD", start, name)
            rest = text[field.end():]
            if rest:
                yield Token("WORD", start + field.end(), rest)
            elif self.i < len(q) and q[self.i] == '"':
                yield self.phrase()
            else:
                raise QuerySyntaxError(f"field '{name}:' needs a value right after the colon", start + field.end())
            return
        yield Token("WORD", start, text)
