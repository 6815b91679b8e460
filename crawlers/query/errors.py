"""The error a malformed listening query raises, pointing at the offending character."""
from __future__ import annotations

from community.domain.errors import ValidationError


class QuerySyntaxError(ValidationError):
    """A listening query that cannot be parsed; ``position`` is the 0-based character offset."""

    def __init__(self, message: str, position: int, query: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.query = query

    def with_query(self, query: str) -> QuerySyntaxError:
        """Return the same error, knowing the query text it points into."""
        return QuerySyntaxError(self.message, self.position, query)

    def caret(self) -> str:
        """Return the query with a ``^`` under the error position (one line each)."""
        line = self.query.replace("\n", " ").replace("\t", " ")
        return f"{line}\n{' ' * self.position}^"

    def __str__(self) -> str:
        head = f"{self.message} (at position {self.position})"
        return f"{head}\n{self.caret()}" if self.query else head
