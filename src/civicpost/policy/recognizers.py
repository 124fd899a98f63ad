"""Recognizers for personal data and named colleagues, in code (Presidio style).

Each recognizer returns spans with an explanation. Numbers only count when the library that
knows their format says they are valid: a nine-digit number failing the 11-check is not a BSN.
Expensive ones run only when a cheap prefilter (enough digits, an ``@``) fires.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

from civicpost.policy.analysis import Analysis
from civicpost.policy.normalize import normalise_term


@dataclass(frozen=True, slots=True)
class Recognized:
    """A recognised item: span, what it is and why (shown in the message)."""

    start: int
    end: int
    entity: str
    explanation: str
    strong: bool = True  # context supports it being personal data


Recognizer = Callable[[Analysis], list[Recognized]]
RECOGNIZERS: dict[str, Recognizer] = {}
# Per recognizer, the draft features (see ``features``) it finds nothing without.
RECOGNIZER_FEATURES: dict[str, frozenset[str]] = {}


def recognizer(
    name: str, needs: frozenset[str] | None = None
) -> Callable[[Recognizer], Recognizer]:
    def decorate(func: Recognizer) -> Recognizer:
        RECOGNIZERS[name] = func
        if needs is not None:
            RECOGNIZER_FEATURES[name] = needs
        return func

    return decorate


BSN = re.compile(
    r"(?<![\w.,/-])(\d{4}\.\d{2}\.\d{3}|\d{3}[. ]\d{3}[. ]\d{3}|\d{9})(?![\w/-]|[.,]\d)"
)
IBAN = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?!\w)", re.I)
EMAIL = re.compile(r"(?<![\w.+@-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?!\w)", re.I)
STREET_SUFFIXES = (
    "straat|laan|weg|plein|gracht|kade|singel|dijk|steeg|hof|pad|park|dreef|markt|veld|"
    "plantsoen|boulevard|allee|baan|erf|wal|straatweg|dam|haven|ring|burg|oord"
)
ADDRESS = re.compile(
    rf"\b[A-Z][a-zà-ÿ'-]+(?:{STREET_SUFFIXES})\s+\d{{1,4}}(?:[ -]?[a-zA-Z](?![a-zA-Z])|-\d+)?"
    r"(?:,?\s*[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b(?:\s+[A-Z][\w'-]+)?)?"
    r"|\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\s+[A-Z][a-z'-]{2,}"
)
CASE_NUMBER = re.compile(
    r"\b(?:zaak(?:nummer|nr\.?)|dossier(?:nummer|nr\.?)|kenmerk|case\s+(?:number|no\.?|ref\.?))"
    r"\s*:?\s*[A-Z]{0,4}[-/]?\d[\d/-]{3,}\d\b"
    r"|\bZ-\d{4}-\d{3,}\b"
    r"|\b(?:case|zaak|file|dossier|melding|report)\s+(?:nr\.?\s*|no\.?\s*)?(?:[A-Z]{2,5}-)?"
    r"\d{4}-\d{3,}(?:-[A-Z]{1,4})?\b",
    re.I,
)
# Every CASE_NUMBER match holds one of these (lower case).
_CASE_WORDS = ("zaak", "dossier", "kenmerk", "case", "z-", "file", "melding", "report")
# Role mailboxes of an organisation are not personal data.
ROLE_MAILBOXES = frozenset(
    [
        "info",
        "contact",
        "service",
        "helpdesk",
        "pers",
        "press",
        "persvoorlichting",
        "communicatie",
        "noreply",
        "no-reply",
        "klantenservice",
        "secretariaat",
        "webmaster",
        "post",
        "loket",
        "vragen",
        "questions",
        "privacy",
        "media",
        "redactie",
        "support",
        "servicedesk",
        "team",
        "hello",
        "hallo",
        "office",
        "inbox",
        "nieuws",
        "news",
        "woordvoering",
        "avg",
        "fg",
        "belastingen",
        "taxes",
        "vergunningen",
        "permits",
        "subsidies",
        "subsidie",
        "grants",
        "vacatures",
        "jobs",
        "werkenbij",
        "careers",
        "klachten",
        "complaints",
        "meldingen",
        "afval",
        "parkeren",
        "parking",
        "burgerzaken",
        "evenementen",
        "events",
        "receptie",
        "reception",
        "facturen",
        "invoices",
        "bezwaar",
        "woo",
        "opendata",
        "klantcontact",
        "publieksvoorlichting",
        "informatie",
        "enquiries",
    ]
)
SERVICE_CONTEXT = re.compile(
    r"(?:\bbel\b|\bbellen\b|\bcall\b|\btel\b\.?|telefoon|helpdesk|klantenservice|servicenummer|"
    r"informatienummer|bereikbaar|contact|hotline|phone|servicedesk|loket|ring)",
    re.I,
)
PERSONAL_CONTEXT = re.compile(r"\b(?:mij|me|mijn|zijn|haar|his|her|my)\b", re.I)
ADDRESS_CONTEXT = re.compile(
    r"\b(?:woont|wonen|woonde|woonadres|huisadres|thuisadres|adres van|adres voor|zijn adres|"
    r"haar adres|de man van|de vrouw van|het gezin van|bewoner van|bewoners van nummer|"
    r"lives at|home address|his address|her address|their address|address for|belongs to|"
    r"the man at|the woman at|the family at)\b",
    re.I,
)
# A named resident right after the address ("Kerkstraat 14, Mr de Groot").
ADDRESS_AFTER = re.compile(r"^[\s,.;:]{0,3}(?:mr|mrs|ms|meneer|mevrouw|dhr|mw|de heer)\b", re.I)
# The organisation's own account number ("t.n.v. Gemeente Zandhoven").
OWN_ACCOUNT_CONTEXT = re.compile(
    r"\b(?:t\.?n\.?v\.?|ten name van|in the name of|payable to)\s+(?:de\s+|het\s+|the\s+)?"
    r"(?:gemeente|provincie|waterschap|ministerie|rijksoverheid|belastingdienst|municipality|"
    r"province|ministry|water board|council)\b",
    re.I,
)
PERSON_NEAR_PHONE = re.compile(
    r"\b(?:collega|colleague|meneer|mevrouw|dhr|mw|mr|mrs|ms|zijn nummer|haar nummer|"
    r"his number|her number|privé|private|mobiel van|bel hem|bel haar|call him|call her|"
    # A named official's own line, or the resident's number the organisation calls back on.
    r"behandelaar|inspecteur|inspector|consulent|caseworker|contactpersoon|contact person|"
    r"call you|calls you|bellen u|belt u|bel je|belt je|your number|uw nummer|je nummer)\b",
    re.I,
)
PLATE = re.compile(
    r"(?<![\w-])(?=[A-Z0-9-]{8}(?![\w-]))(?=[A-Z0-9-]*[A-Z])(?=[A-Z0-9-]*\d)"
    r"(?:[A-Z]{1,3}|\d{1,3})-(?:[A-Z]{1,3}|\d{1,3})-(?:[A-Z]{1,3}|\d{1,3})(?![\w-])"
)
PLATE_CONTEXT = re.compile(
    r"\b(?:kenteken|nummerbord|auto|car|licen[cs]e plate|number plate|registration|busje|van)\b",
    re.I,
)
PERSONAL_PHONE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    phonenumbers.PhoneNumberType.VOIP,
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER,
    phonenumbers.PhoneNumberType.PAGER,
}


def compact(value: str) -> str:
    """Letters and digits only, upper case: how allow-listed numbers are compared."""
    return re.sub(r"[^0-9A-Za-z]", "", value).upper()


@recognizer("bsn", frozenset({"digit-run"}))
def find_bsn(analysis: Analysis) -> list[Recognized]:
    text = analysis.text
    if not analysis.has_digit_run():
        return []
    found = []
    for match in BSN.finditer(text):
        if stdnum_bsn.is_valid(match.group()):
            found.append(Recognized(*match.span(), "bsn", "BSN (passes the 11-check)"))
    return found


@recognizer("iban", frozenset({"digit-run"}))
def find_iban(analysis: Analysis) -> list[Recognized]:
    text = analysis.text
    if not analysis.has_digit_run():
        return []
    found = []
    for match in IBAN.finditer(text):
        if not stdnum_iban.is_valid(match.group()):
            continue
        around = text[max(0, match.start() - 40) : match.end() + 60]
        own = analysis.draft.account_kind == "organisational" and bool(
            OWN_ACCOUNT_CONTEXT.search(around)
        )
        found.append(Recognized(*match.span(), "iban", "IBAN (valid check digits)", not own))
    return found


# A necessary condition for a phone number worth reporting, tried before the (slow) matcher:
# nine digits or more, with at most four of the characters the matcher allows between two
# of them (its punctuation, a superset here). Every Dutch, Belgian and British number a person
# has takes nine digits at least: a trunk 0 and eight or more, or a country code and more.
PHONE_DIGITS = re.compile(
    r"\d(?:[\s\-x\u2010-\u2015\u2212\u30fc\uff0d-\uff0f\u00ad\u200b\u2060()\uff08\uff09"
    r"\uff3b\uff3d.\[\]/~\u2053\u223c\uff5e+\uff0b]{0,4}\d){8,}"
)


@recognizer("phone", frozenset({"digit-run"}))
def find_phone(analysis: Analysis) -> list[Recognized]:
    text = analysis.text
    if not analysis.has_digit_run() or PHONE_DIGITS.search(text) is None:
        return []
    found: list[Recognized] = []
    for match in phonenumbers.PhoneNumberMatcher(text, "NL"):
        number = match.number
        region = phonenumbers.region_code_for_number(number)
        if region not in ("NL", "BE", "GB", "GG", "JE", "IM"):
            continue
        number_type = phonenumbers.number_type(number)
        if number_type not in PERSONAL_PHONE_TYPES:
            continue  # toll-free, shared-cost and service numbers belong to organisations
        if stdnum_bsn.is_valid(compact(match.raw_string)):
            continue  # reported as a BSN instead
        # A fixed line is usually an office; only a mobile number is a person's by default.
        strong = number_type == phonenumbers.PhoneNumberType.MOBILE
        before = text[max(0, match.start - 40) : match.start]
        if strong and SERVICE_CONTEXT.search(before) and not PERSONAL_CONTEXT.search(before):
            near = text[max(0, match.start - 80) : match.start]
            named = PERSON_NEAR_PHONE.search(near)
            strong = analysis.draft.account_kind != "organisational" or bool(named)
        found.append(
            Recognized(match.start, match.end, "phone", f"phone number ({region})", strong)
        )
    return found


@recognizer("email", frozenset({"at-sign"}))
def find_email(analysis: Analysis) -> list[Recognized]:
    text = analysis.text
    if "@" not in text:
        return []
    found = []
    for match in EMAIL.finditer(text):
        local = match.group().split("@", 1)[0].lower()
        if local in ROLE_MAILBOXES:
            continue
        found.append(Recognized(*match.span(), "email", "e-mail address of a person"))
    return found


@recognizer("postal-address", frozenset({"digit"}))
def find_address(analysis: Analysis) -> list[Recognized]:
    text = analysis.text
    if not analysis.has_digit():
        return []
    found = []
    for match in ADDRESS.finditer(text):
        before = text[max(0, match.start() - 60) : match.start()]
        after = text[match.end() : match.end() + 20]
        strong = bool(ADDRESS_CONTEXT.search(before) or ADDRESS_AFTER.search(after))
        found.append(Recognized(*match.span(), "address", "postal address", strong))
    return found


@recognizer("case-number", frozenset({"digit"}))
def find_case_number(analysis: Analysis) -> list[Recognized]:
    text = analysis.text
    if not analysis.has_digit():
        return []
    if text.isascii() and not any(map(analysis.norm.text.__contains__, _CASE_WORDS)):
        # The case-insensitive scan is slow and rarely matches. In ASCII text case folding
        # is plain lower case, which the view keeps letter for letter (it only reads some
        # digits as letters), so a match needs one of these words in the view.
        return []
    return [Recognized(*m.span(), "case", "case number") for m in CASE_NUMBER.finditer(text)]


@recognizer("licence-plate", frozenset({"digit", "hyphen"}))
def find_licence_plate(analysis: Analysis) -> list[Recognized]:
    """Dutch licence plates (three groups, six letters and digits, e.g. GX-123-B)."""
    text = analysis.text
    if "-" not in text or not analysis.has_digit():
        return []
    found = []
    for match in PLATE.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()]
        strong = bool(PLATE_CONTEXT.search(before))
        found.append(Recognized(*match.span(), "plate", "licence plate", strong))
    return found


@recognizer("colleague-without-consent", frozenset({"unconsented-colleague"}))
def find_colleagues(analysis: Analysis) -> list[Recognized]:
    """Named colleagues (name, first name or handle) whose consent is not recorded."""
    return find_named_colleagues(analysis, with_consent=False)


def find_named_colleagues(analysis: Analysis, with_consent: bool) -> list[Recognized]:
    """Colleagues from the draft's context named in its text (all, or only without consent)."""
    found: list[Recognized] = []
    view = analysis.norm
    for colleague in analysis.draft.colleagues:
        if colleague.consent and not with_consent:
            continue
        for pattern in colleague_patterns(colleague.name, colleague.handle):
            spans = [view.to_original(*m.span()) for m in pattern.finditer(view.text)]
            if spans:
                label = colleague.name or colleague.handle
                found.extend(Recognized(s, e, "colleague", label) for s, e in spans)
                break  # one way of naming this colleague is enough
    return found


@lru_cache(maxsize=1024)
def colleague_patterns(name: str, handle: str) -> tuple[re.Pattern[str], ...]:
    """Patterns for the ways of naming a colleague, in order: full name, first name, handle.

    Drafts name the same colleagues again and again, so each is compiled once.
    """
    names = []
    if name.strip():
        full = normalise_term(name)
        names.append(full)
        first = full.split(" ")[0]
        if len(first) >= 3 and first != full:
            names.append(first)
    if handle.strip():
        names.append(normalise_term(handle))
    patterns = []
    for written in names:
        escaped = r"\s+".join(re.escape(part) for part in written.split(" "))
        patterns.append(re.compile(r"(?<![\w@])" + escaped + r"(?![\w])"))
    return tuple(patterns)
