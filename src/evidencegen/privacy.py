"""The privacy guard: personal data of real people found, reported by place, and redacted.

A portfolio must not identify the people in it (UK GDPR). Care workers paste from real
records without noticing, so every note is scanned before anything is written: e-mail
addresses, UK phone numbers, NHS numbers (with a valid check digit), National Insurance
numbers, postcodes, dates of birth, and the real names a learner lists under
``private_names``. Findings name the file, line and kind, never the data itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers

EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
NHS = re.compile(r"(?<![\d-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d-])")
NINO = re.compile(
    r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r" ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")
POSTCODE = re.compile(r"\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-HJKPSTUW\d]?) ?\d[ABD-HJLNP-UW-Z]{2}\b")
DOB = re.compile(
    r"\b(?:d\.?o\.?b\b\.?|date of birth\b|born on\b|born\b)[\s:,-]*"
    r"(?:\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}|\d{1,2}(?:st|nd|rd|th)? [A-Za-z]+ \d{4}"
    r"|[A-Za-z]+ \d{1,2}(?:st|nd|rd|th)?,? \d{4})",
    re.IGNORECASE)

LABELS = {
    "email": "an e-mail address", "phone": "a phone number", "nhs": "an NHS number",
    "nino": "a National Insurance number", "postcode": "a postcode",
    "dob": "a date of birth", "name": "a real name",
}
REDACTIONS = {
    "email": "[e-mail removed]", "phone": "[phone number removed]",
    "nhs": "[NHS number removed]", "nino": "[NI number removed]",
    "postcode": "[postcode removed]", "dob": "[date of birth removed]",
}


@dataclass(frozen=True)
class Finding:
    """Where personal data was found: never what it was."""

    kind: str
    path: str
    line: int

    @property
    def kind_label(self) -> str:
        return LABELS[self.kind]

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind_label}"


def nhs_valid(digits: str) -> bool:
    """The NHS number's modulus-11 check digit."""
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _phones(text: str) -> Iterable[tuple[int, int]]:
    for m in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
        raw = m.raw_string
        digits = re.sub(r"\D", "", raw)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.strip()):
            continue  # a date, not a number
        if (raw.startswith("0") or raw.startswith("+44")) and len(digits) >= 10:
            yield m.start, m.end


def _spans(text: str, names: dict[str, str]) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, replacement) for every finding, earliest first, no overlaps."""
    spans: list[tuple[int, int, str, str]] = []
    for m in EMAIL.finditer(text):
        spans.append((m.start(), m.end(), "email", REDACTIONS["email"]))
    for m in DOB.finditer(text):
        spans.append((m.start(), m.end(), "dob", REDACTIONS["dob"]))
    for m in NHS.finditer(text):
        if nhs_valid(m.group(1) + m.group(2) + m.group(3)):
            spans.append((m.start(), m.end(), "nhs", REDACTIONS["nhs"]))
    for start, end in _phones(text):
        spans.append((start, end, "phone", REDACTIONS["phone"]))
    for m in NINO.finditer(text):
        spans.append((m.start(), m.end(), "nino", REDACTIONS["nino"]))
    for m in POSTCODE.finditer(text):
        spans.append((m.start(), m.end(), "postcode", REDACTIONS["postcode"]))
    for real, pseudonym in names.items():
        for m in re.finditer(rf"\b{re.escape(real)}\b", text, re.IGNORECASE):
            spans.append((m.start(), m.end(), "name", pseudonym))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int, str, str]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


@dataclass(frozen=True)
class Guard:
    """Scans and redacts text; ``names`` maps each real name to its pseudonym."""

    names: dict[str, str]

    def redact(self, text: str, where: str, first_line: int = 1) -> tuple[str, list[Finding]]:
        spans = _spans(text, self.names)
        if not spans:
            return text, []
        out, last, findings = [], 0, []
        for start, end, kind, replacement in spans:
            line = first_line + text.count("\n", 0, start)
            findings.append(Finding(kind, where, line))
            out.append(text[last:start])
            # keep the line count: a redaction never swallows a line break
            out.append(replacement + "\n" * text.count("\n", start, end))
            last = end
        out.append(text[last:])
        return "".join(out), findings
