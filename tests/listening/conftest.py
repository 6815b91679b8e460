"""Fixtures of the listening tests: a local HTTP server and paths to recorded responses."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.listening.localserver import LocalServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


@pytest.fixture
def web():
    """Start a local HTTP server on 127.0.0.1 with an ephemeral port."""
    with LocalServer() as server:
        yield server
