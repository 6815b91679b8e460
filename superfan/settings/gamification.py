"""Settings of the super-user programme: points, badges, ranks, rewards (issue: gamification)."""
from __future__ import annotations

from pydantic import Field

from superfan.settings.base import Section


class GamificationSettings(Section):
    answer_points: int = Field(10, ge=0, description="Points for an answer.")
