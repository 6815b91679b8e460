"""Mask personal data (emails, phone numbers, IBANs, order and account numbers) before text becomes public."""
from __future__ import annotations

import re

# Order matters: an IBAN or an email contains digits a phone pattern would also take.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    (re.compile(r"https?://\S+"), "[link]"),
    (re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b"), "[iban]"),
    (re.compile(r"(?<![\w+])(?:\+|00)\d{1,3}[\s/.-]?(?:\(0\)[\s/.-]?)?\d(?:[\s/.-]?\d){5,13}\b"), "[phone]"),
    (re.compile(r"(?<!\w)0\d{2,5}[\s/.-]?\d(?:[\s/.-]?\d){4,10}\b"), "[phone]"),
    (re.compile(r"#?\b(?=[A-Z0-9-]*\d)[A-Z]{0,4}-?\d[\dA-Z-]{5,}\b"), "[number]"),
)


def mask_personal_data(text: str) -> str:
    """Replace emails, links, phone numbers, IBANs and long order/account numbers with placeholders."""
    for pattern, placeholder in _PATTERNS:
        text = pattern.sub(placeholder, text)
    return text
