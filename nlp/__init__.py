"""Superfan NLP: language, topic, urgency, sentiment and entities (implements the Classifier port)."""
