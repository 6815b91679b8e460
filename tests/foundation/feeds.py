"""Small RSS documents for the foundation tests (German and English mentions of the demo brand)."""
from __future__ import annotations

from html import escape


def rss(items: list[tuple[str, str, str]], lang: str = "de") -> str:
    """Return an RSS 2.0 document; items are (guid, title, body)."""
    entries = "".join(
        f"<item><title>{escape(title)}</title><link>https://forum.example/t/{guid}</link>"
        f"<guid>{guid}</guid><author>fan{guid}</author><pubDate>Wed, 25 Nov 2026 10:00:00 +0000</pubDate>"
        f"<description>{escape(body)}</description></item>"
        for guid, title, body in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Forum</title>'
            f"<link>https://forum.example</link><language>{lang}</language>{entries}</channel></rss>")


ITEMS = [
    ("1", "Doppelt abgebucht", "Kolibri hat meine Bestellung zweimal per Lastschrift abgebucht."),
    ("2", "Pulse Watch Ziffernblatt", "Wie kann ich bei der Pulse Watch das Ziffernblatt einstellen?"),
    ("3", "Geschenk für Papa", "Lohnt sich die Aero Buds als Geschenk für meinen Vater?"),
    ("4", "Urlaubsfotos", "Heute am Strand gewesen, war schön."),  # no brand: not a mention
]
