"""CLI commands of the listening area."""
from __future__ import annotations

commands: list = []
