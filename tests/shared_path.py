"""Where ``../shared`` (fixtures and labeled data beside the repository) is."""
from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SUPERFAN_SHARED_DIR", REPO.parent / "shared"))
