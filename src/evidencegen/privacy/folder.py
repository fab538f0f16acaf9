"""The guard for one learner folder, or for a draft checked on its own.

Who may be named is known before any note is read: the learner, her assessor, centre and
employer, the mentees learner.yaml lists and every ``mentee:`` and witness ``author:``
written in a note's front matter (pseudonyms and signatories, not people to remove).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from evidencegen.privacy import Guard, words_of

if TYPE_CHECKING:
    from evidencegen.schema import LearnerFile

_FRONT_MATTER_PEOPLE = re.compile(
    r"^(?:mentee|author)[ \t]*:[ \t]*(\S.*)$|^[ \t]+name[ \t]*:[ \t]*(\S.*)$", re.MULTILINE)
NEARBY_LEVELS = 3  # how far up from a draft to look for learner folders beside it
NEARBY_FOLDERS = 200  # at most this many learner folders are read for their private names


def declared_people(paths: Iterable[Path]) -> list[str]:
    """The mentee and author names written in the front matter of Markdown notes."""
    found: list[str] = []
    for path in paths:
        if path.suffix.lower() not in {".md", ".markdown"}:
            continue
        try:
            with path.open(encoding="utf-8", errors="replace") as fh:
                head = fh.read(4096)
        except OSError:
            continue
        if not head.startswith("---"):
            continue
        end = re.search(r"^(?:---|\.\.\.)\s*$", head[3:], re.MULTILINE)
        front = head[3:3 + end.start()] if end else head
        for m in _FRONT_MATTER_PEOPLE.finditer(front):
            value = (m.group(1) or m.group(2) or "").strip().strip("\"'{}")
            found.append(re.sub(r"\b(?:name|role)\s*:.*", "", value).strip(" ,"))
    return found


def learner_guard(info: LearnerFile, paths: Iterable[Path] = ()) -> Guard:
    """The guard for a learner folder: her private names, and who may be named."""
    keep = words_of(info.name, info.assessor, info.centre, info.employer, *info.mentees,
                    *declared_people(paths))
    return Guard(dict(info.private_names), keep=keep)


def nearby_guard(draft: Path, own_name: str | None = None) -> Guard:
    """The guard for a draft outside any learner folder.

    Identifiers and unlisted people are always looked for; the private names of learner
    folders beside the draft (or beside a folder it sits in, up to ``NEARBY_LEVELS`` up)
    are applied too, so a draft saved next to the portfolio it came from is still covered.
    """
    from evidencegen.errors import EvidencegenError
    from evidencegen.inputs import read_learner_file

    names: dict[str, str] = {}
    keep: set[str] = set(words_of(own_name))
    for level, folder in enumerate(draft.parents):
        if level >= NEARBY_LEVELS:
            break
        try:
            homes = [d for d in folder.iterdir()
                     if d.is_dir() and not d.name.startswith((".", "~$"))
                     and (d / "learner.yaml").is_file()][:NEARBY_FOLDERS]
        except OSError:
            continue
        for home in homes:
            try:
                info = read_learner_file(home)
            except EvidencegenError:
                continue  # a broken neighbour is not this draft's problem
            names.update(info.private_names)
            keep |= words_of(info.name, info.assessor, info.centre, *info.mentees)
        if homes:
            break
    return Guard(names, keep=frozenset(keep))
