"""Identifiers of real people: numbers, addresses and dates that point to one person.

Each finder returns (start, end, kind) spans over folded text (see ``folding``). The patterns
are written for how care workers copy them from records: any grouping of digits, any case,
a postcode or street after a house number, a date of birth in digits or in words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

Span = tuple[int, int, str]

EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
# ten digits in any grouping (spaces, dots, dashes); the check digit decides
NHS = re.compile(r"(?<![\w./-])\d(?:[ .-]?\d){9}(?!\w|[./:-]\d)")
# "NHS number ..." is one whatever its check digit says (a mistyped one is still personal)
NHS_LABELLED = re.compile(
    r"\bNHS\s*(?:number|no\.?|num\.?|#)\s*(?:is\s*)?[:#]?\s*(\d(?:[ .-]?\d){9})(?!\w)",
    re.IGNORECASE)
_NINO_PREFIX = r"(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
NINO = re.compile(rf"(?<![\w]){_NINO_PREFIX}(?:[ .-]?\d){{6}}[ .-]?[A-D](?!\w)")
NINO_ANY_CASE = re.compile(
    rf"(?<![\w])(?i:{_NINO_PREFIX}(?:\d{{6}}| \d\d \d\d \d\d )[A-D])(?!\w)")
POSTCODE = re.compile(r"\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-HJKPSTUW\d]?) ?\d[ABD-HJLNP-UW-Z]{2}\b")
HOSPITAL = re.compile(
    r"\b(?:hospital|hosp\.?|patient|MRN|medical\s+record|PAS|CHI|RX)"
    r"\s*(?:number|no\.?|num\.?|#|id)?\s*(?:is\s*)?[:#]?\s*"
    r"(?=[A-Z]{0,3}\s?\d)[A-Z]{0,3}\s?\d{5,10}(?!\w)", re.IGNORECASE)
_STREET = (r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Way|Court|Ct|Crescent|Cres"
           r"|Place|Pl|Grove|Gardens|Gdns|Terrace|Tce|Walk|Hill|Row|Square|Sq|Mews|Park|Rise"
           r"|View|Green|Parade|Vale|Boulevard|Wharf|Yard|Croft|Meadows?|Fields)\.?")
ADDRESS = re.compile(
    r"(?<!\w)(?:(?:Flat|Apartment|Apt\.?|Unit)\s+\d{1,4}[A-Za-z]?,?\s+)?"
    rf"\d{{1,4}}[A-Za-z]?(?:-\d{{1,4}})?,?\s+(?:[A-Z][\w'-]*\s+){{1,3}}{_STREET}(?!\w)")
FLAT = re.compile(r"(?<!\w)(?:Flat|Apartment|Apt\.?)\s+\d{1,4}[A-Za-z]?(?!\w)")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_ORDINAL_WORD = (r"(?:(?:twenty|thirty)[ -]?)?(?:first|second|third|fourth|fifth|sixth"
                 r"|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth"
                 r"|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth"
                 r"|thirtieth)")
_DAY = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?|{_ORDINAL_WORD})"
DOB = re.compile(
    r"\b(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth\b|birth\s?date\b|born(?:\s+on|\s+in)?\b)"
    r"[\s:,-]*(?:the\s+)?"
    r"(?:\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}"
    rf"|{_DAY}(?:\s+of)?\s+{_MONTH},?\s+\d{{4}}"
    rf"|{_MONTH}\s+(?:the\s+)?{_DAY},?\s+\d{{4}}"
    rf"|{_MONTH},?\s+\d{{4}})",
    re.IGNORECASE)

LABELS = {
    "email": "an e-mail address", "phone": "a phone number", "nhs": "an NHS number",
    "nino": "a National Insurance number", "postcode": "a postcode",
    "dob": "a date of birth", "address": "an address", "hospital": "a hospital number",
    "name": "a real name", "person": "a person's name that is not in private_names",
}
REDACTIONS = {
    "email": "[e-mail removed]", "phone": "[phone number removed]",
    "nhs": "[NHS number removed]", "nino": "[NI number removed]",
    "postcode": "[postcode removed]", "dob": "[date of birth removed]",
    "address": "[address removed]", "hospital": "[hospital number removed]",
    "person": "[name removed]",
}


def nhs_valid(digits: str) -> bool:
    """The NHS number's modulus-11 check digit."""
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _phones(text: str) -> Iterator[tuple[int, int]]:
    for m in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
        raw = m.raw_string
        digits = re.sub(r"\D", "", raw)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.strip()):
            continue  # a date, not a number
        bare = raw.lstrip("( ")
        if (bare.startswith(("0", "+44", "0044")) and 10 <= len(digits) <= 14):
            start = m.start
            # "(01632) 960 123": the matcher may leave the opening bracket outside
            if start > 0 and text[start - 1] == "(" and not raw.startswith("("):
                start -= 1
            yield start, m.end


def identifier_spans(text: str) -> list[Span]:
    """Every identifier in folded ``text``, overlapping spans included (resolved later)."""
    spans: list[Span] = [(m.start(), m.end(), "email") for m in EMAIL.finditer(text)]
    spans += [(m.start(), m.end(), "dob") for m in DOB.finditer(text)]
    spans += [(m.start(), m.end(), "hospital") for m in HOSPITAL.finditer(text)]
    spans += [(m.start(1), m.end(1), "nhs") for m in NHS_LABELLED.finditer(text)]
    spans += [(m.start(), m.end(), "nhs") for m in NHS.finditer(text)
              if nhs_valid(re.sub(r"\D", "", m.group()))]
    spans += [(s, e, "phone") for s, e in _phones(text)]
    spans += [(m.start(), m.end(), "nino") for m in NINO.finditer(text)]
    spans += [(m.start(), m.end(), "nino") for m in NINO_ANY_CASE.finditer(text)]
    spans += [(m.start(), m.end(), "address") for m in ADDRESS.finditer(text)]
    spans += [(m.start(), m.end(), "address") for m in FLAT.finditer(text)]
    spans += [(m.start(), m.end(), "postcode") for m in POSTCODE.finditer(text)]
    return spans
