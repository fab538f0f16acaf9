"""Word documents as notes: a learner's own .docx, or an evidencegen draft she edited in Word.

Learners write in Word, so a .docx in the folder is a note like any other: paragraphs,
headings and tables in document order, each cited by its paragraph number. A draft that
evidencegen made is read back by its structure, so that what she changed in Word counts:
each session record becomes a session again, with its date and mentee, and the template's
own wording (guidance, headings, the facts and signature tables) is left out.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from evidencegen.errors import NoteError
from evidencegen.readers import Note, _note_type, blocks_html, date_from_name
from evidencegen.schema import Decision
from evidencegen.structure import (
    Block,
    Cell,
    Outline,
    body_references,
    make_block,
    split_header,
)
from evidencegen.text import word_count

MAX_DOCX_BYTES = 50 * 1024 * 1024
OUTPUT_MARK = "evidencegen-output"  # the content status of every Word file evidencegen writes
_CITE = re.compile(r"\s*\[[^\[\]]+, line \d+\]\s*$")
_SESSION_HEAD = re.compile(r"^(\d{1,2} [A-Z][a-z]+ \d{4})(?: with (.+))?$")
_DATED_HEAD = re.compile(r"^(Observation|Witness)(?:, (\d{1,2} [A-Z][a-z]+ \d{4}))?$")
_SKIP_STYLES = {"Guidance", "Meta", "Placeholder", "Fill In", "Title", "Header", "Footer"}
_SKIP_SECTIONS = {"Evidence map", "Still missing", "Authenticity declaration",
                  "Assessor decision", "Notes mapped to this criterion"}


@dataclass
class _Para:
    number: int
    text: str
    style: str
    in_table: bool
    row: list[str] = field(default_factory=list)  # the row's cells, for table paragraphs
    column: int = 0
    heading: int = 0  # Heading n, Title: n (Title: 1)
    list_level: int = 0  # list items: 1 = top
    bold: bool = False  # every run with text is bold
    table: int = -1  # table paragraphs: the table's index and the row's
    row_index: int = 0


def _heading_level(style: str) -> int:
    if style == "Title":
        return 1
    if not style.startswith("Heading"):
        return 0
    digits = style.removeprefix("Heading").strip()
    return min(int(digits), 6) if digits.isdigit() and int(digits) else 1


def _list_level(paragraph, style: str) -> int:
    """Word's list items: numbering on the paragraph (its level), or a List style."""
    ppr = paragraph._p.pPr
    num = ppr.numPr if ppr is not None else None
    if num is not None and num.numId is not None and num.numId.val != 0:
        return (num.ilvl.val if num.ilvl is not None else 0) + 1
    if style.startswith(("List Bullet", "List Number")):
        digits = style.split()[-1]
        return int(digits) if digits.isdigit() else 1
    return 0


def _bold(run) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    return bool(run.style is not None and run.style.font.bold)


def _all_bold(paragraph) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    return bool(runs) and all(_bold(r) for r in runs)


