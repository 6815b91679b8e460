"""Settings of the NLP pipeline (issue: understanding mentions)."""
from __future__ import annotations

from pydantic import Field

from superfan.settings.base import Section


class NlpSettings(Section):
    models_dir: str = Field("models", description="Directory (under data_dir unless absolute) where trained models are kept.")
    use_model: bool = Field(True, description="Use the trained spaCy models when present; keyword rules only otherwise.")
