"""Settings of the knowledge base (issue: knowledge base and search)."""
from __future__ import annotations

from pydantic import Field

from superfan.settings.base import Section


class KbSettings(Section):
    suggestions: int = Field(5, ge=1, le=20, description="How many articles are suggested while someone writes an answer.")
