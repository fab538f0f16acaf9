"""Word documents as notes: a learner's own .docx, or an evidencegen draft she edited in Word.

Learners write in Word, so a .docx in the folder is a note like any other: paragraphs,
headings and tables in document order, each cited by its paragraph number. A draft that
evidencegen made is read back by its structure, so that what she changed in Word counts:
each session record becomes a session again, with its date and mentee, and the template's
own wording (guidance, headings, the facts and signature tables) is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from evidencegen.errors import NoteError
from evidencegen.limits import NOTE, too_large
from evidencegen.models import Block, Note
from evidencegen.readers.common import Draft, date_from_name, finish_note, note_type
from evidencegen.readers.forms import read_form
from evidencegen.readers.wordxml import (
    Styles,
    TooMuchText,
    docx_manifest,
    heading_level,
    is_generated,
    open_docx,
    paragraphs,
    walk,
)
from evidencegen.schema import Decision
from evidencegen.structure import MERGED, Cell, Outline, body_references, make_block, split_header

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

_CITE = re.compile(r"\s*\[[^\[\]]+, line \d+\]\s*$")



def read_docx(path: Path, folder: Path, own_documents: bool = True) -> list[Note] | None:
    """The notes in one Word file (one note, or one per session for an evidencegen draft).

    A document evidencegen made gives None unless ``own_documents``: read as part of a
    folder, its own output would count the same evidence twice. A completed assessor form
    is the exception: it is the assessor's record, meant to be saved in the folder.
    """
    doc = open_docx(path)
    try:
        return _notes_of(doc, path, folder, own_documents)
    except TooMuchText:
        raise NoteError(too_large(NOTE, "the text of this Word file") + "; split it into "
                        "several notes", path) from None


def _notes_of(doc: DocxDocument, path: Path, folder: Path, own_documents: bool
              ) -> list[Note] | None:
    rel = path.relative_to(folder).as_posix()
    category = doc.core_properties.category or ""
    if category.startswith("evidencegen form: "):
        return read_form(doc, path, rel, category.removeprefix("evidencegen form: "))
    if is_generated(doc):
        return _read_draft(doc, path, rel) if own_documents else None
    blocks = _outline(doc)
    date = date_from_name(path)
    parts = path.relative_to(folder).parts
    title = next((b.text for b in blocks if b.kind == "heading"), path.stem)
    draft = Draft(note_type(parts), title, date, blocks=blocks,
                   references=body_references(blocks))
    return [finish_note(draft, path, rel, 0)]


def _outline(doc: DocxDocument) -> list[Block]:
    """A learner's own document as structured text, the same as a Markdown note: headings
    by style, bold-only paragraphs as pseudo-headings, list levels, and table cells under
    their column's header (the first row)."""
    out = Outline()
    tables: dict[int, dict[int, dict[int, Cell]]] = {}  # table → row → column → cell

    def flush() -> None:
        for index, rows in tables.items():
            grid = [[cols.get(c, (0, "")) for c in range(max(cols) + 1)]
                    for _, cols in sorted(rows.items())]
            header, body = split_header(grid)
            out.table(index, header, body)
        tables.clear()

    for p in paragraphs(doc):
        if p.in_table:
            cells = tables.setdefault(p.table, {}).setdefault(p.row_index, {})
            for c in p.continued:  # a merged cell above: context for this row, not a block
                cells.setdefault(c, (MERGED, p.row[c]))
            if p.column in cells:  # the cell's next paragraph, one line further on
                cells[p.column] = (cells[p.column][0], f"{cells[p.column][1]}\n{p.text}")
            else:
                cells[p.column] = (p.number, p.text)
            continue
        flush()
        if not p.text.strip():
            continue
        if p.heading:
            out.heading(p.text, p.number, p.heading)
        elif p.list_level:
            out.item(p.text, p.number, p.list_level, p.bold)
        else:
            out.paragraph(p.text, p.number, bold_only=p.bold)
    flush()
    return out.blocks


