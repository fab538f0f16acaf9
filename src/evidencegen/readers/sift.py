"""Which notes count: an empty note or an untouched starter example counts for nothing, and
each mentee is spelled one way throughout.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from pathlib import Path

from evidencegen.inputs import (
    NO_TEXT,
    STARTER,
    Decoded,
    InputWarning,
    scan,
)
from evidencegen.models import Note
from evidencegen.readers.dispatch import read_any


def mentee_key(name: str) -> str:
    """Mentee names compare without case or spacing: "mentee  b" is "Mentee B"."""
    return " ".join(name.split()).casefold()


def mentee_spellings(listed: Iterable[str], used: Iterable[str | None]) -> dict[str, str]:
    """How each mentee is shown: as learner.yaml spells her, else as first written."""
    spelling: dict[str, str] = {}
    for name in [*listed, *(u for u in used if u)]:
        spelling.setdefault(mentee_key(name), " ".join(name.split()))
    return spelling


def text_key(texts: Iterable[str]) -> str:
    """A digest of a note's text (block by block, spacing normalised), to recognise it."""
    joined = "\n".join(" ".join(t.split()) for t in texts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def _starter_dir() -> Path | None:
    here = Path(__file__).parent.parent / "starter"
    if here.is_dir():
        return here
    from evidencegen.resources import packaged_dir

    try:
        return packaged_dir("starter")
    except FileNotFoundError:
        return None


@cache


def starter_keys() -> frozenset[str]:
    """Digests of the example notes 'evidencegen init' writes, from the shipped files
    themselves, so editing an example never needs a list updated by hand."""
    folder = _starter_dir()
    if folder is None:
        return frozenset()
    return frozenset(text_key(b.text for b in n.blocks)
                     for path in scan(folder)[0] for n in read_any(path, folder) or ())


def sift(rel: str, found: tuple[Note, ...]) -> tuple[list[Note], list[InputWarning]]:
    """The notes that count; a note with no text, or still the example, counts for nothing
    (and is not a dated session either)."""
    kept: list[Note] = []
    warnings: list[InputWarning] = []
    for n in found:
        if text_key(b.text for b in n.blocks) in starter_keys():
            warnings.append(InputWarning(rel, None, STARTER))
        elif n.words == 0:
            warnings.append(InputWarning(rel, None, NO_TEXT))
        else:
            kept.append(n)
        if said := Decoded("", n.encoding).warning:
            warnings.append(InputWarning(rel, None, said))
    if not found:
        warnings.append(InputWarning(rel, None, NO_TEXT))
    return kept, list(dict.fromkeys(warnings))


def same_mentees(notes: Iterable[Note], listed: Iterable[str]
                  ) -> tuple[tuple[Note, ...], tuple[str, ...]]:
    """Notes and mentees with one spelling per mentee (learner.yaml's, else the first seen):
    "mentee b" and "Mentee  B" are the same person."""
    notes, listed = tuple(notes), tuple(listed)
    spelling = mentee_spellings(listed, (n.mentee for n in notes))
    same = tuple(replace(n, mentee=spelling[mentee_key(n.mentee)])
                 if n.mentee and spelling[mentee_key(n.mentee)] != n.mentee else n
                 for n in notes)
    return same, tuple(dict.fromkeys(spelling[mentee_key(m)] for m in listed))
