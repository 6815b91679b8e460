"""CLI commands of the kb area."""
from __future__ import annotations

commands: list = []
