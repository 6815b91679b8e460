"""Access to the wired services from inside a request."""
from __future__ import annotations

from flask import current_app


def services():
    """Return the Services object the app was created with."""
    return current_app.extensions["superfan"]