def _paragraphs(doc) -> Iterator[_Para]:
    """Every paragraph in document order, table cells included, numbered from 1."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    number = 0
    tables = 0
    for item in doc.iter_inner_content():
        if isinstance(item, Paragraph):
            number += 1
            style = item.style.name if item.style else ""
            level = _heading_level(style)
            yield _Para(number, item.text, style, False, heading=level,
                        list_level=0 if level else _list_level(item, style),
                        bold=_all_bold(item))
        elif isinstance(item, Table):
            for r, row in enumerate(item.rows):
                cells = row.cells
                texts = [c.text for c in cells]
                for col, cell in enumerate(cells):
                    if col and cell._tc is cells[col - 1]._tc:
                        continue  # a merged cell repeats
                    for p in cell.paragraphs:
                        number += 1
                        yield _Para(number, p.text, p.style.name if p.style else "", True,
                                    texts, col, table=tables, row_index=r)
            tables += 1


def _open(path: Path):
    import docx

    try:
        if path.stat().st_size > MAX_DOCX_BYTES:
            raise NoteError("this Word file is larger than 50 MB", path)
        with zipfile.ZipFile(path) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
        if unpacked > 4 * MAX_DOCX_BYTES:
            raise NoteError("this Word file unpacks to more than 200 MB; refused", path)
        return docx.Document(str(path))
    except NoteError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise NoteError(f"cannot open this as a Word document ({type(exc).__name__}); "
                        "save it again from Word as .docx", path) from None
    except Exception as exc:  # lxml and python-docx raise many kinds on a broken file
        raise NoteError(f"cannot read this Word document: {exc}", path) from None


@dataclass
class _Draft:
    """A note being assembled from a stretch of a document."""

    type: str
    title: str
    date: object = None
    mentee: str | None = None
    criteria: tuple[str, ...] = ()
    blocks: list[Block] = field(default_factory=list)
    references: list[str] = field(default_factory=list)


def _finish(d: _Draft, path: Path, rel: str, index: int) -> Note:
    return Note(
        path=path, rel=f"{rel}#{index}" if index else rel, type=d.type, title=d.title,
        date=d.date, mentee=d.mentee, duration=None, mode=None, criteria=d.criteria,
        criteria_line=1, author_name=None, author_role=None, references=tuple(d.references),
        blocks=tuple(d.blocks), html=blocks_html(d.blocks),
        words=sum(word_count(b.text) for b in d.blocks if b.kind != "heading"))


def _long_date(text: str, path: Path):
    import datetime as dt

    try:
        return dt.datetime.strptime(text, "%d %B %Y").date()
    except ValueError:
        raise NoteError(f"'{text}' in a heading is not a date like 14 April 2026", path) from None


def _is_generated(doc) -> bool:
    """Made by evidencegen: its marker, or (drafts made before the marker) its generator."""
    props = doc.core_properties
    return props.content_status == OUTPUT_MARK or (props.comments or "").startswith(
        "evidencegen")


def read_docx(path: Path, folder: Path, own_documents: bool = True) -> list[Note] | None:
    """The notes in one Word file (one note, or one per session for an evidencegen draft).

    A document evidencegen made gives None unless ``own_documents``: read as part of a
    folder, its own output would count the same evidence twice. A completed assessor form
    is the exception: it is the assessor's record, meant to be saved in the folder.
    """
    doc = _open(path)
    rel = path.relative_to(folder).as_posix()
    category = doc.core_properties.category or ""
    if category.startswith("evidencegen form: "):
        return _read_form(doc, path, rel, category.removeprefix("evidencegen form: "))
    if _is_generated(doc):
        return _read_draft(doc, path, rel) if own_documents else None
    blocks = _outline(doc)
    date = date_from_name(path)
    parts = path.relative_to(folder).parts
    title = next((b.text for b in blocks if b.kind == "heading"), path.stem)
    draft = _Draft(_note_type(parts), title, date, blocks=blocks,
                   references=body_references(blocks))
    return [_finish(draft, path, rel, 0)]


def _outline(doc) -> list[Block]:
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

    for p in _paragraphs(doc):
        if p.in_table:
            cells = tables.setdefault(p.table, {}).setdefault(p.row_index, {})
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


def _read_form(doc, path: Path, rel: str, form: str) -> list[Note]:
    """A completed observation or witness form: the observer's account is the note."""
    import datetime as dt

    title = doc.core_properties.title or ""
    criterion = re.search(r" AC (\d+\.\d+)$", title)
    facts = {row.cells[0].text: row.cells[-1].text.strip() for row in doc.tables[0].rows}
    date = None
    when = facts.get("Date of observation", "")
    for fmt in ("%d %B %Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            date = dt.datetime.strptime(when, fmt).date()
            break
        except ValueError:
            continue
    if when and date is None:
        raise NoteError(f"the date of observation '{when}' is not a date like 22 September "
                        "2026", path)
    blocks: list[Block] = []
    section = ""
    for p in _paragraphs(doc):
        if p.style == "Heading 1":
            section = p.text
        elif section in ("What the assessor observed", "What the witness saw") and \
                p.text.strip() and not p.in_table:
            blocks.append(make_block("paragraph", p.text, p.number))
    mentee = facts.get("Mentee (pseudonym)", "").split(",")[0].strip() or None
    draft = _Draft(form if form in ("observation", "witness") else "observation", title, date,
                   mentee, (criterion.group(1),) if criterion else (), blocks)
    note = _finish(draft, path, rel, 0)
    author = facts.get("Assessor") if form == "observation" else facts.get("Witness name")
    role = "Assessor" if form == "observation" else (facts.get("Witness role") or None)
    return [replace(note, author_name=author or None, author_role=role)] if blocks else []


def _read_draft(doc, path: Path, rel: str) -> list[Note]:
    """Read back an evidencegen draft by its headings and tables."""
    criterion = re.match(r"^(\d+\.\d+) ", doc.core_properties.title.split(" AC ")[-1] or "")
    ac = (criterion.group(1),) if criterion else ()
    notes: list[_Draft] = []
    section = ""
    current: _Draft | None = None
    models: _Draft | None = None
    for p in _paragraphs(doc):
        text = _CITE.sub("", p.text).strip()
        if p.style == "Heading 1":
            section, current = text, None
            if section in ("Comparison of models", "How the models compare", "References"):
                if models is None:
                    models = _Draft("knowledge", "Models of mentoring", criteria=ac)
                    notes.append(models)
                current = models
                if section == "How the models compare":
                    models.blocks.append(make_block("heading", "Comparing the models", p.number,
                                                     level=1))
            elif section not in _SKIP_SECTIONS and section not in (
                    "Session records", "Observation and witness evidence", "Reflection"):
                current = _Draft("reflection", section, criteria=ac)
                notes.append(current)
            continue
        if section in _SKIP_SECTIONS or p.style in _SKIP_STYLES or not text:
            continue
        if p.style == "Heading 2":
            if section == "Session records" and (m := _SESSION_HEAD.match(text)):
                current = _Draft("session", text, _long_date(m.group(1), path), m.group(2),
                                 criteria=ac)
            elif section == "Observation and witness evidence" and (m := _DATED_HEAD.match(text)):
                date = _long_date(m.group(2), path) if m.group(2) else None
                current = _Draft(m.group(1).lower(), text, date, criteria=ac)
            else:
                current = _Draft("reflection", text, criteria=ac)
            notes.append(current)
            continue
        if current is None:
            continue
        if current is models and p.in_table:
            if p.column == 0:  # the model's name starts its own heading
                if p.row and p.row[0] == p.text:
                    models.blocks.append(make_block("heading", text, p.number, level=1))
                continue
            if text == "\u2013" or p.row[0] == "Model":
                continue
            models.blocks.append(make_block("paragraph", text, p.number))
        elif section == "References" and current is models:
            models.references.append(text)
        elif not p.in_table:
            if p.heading:
                current.blocks.append(make_block("heading", text, p.number, level=p.heading))
            else:
                current.blocks.append(make_block("paragraph", text, p.number))
    return [_finish(d, path, rel, i + 1) for i, d in enumerate(notes) if d.blocks or d.references]


@dataclass(frozen=True)
class DraftIdentity:
    name: str
    learner_id: str
    declared: bool


def draft_identity(path: Path) -> DraftIdentity | None:
    """Who an evidencegen draft belongs to, from its heading table (None: not a draft)."""
    doc = _open(path)
    if not _is_generated(doc) or not doc.tables:
        return None
    facts = {row.cells[0].text: row.cells[-1].text for row in doc.tables[0].rows}
    declared = any(p.text.startswith("Declaration recorded") for p in doc.paragraphs)
    if "Learner" not in facts or "Learner ID" not in facts:
        return None
    return DraftIdentity(facts["Learner"], facts["Learner ID"], declared)


_DECISION = re.compile(r"^\s*(met|not[\s_-]*yet(?:\s+met)?)\b[\s:.,;\u2013\u2014-]*(.*)$",
                       re.IGNORECASE | re.DOTALL)


def comment_decisions(path: Path) -> dict[str, Decision]:
    """Assessor decisions written as Word comments on an evidencegen draft.

    A comment that starts with "met" or "not yet" is a decision for the draft's criterion,
    the rest of the comment its feedback; the latest such comment wins.
    """
    doc = _open(path)
    if not _is_generated(doc):
        return {}
    m = re.search(r" AC (\d+\.\d+)", doc.core_properties.title or "")
    if m is None:
        return {}
    found: list[tuple[object, Decision]] = []
    for comment in doc.comments:
        match = _DECISION.match(comment.text or "")
        if match is None:
            continue
        when = comment.timestamp
        verdict = "met" if match.group(1).lower() == "met" else "not_yet"
        found.append((when or 0, Decision(
            decision=verdict, date=when.date() if when else None,
            assessor=comment.author or None, comments=match.group(2).strip() or None)))
    if not found:
        return {}
    found.sort(key=lambda pair: (pair[0] is not None and pair[0] != 0, str(pair[0])))
    return {m.group(1): found[-1][1]}