def _read_draft(doc: DocxDocument, path: Path, rel: str) -> list[Note]:
    """Read back an evidencegen draft by the ids it was made with (its manifest and
    bookmarks), never by the wording of its headings: each passage of her own text is a
    note again (a session keeps its date and mentee), and each quotation she may have
    edited outside those passages counts under the element it was quoted for."""
    import datetime as dt

    manifest = docx_manifest(doc)
    if manifest is None:  # a draft made before manifests: read as a document of her own
        return []
    ac = (manifest["criterion"],) if manifest.get("criterion") else ()
    regions: dict[str, Draft] = {}
    for entry in manifest.get("learner_text", []):
        try:
            date = dt.date.fromisoformat(entry.get("date") or "")
        except ValueError:
            date = None
        regions[entry["id"]] = Draft(entry.get("type") or "reflection",
                                      entry.get("title") or "", date,
                                      entry.get("mentee") or None, criteria=ac)
    reproduced = {e.get("file") for e in manifest.get("learner_text", [])}
    quotes = {e["id"]: e for e in manifest.get("evidence", [])
              if e.get("file") not in reproduced}
    lists = set(manifest.get("references", []))
    quoted = Draft("knowledge", "Quoted in the draft", criteria=ac) \
        if quotes or lists else None
    groups: dict[str, list[Block]] = {}
    styles = Styles()
    for number, paragraph, marks in walk(doc):
        text = _CITE.sub("", paragraph.text).strip()
        if not text:
            continue
        style = styles.paragraph(paragraph)
        region = next((regions[m] for m in sorted(marks) if m in regions), None)
        if region is not None:
            level = heading_level(style)
            region.blocks.append(make_block("heading" if level else "paragraph", text,
                                            number, **({"level": level} if level else {})))
            continue
        if quoted is not None and marks & lists:
            quoted.references.append(text)
            continue
        hit = next((quotes[m] for m in sorted(marks) if m in quotes), None)
        if hit is not None:
            key = hit.get("element_name") or "Comparing the models"
            groups.setdefault(key, []).append(make_block("paragraph", text, number))
    notes = list(regions.values())
    if quoted is not None:
        for name, blocks in groups.items():
            quoted.blocks.append(make_block("heading", name, blocks[0].line, level=1))
            quoted.blocks.extend(blocks)
        notes.append(quoted)
    return [finish_note(d, path, rel, i + 1) for i, d in enumerate(notes)
            if d.blocks or d.references]


@dataclass(frozen=True)
class DraftIdentity:
    name: str
    learner_id: str
    declared: bool


def draft_identity(path: Path) -> DraftIdentity | None:
    """Who an evidencegen draft belongs to, from its manifest (None: not a draft)."""
    doc = open_docx(path)
    if not is_generated(doc):
        return None
    manifest = docx_manifest(doc)
    if manifest is None or not manifest.get("learner_id"):
        return None
    name = manifest.get("learner_name") or doc.core_properties.author or ""
    return DraftIdentity(name, manifest["learner_id"], bool(manifest.get("declared")))


_DECISION = re.compile(r"^\s*(met|not[\s_-]*yet(?:\s+met)?)\b[\s:.,;\u2013\u2014-]*(.*)$",
                       re.IGNORECASE | re.DOTALL)


def comment_decisions(path: Path) -> dict[str, Decision]:
    """Assessor decisions written as Word comments on an evidencegen draft.

    A comment that starts with "met" or "not yet" is a decision for the draft's criterion,
    the rest of the comment its feedback; the latest such comment wins.
    """
    doc = open_docx(path)
    if not is_generated(doc):
        return {}
    criterion = (docx_manifest(doc) or {}).get("criterion")
    if not criterion:
        return {}
    found: list[tuple[object, Decision]] = []
    for comment in doc.comments:
        match = _DECISION.match(comment.text or "")
        if match is None:
            continue
        when = comment.timestamp
        verdict: Literal["met", "not_yet"] = \
            "met" if match.group(1).lower() == "met" else "not_yet"
        found.append((when or 0, Decision(
            decision=verdict, date=when.date() if when else None,
            assessor=comment.author or None, comments=match.group(2).strip() or None)))
    if not found:
        return {}
    found.sort(key=lambda pair: (pair[0] is not None and pair[0] != 0, str(pair[0])))
    return {criterion: found[-1][1]}
