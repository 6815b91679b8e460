"""Password hashing with Werkzeug's salted scrypt."""
from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash


class WerkzeugHasher:
    """Salted scrypt hashes (Werkzeug's default); ``method`` picks another Werkzeug method or cost."""

    def __init__(self, method: str = "scrypt") -> None:
        self.method = method

    def hash(self, password: str) -> str:
        """Return a salted hash of the password."""
        return generate_password_hash(password, method=self.method)

    def verify(self, stored: str, password: str) -> bool:
        """Tell whether the password matches the stored hash."""
        return check_password_hash(stored, password)
