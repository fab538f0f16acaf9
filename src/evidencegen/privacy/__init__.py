"""The privacy guard: real people and their identifiers found, reported by place, redacted.

A portfolio must not identify the people in it (UK GDPR). Care workers paste from real
records without noticing, so every piece of text is scanned as it is read, before anything
else sees it: e-mail addresses, UK phone numbers, NHS numbers (any grouping, valid check
digit), hospital numbers, National Insurance numbers, addresses and postcodes, dates of
birth, the real names a learner lists under ``private_names`` (however they are written)
and the names of other people the English model recognises. Findings name the file, line
and kind, never the data itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from evidencegen.privacy.folding import fold
from evidencegen.privacy.identifiers import LABELS, REDACTIONS, identifier_spans, nhs_valid
from evidencegen.privacy.names import Form, forms, name_spans, vocabulary

__all__ = ["LABELS", "REDACTIONS", "Finding", "Guard", "nhs_valid", "words_of"]


@dataclass(frozen=True)
class Finding:
    """Where personal data was found: never what it was. Line 0: in the file's name."""

    kind: str
    path: str
    line: int

    @property
    def kind_label(self) -> str:
        return LABELS[self.kind]

    @property
    def place(self) -> str:
        return f"{self.path}:{self.line}" if self.line else f"{self.path} (the file's name)"

    def __str__(self) -> str:
        return f"{self.place}: {self.kind_label}"


def words_of(*texts: str | None) -> frozenset[str]:
    """The casefolded words of some names, for ``Guard.keep``."""
    return frozenset(w.casefold() for t in texts if t
                     for w in re.findall(r"[\w'-]+", fold(t).text) if len(w) > 1)


@dataclass(frozen=True)
class Guard:
    """Scans and redacts text.

    ``names`` maps each listed real name to its pseudonym. ``keep`` holds words that never
    make an unlisted name (the learner's own, mentees', assessor's, centre's, witnesses').
    With ``people``, ``discover`` asks the English model for unlisted people.
    """

    names: Mapping[str, str]
    keep: frozenset[str] = frozenset()
    people: bool = True
    found: tuple[str, ...] = ()  # unlisted people ``discover`` found
    person_words: frozenset[str] = field(default=frozenset())

    @cached_property
    def _forms(self) -> list[Form]:
        ordinary = vocabulary().ordinary
        listed = [f for real, alias in self.names.items()
                  for f in forms(real, alias, "name", ordinary)]
        unlisted = [f for name in self.found
                    for f in forms(name, REDACTIONS["person"], "person", ordinary, exact=True,
                                   keep=self.keep)]
        return listed + unlisted

    def discover(self, texts: Sequence[str]) -> Guard:
        """This guard, also removing the unlisted people named in ``texts``."""
        if not self.people or not any(t.strip() for t in texts):
            return self
        from evidencegen.privacy.people import find_people

        keep = self.keep | words_of(*self.names, *self.names.values())
        ordinary = vocabulary().ordinary
        probe = frozenset(w for w in words_of(*self.names) if w in ordinary)
        found = find_people([fold(t).text for t in texts], keep, probe)
        if not found.names and not found.person_words:
            return self
        return replace(self, found=tuple(dict.fromkeys((*self.found, *found.names))),
                       person_words=self.person_words | found.person_words)

    def spans(self, text: str, file_name: bool = False) -> list[tuple[int, int, str, str]]:
        """(start, end, kind, replacement) over the original ``text``, earliest first."""
        folded = fold(text)
        plain = folded.text
        if file_name:  # "2026-04-01-margaret_hughes.md": words apart, same length
            plain = re.sub(r"[-_.]", " ", plain)
        found = [(s, e, k, REDACTIONS[k]) for s, e, k in identifier_spans(plain)]
        found += name_spans(plain, self._forms, self.person_words, vocabulary().places)
        found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        kept: list[tuple[int, int, str, str]] = []
        for start, end, kind, repl in found:
            if not kept or start >= kept[-1][1]:
                kept.append((*folded.original(start, end), kind, repl))
        return kept

    def redact(self, text: str, where: str, first_line: int = 1) -> tuple[str, list[Finding]]:
        """The text with every finding replaced, and the findings by line."""
        spans = self.spans(text)
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

    def clean(self, text: str, file_name: bool = False) -> str:
        """The text redacted, without findings (text already reported elsewhere)."""
        if file_name:
            return self.redact_path(text)[0]
        return self.redact(text, "")[0]

    def redact_path(self, rel: str) -> tuple[str, list[Finding]]:
        """A folder-relative path with names and identifiers taken out of every part."""
        parts, findings = [], []
        for part in rel.split("/"):
            spans = self.spans(part, file_name=True)
            out, last = [], 0
            for start, end, kind, replacement in spans:
                out += [part[last:start], replacement]
                last = end
                findings.append(kind)
            parts.append("".join(out) + part[last:])
        clean = "/".join(parts)
        return clean, [Finding(kind, clean, 0) for kind in findings]

