"""CLI commands of the nlp area."""
from __future__ import annotations

commands: list = []
