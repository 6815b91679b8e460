"""The base every settings section derives from: frozen, unknown keys rejected, help text on each field."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    """A frozen settings section; every field must carry a ``description`` (a test checks it)."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)
