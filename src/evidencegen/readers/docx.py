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
from evidencegen.limits import DOCUMENT, NOTE, check_zip, too_large
from evidencegen.readers import Note, _note_type, blocks_html, date_from_name
from evidencegen.schema import Decision
from evidencegen.structure import (
    MERGED,
    Block,
    Cell,
    Outline,
    body_references,
    make_block,
    split_header,
)
from evidencegen.text import word_count

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
    continued: tuple[int, ...] = ()  # the row's columns that continue a merged cell above


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


class _Styles:
    """Style names by style id, looked up once each: python-docx searches the styles part
    for every paragraph and run, which grows with styles x paragraphs."""

    def __init__(self) -> None:
        self._names: dict[tuple[str, str | None], str] = {}
        self._bold: dict[str | None, bool] = {}

    def paragraph(self, paragraph) -> str:
        ppr = paragraph._p.pPr
        key = ("p", ppr.style if ppr is not None else None)
        if key not in self._names:
            style = paragraph.style
            self._names[key] = style.name if style is not None and style.name else ""
        return self._names[key]

    def bold(self, run) -> bool:
        if run.bold is not None:
            return bool(run.bold)
        rpr = run._r.rPr
        key = rpr.style if rpr is not None else None
        if key not in self._bold:
            self._bold[key] = bool(run.style is not None and run.style.font.bold)
        return self._bold[key]

    def all_bold(self, paragraph) -> bool:
        runs = [r for r in paragraph.runs if r.text.strip()]
        return bool(runs) and all(self.bold(r) for r in runs)


MAX_COLUMNS = 64  # Word allows 63 columns; a cell claiming to span a million is not a table


def table_rows(table) -> Iterator[list[tuple[object, bool]]]:
    """Each row's cells as (cell element, continues the cell above), one per grid column.

    A cell spanning columns repeats; a vertically merged cell ("continue") is the cell it
    continues. Found in one pass: python-docx walks up the rows for every merged cell (time
    growing with rows squared, and a recursion that a tall merge overflows).
    """
    above: dict[int, object] = {}  # grid column → the cell element holding its content
    for tr in table._tbl.tr_lst:
        col = min(tr.grid_before, MAX_COLUMNS)
        row: list[tuple[object, bool]] = []
        for tc in tr.tc_lst:
            span = max(1, min(tc.grid_span, MAX_COLUMNS))
            owner = above.get(col) if tc.vMerge == "continue" else None
            if owner is None:
                owner = tc
                for c in range(col, col + span):
                    above[c] = tc
            row.extend([(owner, owner is not tc)] * span)
            col += span
        yield row


class _Texts:
    """Each cell's paragraphs and text, made once however often merges repeat the cell."""

    def __init__(self, table) -> None:
        self.table = table
        # keyed by the element's id, the element kept alive in the entry so that its id is
        # never reused by another cell's element
        self._cache: dict[int, tuple[object, list, str]] = {}

    def paragraphs(self, tc) -> list:
        return self._get(tc)[1]

    def text(self, tc) -> str:
        return self._get(tc)[2]

    def _get(self, tc) -> tuple[object, list, str]:
        from docx.table import _Cell

        key = id(tc)
        if key not in self._cache:
            paragraphs = _Cell(tc, self.table).paragraphs
            self._cache[key] = (tc, paragraphs, "\n".join(p.text for p in paragraphs))
        return self._cache[key]


def table_facts(table) -> dict[str, str]:
    """A two-column facts table (label, value) as a mapping, read in one pass."""
    texts = _Texts(table)
    facts: dict[str, str] = {}
    for row in table_rows(table):
        if row:
            facts[texts.text(row[0][0])] = texts.text(row[-1][0])
    return facts


def _paragraphs(doc) -> Iterator[_Para]:
    """Every paragraph in document order, table cells included, numbered from 1.

    A merged cell's paragraphs come once, where the cell starts; the rows it continues into
    carry its text in ``row`` (for context) but not its paragraphs again.
    """
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    styles = _Styles()
    number = chars = 0
    tables = 0
    limit = NOTE.bytes()
    for item in doc.iter_inner_content():
        if isinstance(item, Paragraph):
            number += 1
            chars += len(item.text)
            style = styles.paragraph(item)
            level = _heading_level(style)
            yield _Para(number, item.text, style, False, heading=level,
                        list_level=0 if level else _list_level(item, style),
                        bold=styles.all_bold(item))
        elif isinstance(item, Table):
            texts = _Texts(item)
            for r, row in enumerate(table_rows(item)):
                row_texts = [texts.text(tc) for tc, _ in row]
                merged = tuple(c for c, (_, cont) in enumerate(row) if cont)
                for col, (tc, continued) in enumerate(row):
                    if continued or (col and tc is row[col - 1][0]):
                        continue  # a merged cell: read where it starts
                    for p in texts.paragraphs(tc):
                        number += 1
                        chars += len(p.text)
                        yield _Para(number, p.text, styles.paragraph(p), True,
                                    row_texts, col, table=tables, row_index=r,
                                    continued=merged)
            tables += 1
        if chars > limit:
            raise _TooMuchText


class _TooMuchText(Exception):
    """The document's text passed the note size limit (turned into a NoteError)."""


