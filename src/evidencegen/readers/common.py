"""Pieces every note reader shares: front matter, a note's type from its folder, dates
from file names, titles, HTML for notes that are not Markdown, and a note assembled from a
stretch of a Word document.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from evidencegen.errors import NoteError
from evidencegen.models import Block, Note
from evidencegen.schema import FrontMatter, parse_date
from evidencegen.text import word_count

_FOLDER_TYPES = {
    "session": "session", "sessions": "session",
    "observation": "observation", "observations": "observation",
    "witness": "witness", "witnesses": "witness", "testimony": "witness",
    "testimonies": "witness",
    "reflection": "reflection", "reflections": "reflection",
    "knowledge": "knowledge", "reading": "knowledge", "research": "knowledge",
}
_DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def split_front_matter(text: str, path: Path) -> tuple[str | None, str, int]:
    """Return (front matter text or None, body, number of lines before the body)."""
    if path.suffix.lower() not in {".md", ".markdown"} or not text.startswith("---\n"):
        return None, text, 0
    lines = text.split("\n")
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 1
    raise NoteError(
        "the front matter that starts with --- on line 1 has no closing --- line", path, 1
    )


_BARE_REDACTION = re.compile(r"^(\s*(?:[\w-]+\s*:|-)\s+)(\[[^\]\n]*removed\][^\n]*)$",
                             re.MULTILINE)


def yaml_safe(front_matter: str) -> str:
    """A value that now starts with "[... removed]" is quoted, so YAML reads it as text."""
    return _BARE_REDACTION.sub(lambda m: m.group(1) + '"' + m.group(2).replace('"', "'") + '"',
                               front_matter)


def note_type(rel_parts: tuple[str, ...]) -> str:
    for folder in reversed(rel_parts[:-1]):
        kind = _FOLDER_TYPES.get(folder.lower())
        if kind:
            return kind
    return "reflection"


def blocks_html(blocks: Iterable[Block]) -> Markup:
    """HTML for notes that are not Markdown (text, Word): escaped paragraphs and headings."""
    return Markup("".join(
        f'<h4 class="note-heading">{escape(b.text)}</h4>\n' if b.kind == "heading"
        else f"<p>{escape(b.text)}</p>\n" for b in blocks))


def date_from_name(path: Path) -> dt.date | None:
    """The date a file name starts with (2026-09-03-catch-up.md), or None."""
    m = _DATED_NAME.match(path.name)
    if m is None:
        return None
    try:
        return parse_date(m.group(1))
    except ValueError as exc:
        raise NoteError(f"the date in this file's name: {exc}", path) from None


def note_title(fm: FrontMatter | None, blocks: list[Block], path: Path) -> str:
    if fm is not None and fm.title:
        return fm.title
    heading = next((b.text for b in blocks if b.kind == "heading"), None)
    if heading:
        return heading
    stem = _DATED_NAME.sub("", path.stem).strip("-_ ") or path.stem
    return stem.replace("-", " ").replace("_", " ").capitalize()


@dataclass
class Draft:
    """A note being assembled from a stretch of a document."""

    type: str
    title: str
    date: dt.date | None = None
    mentee: str | None = None
    criteria: tuple[str, ...] = ()
    blocks: list[Block] = field(default_factory=list)
    references: list[str] = field(default_factory=list)


def finish_note(d: Draft, path: Path, rel: str, index: int) -> Note:
    return Note(
        path=path, rel=f"{rel}#{index}" if index else rel, type=d.type, title=d.title,
        date=d.date, mentee=d.mentee, duration=None, mode=None, criteria=d.criteria,
        criteria_line=1, author_name=None, author_role=None, references=tuple(d.references),
        blocks=tuple(d.blocks), html=blocks_html(d.blocks),
        words=sum(word_count(b.text) for b in d.blocks if b.kind != "heading"))

