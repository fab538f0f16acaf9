"""Completed observation and witness forms read back by the ids they were made with.

A form's manifest (see ``render.layout.manifest_of``) names its criterion, its kind and the
bookmark of each row of its facts table (``field-date``, ``field-mentee``...); the
observer's account is whatever lies in the ``sec-observed`` bookmark. So an assessor may
reword every label in Word, or a centre every label in templates/form.html.j2, and the
form still reads back. Forms made before the manifest named its fields are read by their
visible labels and title, as they were made.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from evidencegen.errors import NoteError
from evidencegen.models import Block, Note
from evidencegen.readers.common import Draft, finish_note
from evidencegen.readers.wordxml import (
    Styles,
    docx_manifest,
    heading_level,
    paragraphs,
    table_facts,
    walk,
)
from evidencegen.structure import make_block

OBSERVED = "sec-observed"  # the bookmark of the form's observed account
_DATE_FORMATS = ("%d %B %Y", "%Y-%m-%d", "%d/%m/%Y")
# forms made before their manifest named the fields: the labels they were made with
_OLD_LABELS = {"date": "Date of observation", "mentee": "Mentee (pseudonym)",
               "assessor-name": "Assessor", "witness-name": "Witness name",
               "witness-role": "Witness role"}
_OLD_SECTIONS = ("What the assessor observed", "What the witness saw")


def read_form(doc: Any, path: Path, rel: str, form: str) -> list[Note]:
    """A completed observation or witness form: the observer's account is the note."""
    manifest = docx_manifest(doc) or {}
    if manifest.get("fields"):
        facts = _facts_by_id(doc, manifest["fields"])
        criterion: str = manifest.get("criterion") or ""
        form = manifest.get("form") or form
        blocks = _account_by_id(doc)
    else:
        facts, criterion, blocks = _by_labels(doc)
    kind = form if form in ("observation", "witness") else "observation"
    title = doc.core_properties.title or ""
    mentee = facts.get("mentee", "").split(",")[0].strip() or None
    draft = Draft(kind, title, _date(facts.get("date", ""), path), mentee,
                  (criterion,) if criterion else (), blocks)
    note = finish_note(draft, path, rel, 0)
    role: str | None = "Assessor"
    if kind == "observation":
        author = facts.get("assessor-name")
    else:
        author, role = facts.get("witness-name"), facts.get("witness-role") or None
    return [replace(note, author_name=author or None, author_role=role)] if blocks else []


def _date(when: str, path: Path) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(when, fmt).date()
        except ValueError:
            continue
    if when:
        raise NoteError(f"the date of observation '{when}' is not a date like 22 September "
                        "2026", path)
    return None


def _facts_by_id(doc: Any, fields: dict[str, str]) -> dict[str, str]:
    """Each field's value: the text of its row's cells after the one holding its bookmark."""
    from docx.oxml.ns import qn

    field_of = {bookmark: name for name, bookmark in fields.items()}
    facts: dict[str, str] = {}
    for start in doc.element.body.iter(qn("w:bookmarkStart")):
        name = field_of.get(start.get(qn("w:name")))
        if name is None or name in facts:
            continue
        row = next(start.iterancestors(qn("w:tr")), None)
        label = next(start.iterancestors(qn("w:tc")), None)
        if row is None or label is None:
            continue
        cells = row.findall(qn("w:tc"))
        after = cells[cells.index(label) + 1:] if label in cells else []
        facts[name] = "\n".join(_cell_text(c) for c in after).strip()
    return facts


def _cell_text(cell: Any) -> str:
    from docx.oxml.ns import qn

    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t")))
                     for p in cell.iter(qn("w:p"))).strip()


def _account_by_id(doc: Any) -> list[Block]:
    """The observer's paragraphs: everything in the observed section but its heading."""
    styles = Styles()
    blocks: list[Block] = []
    for number, paragraph, marks in walk(doc):
        text = paragraph.text
        if OBSERVED in marks and text.strip() and not heading_level(styles.paragraph(paragraph)):
            blocks.append(make_block("paragraph", text, number))
    return blocks


def _by_labels(doc: Any) -> tuple[dict[str, str], str, list[Block]]:
    """A form made before ids: facts by the first table's labels, the criterion from the
    title (" AC 5.2"), the account under its heading."""
    title = doc.core_properties.title or ""
    criterion = re.search(r" AC (\d+\.\d+)$", title)
    table = {k: v.strip() for k, v in
             (table_facts(doc.tables[0]) if doc.tables else {}).items()}
    facts = {name: table[label] for name, label in _OLD_LABELS.items() if label in table}
    blocks: list[Block] = []
    section = ""
    for p in paragraphs(doc):
        if p.style == "Heading 1":
            section = p.text
        elif section in _OLD_SECTIONS and p.text.strip() and not p.in_table:
            blocks.append(make_block("paragraph", p.text, p.number))
    return facts, criterion.group(1) if criterion else "", blocks
