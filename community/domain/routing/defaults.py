"""The default routing rules and value weights, from the product context (mission.md) and design.md."""
from __future__ import annotations

LEGAL_KEYWORDS = (
    "anwalt", "rechtsanwalt", "klage", "verklag*", "abmahnung", "verbraucherzentrale", "dsgvo", "datenschutz*",
    "datenleck", "personenbezogen*", "lawyer", "attorney", "lawsuit", "sue", "legal action", "gdpr",
    "data breach", "personal data", "privacy",
)

def default_rules(min_confidence: float = 0.35, influencer_reach: int = 50_000) -> list[dict]:
    """Return the default ``[[routing.rules]]`` tables, in evaluation order.

    Topic routes (payment → staff/billing, usage → community, …) come from the topic table; these rules add
    what the table cannot say: urgency, legal threats, doubt, reach, value.
    """
    return [
        {"name": "critical-urgency", "description": "Critical urgency always goes to staff.",
         "when": {"urgency": ["critical"]}, "then": {"target": "staff", "queue": "urgent", "priority": "critical"}},
        {"name": "legal-or-personal-data", "description": "Legal threats and personal data are for staff only.",
         "when": {"keywords": list(LEGAL_KEYWORDS)},
         "then": {"target": "staff", "queue": "legal", "priority": "high", "tags": ["sensitive"]}},
        {"name": "unsure-topic", "description": "Low topic confidence goes to the triage inbox instead of guessing.",
         "when": {"confidence_below": min_confidence}, "then": {"target": "triage", "queue": "triage"}},
        {"name": "cancellation-retention", "description": "Cancellation intent goes to trained retention agents.",
         "when": {"topic": ["cancellation"]},
         "then": {"target": "staff", "queue": "retention", "priority": "high", "skills": ["retention"]}},
        {"name": "staff-topic", "description": "Payment, shipping, returns, account, technical problems, defects: the topic table's staff queue.",
         "when": {"topic_route": ["staff"]}, "then": {"target": "topic"}},
        {"name": "influencer", "description": "Authors with a large reach are answered by staff.",
         "when": {"author_reach_at_least": influencer_reach},
         "then": {"target": "staff", "queue": "social", "priority": "high"}},
        {"name": "high-value", "description": "The top staff_share of items by value go to staff.",
         "when": {"high_value": True}, "then": {"target": "staff", "queue": "advisors"}},
        {"name": "likely-answered", "description": "A published KB article closely matches: the self-service queue, low priority.",
         "when": {"likely_answered": True},
         "then": {"target": "community", "queue": "self-service", "priority": "low", "tags": ["likely-answered"]}},
        {"name": "community-topic", "description": "Product use, tips, comparisons, gift ideas, discussion.",
         "when": {"topic_route": ["community"]}, "then": {"target": "topic"}},
        {"name": "default", "description": "Anything else goes to the community.",
         "when": {}, "then": {"target": "community", "queue": "community"}},
    ]


DEFAULT_TOPIC_WEIGHTS = {
    "comparison": 0.6, "recommendation": 0.6, "usage": 0.3, "praise": 0.2, "other": 0.2,
    "payment": 0.5, "shipping": 0.4, "returns": 0.4, "account": 0.3, "cancellation": 0.9,
    "technical": 0.4, "defect": 0.5,
}

INTENT_KEYWORDS = (
    "kauf*", "bestell*", "angebot", "preis", "rabatt", "geschenk", "lohnt sich", "upgrade",
    "buy", "buying", "purchase", "price", "deal", "discount", "gift", "worth it",
)
