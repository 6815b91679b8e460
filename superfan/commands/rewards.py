"""CLI commands of the rewards area."""
from __future__ import annotations

commands: list = []
