"""Platform accounts: create users with hashed passwords and check logins."""
from __future__ import annotations

import re
from typing import Protocol

from community.domain.errors import Conflict, ValidationError
from community.domain.model import Role, User
from community.ports import UnitOfWork

NAME = re.compile(r"^[A-Za-z0-9_.-]{2,80}$")


class PasswordHasher(Protocol):
    """Hashes and verifies passwords (salted, slow)."""

    def hash(self, password: str) -> str: ...
    def verify(self, stored: str, password: str) -> bool: ...


def add_user(uow: UnitOfWork, user: User, password: str, hasher: PasswordHasher) -> User:
    """Create a user; the name must be new and the password at least 8 characters."""
    if not NAME.match(user.name):
        raise ValidationError("a user name is 2–80 letters, digits, '_', '.' or '-'")
    if len(password) < 8:
        raise ValidationError("a password needs at least 8 characters")
    if uow.users.by_name(user.name) is not None:
        raise Conflict(f"user {user.name!r} exists already")
    user.role = Role(user.role)
    uow.users.add(user, hasher.hash(password))
    return user


def authenticate(uow: UnitOfWork, name: str, password: str, hasher: PasswordHasher) -> User | None:
    """Return the active user whose name and password match, else None."""
    stored = uow.users.password_hash(name)
    if stored is None or not hasher.verify(stored, password):
        return None
    user = uow.users.by_name(name)
    return user if user and user.active else None
