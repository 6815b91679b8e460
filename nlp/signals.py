"""Explainable urgency signals: German and English vocabulary for outages, safety, legal threats, churn and
repeated contact, matched on folded text (lower case, no accents, so "Störung" = "storung")."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import chain

from nlp.regex_starts import required_texts, word_starts

# Each pattern is a regular expression over folded text; "\b" anchors keep "brand" out of "brandneu".
LEXICONS: dict[str, tuple[str, ...]] = {
    "outage": (
        r"\bausfall", r"\bausgefallen", r"\bfall(t|en) .{0,20}\baus\b", r"\bstorung", r"\bgestort\b",
        r"\bgeht (gar )?nichts mehr", r"\bnicht erreichbar", r"\bserver .{0,15}(down|weg)\b",
        r"\boutage", r"\b(is|are|app|server|service|site|servers|everything) .{0,10}\bdown\b", r"\bnot loading",
        r"\bnothing works", r"\bcompletely broken", r"\bkomplett (tot|kaputt)",
        r"\blahm", r"\bserverprobleme", r"\bserver unavailable", r"\bcloud .{0,10}\bdown\b", r"[a-z]down\b",
        r"\bnicht mehr in die cloud", r"\boffline\b",
    ),
    "safety": (
        r"\buberhitz", r"\bbrennt\b", r"\bbrand(geruch|gefahr|loch)?\b", r"\brauch\b", r"\bqualm", r"\bgequalmt",
        r"\baufgeblaht", r"\bexplodier", r"\bstromschlag", r"\bverbrannt", r"\bverbrennung", r"\bgeschmolzen",
        r"\bfunken", r"\bverletz", r"\bgefahrlich", r"\bkokelt", r"\bschmorgeruch", r"\bzu heiss\b",
        r"\boverheat", r"\bswollen", r"\bswelling", r"\bsmok(e|ing)\b", r"\bfire\b", r"\bon fire\b", r"\bflames?\b",
        r"\bburn(s|t|ed|ing)?\b", r"\bexplod", r"\belectric shock", r"\bshocked me", r"\bmelt(ed|ing)\b",
        r"\bsparks?\b", r"\bsparked", r"\binjur", r"\bdangerous", r"\bhazard", r"\bburning smell",
        r"\btoo hot to touch", r"\bunsafe\b", r"\brecall\b", r"\bruckruf", r"\bnotruf", r"\bemergency",
        r"\bsafety.critical", r"\bsicherheitsrisiko", r"\blebensgefahr",
        r"\b(so|gluhend|extrem|brutal|sehr|richtig) heiss", r"\bheiss geworden", r"\bgezischt", r"\bbrandblase",
        r"\bbrandverletz", r"\bnotfall", r"\bstalking", r"\bcan be tracked",
        # swelling batteries in every conjugation ("bläht sich"), hearing damage
        r"\bblah(t|en)\b", r"\bgeblaht", r"\bgehorschad", r"\btinnitus", r"\bohren(pfeifen|schmerz|klingeln)",
        r"\bhearing (damage|loss)", r"\bears? (are )?(ringing|hurt)",
    ),
    "security": (
        r"\bdatenleck", r"\bdatenschutz(verstoss|aufsicht|behorde|beauftragt)", r"\bdsgvo\b", r"\bgehackt",
        r"\bhack(ed|er)?\b", r"\bphishing", r"\bleak(ed)?\b", r"\bdata (breach|leak|protection authority)",
        r"\bbreach\b", r"\bidentity theft", r"\bidentitatsdiebstahl", r"\bhijack", r"\bcompromised\b",
        r"\bunauthori[sz]ed", r"\bnicht autorisiert", r"\bfremde[nr]? (daten|person|wohnung|kunden)",
        r"\bother people.s (names|data|orders)", r"\bsomeone (logged|else|opened|controls)", r"\baufsichtsbehorde",
        r"\beingeloggt aus", r"\blogged in from",
        r"\bsecurity (bug|problem|issue|hole|flaw)", r"\bsicherheits(lucke|problem)", r"\bplain ?text",
        r"\bklartext", r"\bunverschlusselt", r"\bunencrypted", r"\bwithout auth", r"\bdatabreach",
        r"\bsomeone (has been|used|changed|is using)", r"\bjemand .{0,40}(eingeloggt|angemeldet)",
        r"\bfull card number",
        # doors and locks that open for the wrong person; vulnerabilities
        r"\b(tur|turen|haustur|wohnungstur|schloss|turschloss|garagentor|door|doors|lock|smart lock)\b.{0,40}"
        r"\b(entsperr\w*|geoffnet|offen|open(s|ed)?|unlock(s|ed)?)\b",
        r"\b(entsperrt|unlock(s|ed)) .{0,30}\b(tur|haustur|schloss|door|lock)\b", r"\bgaragentor", r"\bgarage door",
        r"\bvulnerab", r"\b(is|are) at risk\b",
    ),
    "legal": (
        r"\banwalt", r"\banwaltin", r"\brechtsanwalt", r"\bverbraucherzentrale", r"\banzeige\b", r"\banzeigen\b",
        r"\bbetrug", r"\bbetruger", r"\babzocke", r"\brechtliche schritte", r"\bklage\b", r"\bverklag",
        r"\bpolizei", r"\bruckbuchung", r"\bchargeback", r"\blawyer", r"\battorney", r"\bscam", r"\bfraud",
        r"\blegal action", r"\bsue\b", r"\bsuing\b", r"\bsmall claims", r"\bconsumer protection",
        r"\btrading standards", r"\bbbb\b", r"\bdispute (the|this|it)\b", r"\bstrafanzeige", r"\bsammelklage",
        r"\bkanzlei", r"\brechtsabteilung", r"\bletzte frist", r"\blegal (proceedings|team|steps)", r"\bpolice\b",
        r"\bclass action", r"\bmy client\b", r"\bzivilrechtlich",
        r"\bgericht\b", r"\brechtsschutz", r"\b(going|go|gehe) (to the press|zur presse)", r"\bfull disclosure",
    ),
    "churn": (
        r"\bkundig", r"\bkundigung", r"\bnie wieder\b", r"\bwechsle (zu|zur)", r"\bzur konkurrenz",
        r"\bvertrag .{0,20}beenden", r"\bcancel", r"\bnever again", r"\bnever buying", r"\bswitching to",
        r"\bdone with (you|kolibri|this)", r"\bunsubscrib", r"\bclose my account", r"\bdelete my account",
        r"\bkonto (loschen|schliessen)",
    ),
    "repeated_contact": (
        r"\bzum (zweiten|dritten|vierten|funften|x-ten|x ten|wiederholten|\d+\.?) mal",
        r"\bseit (tagen|wochen|monaten|\d+ (tagen|wochen|monaten))", r"\bimmer noch (keine|nicht|kein)",
        r"\bnoch immer (keine|nicht|kein)", r"\bkeine (antwort|reaktion|ruckmeldung)", r"\bschon (wieder|mehrfach)",
        r"\bmehrmals (angerufen|geschrieben)", r"\bstill (no|not|waiting|nothing)", r"\b(second|third|fourth|fifth|\d+(st|nd|rd|th)) time",
        r"\bfor (days|weeks|months)", r"\b\d+ (days|weeks) (now|later|and)", r"\bno (answer|reply|response)",
        r"\bagain and again", r"\bmultiple times", r"\bseveral times", r"\bnobody (answers|replies|responds)",
        r"\bignor(ed|ing) (me|my)",
    ),
    "mass_impact": (
        r"\b(tausende|hunderte|tausenden|hunderten)\b", r"\bdeutschlandweit", r"\balle kunden", r"\bbei vielen\b",
        r"\bviele[nr]? (im|in|andere|leute|nutzer|kunden)\b", r"\beveryone\b", r"\ba lot of us\b",
        r"\bwidespread", r"\bwhole timeline", r"\b\d+\+? (people|orders|leute|kunden|bestellungen)\b",
    ),
    "money_loss": (
        r"\bcharged .{0,20}\b\d+ ?(times|x)\b", r"\b\d+ ?x (abgebucht|belastet|charged)",
        r"\b(\d+|drei|vier|funf|zehn)(mal| mal| ?x) (abgebucht|belastet)", r"\bkonto (ist )?(jetzt )?(leer|im dispo|im minus)",
        r"\baccount is empty", r"\bcard (limit is gone|was frozen|is frozen|has been frozen)",
    ),
    "immediacy": (
        r"\bsofort\b", r"\bdringend", r"\burgent", r"\bimmediately", r"\bright now\b", r"\basap\b",
    ),
}
STRONG = frozenset({"safety", "security", "legal", "outage"})
SIGNAL_POINTS = {"safety": 35, "security": 30, "legal": 25, "outage": 20, "money_loss": 15, "mass_impact": 12,
                 "immediacy": 6, "churn": 10, "repeated_contact": 12,
                 "strong_negative": 6, "shouting": 4, "author_reach": 10, "engagement": 8}
_SHOUT = re.compile(r"\b[A-ZÄÖÜ]{4,}\b")
_CAPITALS = re.compile(r"[A-ZÄÖÜ]{4}")


class _Lexicons:
    """The lexicons' patterns, each filed under the word openings its matches can begin with.

    A pattern is searched only when a word of the text opens with one of those strings (patterns whose openings
    cannot be told, ``\\d``…, always) and the text holds one of the plain texts every match contains: that rules
    out almost every pattern of almost every text, with the same outcome as searching them all.
    """

    def __init__(self, lexicons: Mapping[str, Sequence[str]]) -> None:
        self.by_opening: dict[str, list[tuple[str, str | tuple[str, ...], re.Pattern]]] = {}
        # (name, the text every match has or the texts a match has one of, pattern)
        self.always: list[tuple[str, str | tuple[str, ...], re.Pattern]] = []
        for name, patterns in lexicons.items():
            for pattern in patterns:
                needed = required_texts(pattern)
                entry = (name, needed[0] if len(needed) == 1 else needed, re.compile(pattern))
                found = word_starts(pattern, OPENING)
                if found is None:
                    self.always.append(entry)
                for opening in found or ():
                    self.by_opening.setdefault(opening, []).append(entry)

    def fired(self, folded: str) -> set[str]:
        """Return the names of the lexicons with a pattern that matches the folded text."""
        has, fired = folded.__contains__, set()
        openings = set(_WORD_OPENING.findall(folded)) & self.by_opening.keys()
        for name, needed, pattern in chain(self.always, *map(self.by_opening.__getitem__, openings)):
            if (name not in fired and (needed in folded if needed.__class__ is str else any(map(has, needed)))
                    and pattern.search(folded)):
                fired.add(name)
        return fired


OPENING = 3  # patterns are filed under the first three characters of their matches
_WORD_OPENING = re.compile(rf"\b(?=(\w.{{0,{OPENING - 1}}}))", re.S)


@lru_cache(maxsize=1)
def _compiled() -> _Lexicons:
    return _Lexicons(LEXICONS)


def text_signals(folded: str, original: str) -> list[str]:
    """Return the vocabulary signals that fire in a text (``folded`` by ``normalise_text``)."""
    fired = _compiled().fired(folded)
    fired = [name for name in LEXICONS if name in fired] if fired else []
    # Two shouted words need four capitals in a row somewhere: that plain scan rules out almost every text.
    if "!!!" in original or (not original.islower() and _CAPITALS.search(original, 0, 2000) is not None
                             and len(_SHOUT.findall(original[:2000])) >= 2):
        fired.append("shouting")
    return fired


def context_signals(extra: dict, reach_threshold: int, engagement_threshold: int) -> list[str]:
    """Return the author-reach and thread-engagement signals from a post's ``extra`` dict."""
    fired = []
    try:
        if float(extra.get("author_reach") or 0) >= reach_threshold:
            fired.append("author_reach")
        if float(extra.get("engagement") or 0) >= engagement_threshold:
            fired.append("engagement")
    except (TypeError, ValueError):
        pass
    return fired
