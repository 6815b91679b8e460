"""Parse listening-query text into an immutable tree of ``crawlers.query.nodes``.

Precedence, loosest first: ``OR``; ``AND`` (also implicit between neighbours); ``NOT``/``-``;
``NEAR/n``, ``NEAR/nf``, ``ONEAR/n`` (left to right); words, phrases, ``field:value`` and ``( … )``.
"""
from __future__ import annotations

from crawlers.query.errors import QuerySyntaxError
from crawlers.query.folding import WORD_RE
from crawlers.query.lexer import Token, tokenize
from crawlers.query.nodes import And, Field, Near, Node, Not, Or, Phrase, Term, Wildcard

_STARTS_UNARY = frozenset({"WORD", "PHRASE", "FIELD", "LPAREN", "NOT", "MINUS"})
MAX_DEPTH = 50  # parentheses, NOTs and NEARs inside each other; deeper is a mistake (and would exhaust the stack)


def parse(query: str) -> Node:
    """Parse ``query``; raise QuerySyntaxError (with the position) when it is malformed."""
    try:
        return _Parser(tokenize(query)).query()
    except QuerySyntaxError as exc:
        raise exc.with_query(query) from None


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.k = 0
        self.depth = 0
        self.positions: dict[int, int] = {}

    @property
    def tok(self) -> Token:
        return self.tokens[self.k]

    def take(self) -> Token:
        token = self.tokens[self.k]
        self.k += 1
        return token

    def at(self, node: Node, pos: int) -> Node:
        self.positions.setdefault(id(node), pos)
        return node

    def query(self) -> Node:
        if self.tok.kind == "EOF":
            raise QuerySyntaxError("empty query: write at least one word", self.tok.pos)
        node = self.or_expr()
        if self.tok.kind == "RPAREN":
            raise QuerySyntaxError("unbalanced ')': there is no '(' to close", self.tok.pos)
        if self.tok.kind != "EOF":
            raise QuerySyntaxError(f"unexpected {self.tok.kind}", self.tok.pos)
        self.check_anchored(node)
        return node

    def or_expr(self) -> Node:
        start = self.tok.pos
        children = [self.and_expr()]
        while self.tok.kind == "OR":
            self.operand_follows(self.take(), "OR")
            children.append(self.and_expr())
        return self.at(_flat(Or, children), start)

    def and_expr(self) -> Node:
        start = self.tok.pos
        children = [self.unary()]
        while True:
            if self.tok.kind == "AND":
                self.operand_follows(self.take(), "AND")
            elif self.tok.kind not in _STARTS_UNARY:
                break
            children.append(self.unary())
        return self.at(_flat(And, children), start)

    def deeper(self, pos: int, levels: int = 1) -> None:
        self.depth += levels
        if self.depth > MAX_DEPTH:
            raise QuerySyntaxError(f"the query is nested too deeply (at most {MAX_DEPTH} levels)", pos)

    def unary(self) -> Node:
        if self.tok.kind in ("NOT", "MINUS"):
            token = self.take()
            self.operand_follows(token, "NOT" if token.kind == "NOT" else "'-'")
            self.deeper(token.pos)
            node = self.at(Not(self.unary()), token.pos)
            self.depth -= 1
            return node
        return self.near_expr()

    def near_expr(self) -> Node:
        start, chain = self.tok.pos, 0
        node = self.primary()
        while self.tok.kind == "NEAR":
            token = self.take()
            chain += 1
            self.deeper(token.pos)
            if self.tok.kind not in ("WORD", "PHRASE", "LPAREN", "FIELD"):
                raise QuerySyntaxError(f"{token.text} needs a word or phrase after it", token.pos)
            right_pos = self.tok.pos
            right = self.primary()
            _check_positional(node, start)
            _check_positional(right, right_pos)
            node = self.at(Near(node, right, token.number, token.flag), start)
        self.depth -= chain
        return node

    def primary(self) -> Node:
        token = self.take()
        if token.kind == "WORD":
            return self.at(_word(token.text, token.pos), token.pos)
        if token.kind == "PHRASE":
            if not WORD_RE.search(token.text):
                raise QuerySyntaxError("phrase has no letters or digits", token.pos)
            return self.at(Phrase(token.text, token.number), token.pos)
        if token.kind == "FIELD":
            return self.at(Field(token.text, self.field_value(token.text)), token.pos)
        if token.kind == "LPAREN":
            if self.tok.kind == "RPAREN":
                raise QuerySyntaxError("empty parentheses", self.tok.pos)
            self.deeper(token.pos)
            node = self.or_expr()
            self.depth -= 1
            if self.tok.kind != "RPAREN":
                raise QuerySyntaxError("unbalanced '(': it is never closed with ')'", token.pos)
            self.take()
            return node
        if token.kind in ("AND", "OR", "NEAR"):
            raise QuerySyntaxError(f"{token.text or token.kind} needs a word or phrase before it", token.pos)
        if token.kind == "RPAREN":
            raise QuerySyntaxError("unbalanced ')': there is no '(' to close", token.pos)
        raise QuerySyntaxError("the query ends where a word or phrase was expected", token.pos)

    def field_value(self, name: str) -> Term | Wildcard | Phrase:
        token = self.tok
        if name == "title" or token.kind != "WORD":
            value = self.primary()
            if token.kind == "PHRASE" and value.slop is not None and name != "title":
                raise QuerySyntaxError(f"'~' has no meaning in '{name}:'", token.pos)
            return value
        self.take()
        # Other fields compare whole values: '*' and '?' are glob wildcards anywhere, punctuation is literal.
        return Wildcard(token.text) if "*" in token.text or "?" in token.text else Term(token.text)

    def operand_follows(self, token: Token, name: str) -> None:
        if self.tok.kind not in _STARTS_UNARY:
            raise QuerySyntaxError(f"{name} needs a word or phrase after it", token.pos)

    def check_anchored(self, node: Node) -> None:
        if not is_anchored(node):
            culprit = _first_unanchored(node) or node
            raise QuerySyntaxError("NOT only excludes: combine it with a word to look for (a NOT b)",
                                   self.positions.get(id(culprit), 0))