def _open(path: Path):
    """The Word document, once its size and every part inflated as a stream are within the
    limits (python-docx opens the package itself, so the checks come first)."""
    import docx

    try:
        if path.stat().st_size > DOCUMENT.bytes():
            raise NoteError(too_large(DOCUMENT, "this Word file"), path)
        check_zip(path, "Word", NoteError)
        return docx.Document(str(path))
    except NoteError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise NoteError(f"cannot open this as a Word document ({type(exc).__name__}); "
                        "save it again from Word as .docx", path) from None
    except RecursionError:
        raise NoteError("cannot read this Word document: it is nested too deeply", path) \
            from None
    except Exception as exc:  # lxml and python-docx raise many kinds on a broken file
        raise NoteError(f"cannot read this Word document ({type(exc).__name__}); save it "
                        "again from Word as .docx", path) from None


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
    try:
        return _notes_of(doc, path, folder, own_documents)
    except _TooMuchText:
        raise NoteError(too_large(NOTE, "the text of this Word file") + "; split it into "
                        "several notes", path) from None


def _notes_of(doc, path: Path, folder: Path, own_documents: bool) -> list[Note] | None:
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


def _read_form(doc, path: Path, rel: str, form: str) -> list[Note]:
    """A completed observation or witness form: the observer's account is the note."""
    import datetime as dt

    title = doc.core_properties.title or ""
    criterion = re.search(r" AC (\d+\.\d+)$", title)
    facts = {k: v.strip() for k, v in
             (table_facts(doc.tables[0]) if doc.tables else {}).items()}
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


def _manifest(doc) -> dict | None:
    from evidencegen.render.layout import read_manifest

    return read_manifest(doc)


def _walk(doc) -> Iterator[tuple[int, object, frozenset[str]]]:
    """Every paragraph in document order (tables included) with its number and the
    bookmarks it lies in or holds: the ids the document was made with."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    body = doc.element.body
    names: dict[str, str] = {}
    open_: set[str] = set()
    number = chars = 0
    limit = NOTE.bytes()
    tags = (qn("w:p"), qn("w:bookmarkStart"), qn("w:bookmarkEnd"))
    for el in body.iter(*tags):
        if el.tag == qn("w:bookmarkStart"):
            names[el.get(qn("w:id"))] = el.get(qn("w:name"))
            open_.add(el.get(qn("w:id")))
            continue
        if el.tag == qn("w:bookmarkEnd"):
            open_.discard(el.get(qn("w:id")))
            continue
        inside = {el.get(qn("w:id")) for el in el.iter(qn("w:bookmarkStart"))}
        number += 1
        paragraph = Paragraph(el, doc._body)
        chars += len(paragraph.text)
        if chars > limit:
            raise _TooMuchText
        yield number, paragraph, frozenset(names[i] for i in open_ | inside if i in names)


def _read_draft(doc, path: Path, rel: str) -> list[Note]:
    """Read back an evidencegen draft by the ids it was made with (its manifest and
    bookmarks), never by the wording of its headings: each passage of her own text is a
    note again (a session keeps its date and mentee), and each quotation she may have
    edited outside those passages counts under the element it was quoted for."""
    import datetime as dt

    manifest = _manifest(doc)
    if manifest is None:  # a draft made before manifests: read as a document of her own
        return []
    ac = (manifest["criterion"],) if manifest.get("criterion") else ()
    regions: dict[str, _Draft] = {}
    for entry in manifest.get("learner_text", []):
        try:
            date = dt.date.fromisoformat(entry.get("date") or "")
        except ValueError:
            date = None
        regions[entry["id"]] = _Draft(entry.get("type") or "reflection",
                                      entry.get("title") or "", date,
                                      entry.get("mentee") or None, criteria=ac)
    reproduced = {e.get("file") for e in manifest.get("learner_text", [])}
    quotes = {e["id"]: e for e in manifest.get("evidence", [])
              if e.get("file") not in reproduced}
    lists = set(manifest.get("references", []))
    quoted = _Draft("knowledge", "Quoted in the draft", criteria=ac) \
        if quotes or lists else None
    groups: dict[str, list[Block]] = {}
    styles = _Styles()
    for number, paragraph, marks in _walk(doc):
        text = _CITE.sub("", paragraph.text).strip()
        if not text:
            continue
        style = styles.paragraph(paragraph)
        region = next((regions[m] for m in sorted(marks) if m in regions), None)
        if region is not None:
            level = _heading_level(style)
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
    return [_finish(d, path, rel, i + 1) for i, d in enumerate(notes)
            if d.blocks or d.references]


@dataclass(frozen=True)
class DraftIdentity:
    name: str
    learner_id: str
    declared: bool


def draft_identity(path: Path) -> DraftIdentity | None:
    """Who an evidencegen draft belongs to, from its manifest (None: not a draft)."""
    doc = _open(path)
    if not _is_generated(doc):
        return None
    manifest = _manifest(doc)
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
    doc = _open(path)
    if not _is_generated(doc):
        return {}
    criterion = (_manifest(doc) or {}).get("criterion")
    if not criterion:
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
    return {criterion: found[-1][1]}
