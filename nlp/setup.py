"""Build the classifier from settings: the trained model when present, keyword rules otherwise."""
from __future__ import annotations

import logging

from community.domain.topics import KeywordClassifier
from nlp.classifier import ClassifierOptions, SpacyClassifier
from nlp.models import model_exists

log = logging.getLogger(__name__)


def options_from_settings(nlp_settings) -> ClassifierOptions:
    """Return classifier options from the ``[nlp]`` settings section."""
    return ClassifierOptions(topic_min_confidence=nlp_settings.topic_min_confidence,
                             rules_override_below=nlp_settings.rules_override_below,
                             sentiment_min_confidence=nlp_settings.sentiment_min_confidence,
                             strong_negative=nlp_settings.strong_negative,
                             reach_threshold=nlp_settings.author_reach_threshold,
                             engagement_threshold=nlp_settings.engagement_threshold)


def topic_keywords(settings) -> dict[str, list[str]]:
    """Return topic → keyword rules from ``settings.topics``, in taxonomy order."""
    return {name: list(topic.keywords) for name, topic in settings.topics.items()}


def load_classifier(settings, kind: str | None = None) -> SpacyClassifier:
    """Load the configured trained model with brands, keyword rules and options; FileNotFoundError if missing."""
    return SpacyClassifier.load(settings.models_path, kind=kind or settings.nlp.model, brands=settings.brands,
                                topics=topic_keywords(settings), options=options_from_settings(settings.nlp))


def classifier_from_settings(settings):
    """Return the SpacyClassifier when enabled and trained, else the keyword-rule classifier (logged)."""
    if settings.nlp.use_model and model_exists(settings.models_path, settings.nlp.model):
        return load_classifier(settings)
    if settings.nlp.use_model:
        log.warning("no trained %s model of the current format in %s: using keyword rules (run `superfan train`)",
                    settings.nlp.model, settings.models_path)
    return KeywordClassifier(topic_keywords(settings))
