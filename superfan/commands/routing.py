"""CLI commands of the routing area."""
from __future__ import annotations

commands: list = []
