"""Settings of the NLP pipeline (issue: understanding mentions)."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from superfan.settings.base import Section


class NlpSettings(Section):
    models_dir: str = Field("models", description="Directory (under data_dir unless absolute) where trained models are kept.")
    use_model: bool = Field(True, description="Use the trained spaCy models when present; keyword rules only otherwise.")
    model: Literal["fast", "accurate"] = Field(
        "accurate", description="Which trained model reads mentions: 'fast' (word bag) or 'accurate' (word + character n-grams).")
    topic_min_confidence: float = Field(
        0.0, ge=0, le=1, description="Below this model confidence the topic is 'other' (keyword rules still apply); 0 = off.")
    rules_override_below: float = Field(
        0.4, ge=0, le=1.01, description="A keyword rule replaces the model's topic when the model is less confident than "
        "this (1.0: rules always win); otherwise the rule's topic is added as a 'rule:<topic>' tag.")
    sentiment_min_confidence: float = Field(
        0.5, ge=0, le=1, description="Below this confidence the sentiment is reported as neutral.")
    strong_negative: float = Field(
        0.85, ge=0, le=1, description="Negative-sentiment probability from which 'strong_negative' counts as an urgency signal.")
    author_reach_threshold: int = Field(
        10_000, ge=0, description="Followers (RawPost.extra['author_reach']) from which 'author_reach' raises urgency.")
    engagement_threshold: int = Field(
        50, ge=0, description="Replies/likes (RawPost.extra['engagement']) from which 'engagement' raises urgency.")
    use_shared_data: bool = Field(
        True, description="Let `superfan train` read ../shared when present: Banking77 texts as extra English topic "
        "examples (nlp.training.BANKING77_PER_INTENT per intent), GermEval 2017 to evaluate German sentiment only.")
