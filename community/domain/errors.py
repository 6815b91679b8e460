"""One error tree for the domain; each edge translates it once (HTTP status, log line, CLI message)."""


class SuperfanError(Exception):
    """Root of every error the domain raises on purpose."""


class ValidationError(SuperfanError):
    """Input that breaks a rule of the domain (a bad value, a malformed query)."""


class NotFound(SuperfanError):
    """A referenced entity does not exist."""


class Forbidden(SuperfanError):
    """The acting user may not do this."""


class InvalidTransition(SuperfanError):
    """A thread cannot move from its current state by this action (HTTP 409 on the web)."""


class Conflict(SuperfanError):
    """Someone else got there first (a claim already held, a stale version)."""


class ChannelError(SuperfanError):
    """The source where the question was asked refused or failed to take the answer."""