def _word(text: str, pos: int) -> Term | Wildcard:
    if "*" in text or "?" in text:
        star = text.find("*")
        if star >= 0 and star != len(text) - 1:
            raise QuerySyntaxError("'*' is allowed only at the end of a word", pos + star)
        literal = text.replace("*", "").replace("?", "")
        bad = WORD_RE.sub("", literal)
        if bad:
            raise QuerySyntaxError("wildcards work on single words (letters and digits)", pos + text.find(bad[0]))
        if len(literal) < 2:
            raise QuerySyntaxError("a wildcard needs at least two letters or digits", pos)
        return Wildcard(text)
    if not WORD_RE.search(text):
        raise QuerySyntaxError(f"'{text}' has no letters or digits", pos)
    return Term(text)


def _flat(kind: type, children: list[Node]) -> Node:
    if len(children) == 1:
        return children[0]
    flat: list[Node] = []
    for child in children:
        flat.extend(child.children if isinstance(child, kind) else (child,))
    return kind(tuple(flat))


def _positional(node: Node) -> bool:
    if isinstance(node, Term | Wildcard | Phrase | Near):
        return True
    return isinstance(node, Or) and all(_positional(c) for c in node.children)


def _check_positional(node: Node, pos: int) -> None:
    if not _positional(node):
        raise QuerySyntaxError("NEAR works on words, phrases and (… OR …) groups of them", pos)


def is_anchored(node: Node) -> bool:
    """Tell whether ``node`` looks for something, rather than only excluding (a bare NOT matches nearly all)."""
    if isinstance(node, Not):
        return False
    if isinstance(node, And):
        return any(is_anchored(c) for c in node.children)
    if isinstance(node, Or):
        return all(is_anchored(c) for c in node.children)
    return True


def _first_unanchored(node: Node) -> Node | None:
    if isinstance(node, Not):
        return node
    if isinstance(node, Or):
        return next((_first_unanchored(c) for c in node.children if not is_anchored(c)), None)
    if isinstance(node, And) and not is_anchored(node):
        return _first_unanchored(node.children[0])
    return None
