"""Walking a Word document: paragraphs and table cells in order, with their styles, list
levels and bookmarks, within the size limits; python-docx is imported only when used.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidencegen.errors import NoteError
from evidencegen.limits import DOCUMENT, NOTE, check_zip, too_large

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

OUTPUT_MARK = "evidencegen-output"  # the content status of every Word file evidencegen writes


@dataclass


class Para:
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


def heading_level(style: str) -> int:
    if style == "Title":
        return 1
    if not style.startswith("Heading"):
        return 0
    digits = style.removeprefix("Heading").strip()
    return min(int(digits), 6) if digits.isdigit() and int(digits) else 1


def list_level(paragraph: Paragraph, style: str) -> int:
    """Word's list items: numbering on the paragraph (its level), or a List style."""
    ppr = paragraph._p.pPr
    num: Any = ppr.numPr if ppr is not None else None  # python-docx types it loosely
    if num is not None and num.numId is not None and num.numId.val != 0:
        return (num.ilvl.val if num.ilvl is not None else 0) + 1
    if style.startswith(("List Bullet", "List Number")):
        digits = style.split()[-1]
        return int(digits) if digits.isdigit() else 1
    return 0


class Styles:
    """Style names by style id, looked up once each: python-docx searches the styles part
    for every paragraph and run, which grows with styles x paragraphs."""

    def __init__(self) -> None:
        self._names: dict[tuple[str, str | None], str] = {}
        self._bold: dict[str | None, bool] = {}

    def paragraph(self, paragraph: Paragraph) -> str:
        ppr = paragraph._p.pPr
        key = ("p", ppr.style if ppr is not None else None)
        if key not in self._names:
            style = paragraph.style
            self._names[key] = style.name if style is not None and style.name else ""
        return self._names[key]

    def bold(self, run: Run) -> bool:
        if run.bold is not None:
            return bool(run.bold)
        rpr = run._r.rPr
        key = rpr.style if rpr is not None else None
        if key not in self._bold:
            self._bold[key] = bool(run.style is not None and run.style.font.bold)
        return self._bold[key]

    def all_bold(self, paragraph: Paragraph) -> bool:
        runs = [r for r in paragraph.runs if r.text.strip()]
        return bool(runs) and all(self.bold(r) for r in runs)


MAX_COLUMNS = 64  # Word allows 63 columns; a cell claiming to span a million is not a table


def table_rows(table: Table) -> Iterator[list[tuple[Any, bool]]]:
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

    def __init__(self, table: Table) -> None:
        self.table = table
        # keyed by the element's id, the element kept alive in the entry so that its id is
        # never reused by another cell's element
        self._cache: dict[int, tuple[object, list, str]] = {}

    def paragraphs(self, tc: Any) -> list[Paragraph]:
        return self._get(tc)[1]

    def text(self, tc: Any) -> str:
        return self._get(tc)[2]

    def _get(self, tc: Any) -> tuple[Any, list[Paragraph], str]:
        from docx.table import _Cell

        key = id(tc)
        if key not in self._cache:
            paragraphs = _Cell(tc, self.table).paragraphs
            self._cache[key] = (tc, paragraphs, "\n".join(p.text for p in paragraphs))
        return self._cache[key]


def table_facts(table: Table) -> dict[str, str]:
    """A two-column facts table (label, value) as a mapping, read in one pass."""
    texts = _Texts(table)
    facts: dict[str, str] = {}
    for row in table_rows(table):
        if row:
            facts[texts.text(row[0][0])] = texts.text(row[-1][0])
    return facts


def paragraphs(doc: DocxDocument) -> Iterator[Para]:
    """Every paragraph in document order, table cells included, numbered from 1.

    A merged cell's paragraphs come once, where the cell starts; the rows it continues into
    carry its text in ``row`` (for context) but not its paragraphs again.
    """
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    styles = Styles()
    number = chars = 0
    tables = 0
    limit = NOTE.bytes()
    for item in doc.iter_inner_content():
        if isinstance(item, Paragraph):
            number += 1
            chars += len(item.text)
            style = styles.paragraph(item)
            level = heading_level(style)
            yield Para(number, item.text, style, False, heading=level,
                        list_level=0 if level else list_level(item, style),
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
                        yield Para(number, p.text, styles.paragraph(p), True,
                                    row_texts, col, table=tables, row_index=r,
                                    continued=merged)
            tables += 1
        if chars > limit:
            raise TooMuchText


class TooMuchText(Exception):
    """The document's text passed the note size limit (turned into a NoteError)."""


def open_docx(path: Path) -> DocxDocument:
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


def is_generated(doc: DocxDocument) -> bool:
    """Made by evidencegen: its marker, or (drafts made before the marker) its generator."""
    props = doc.core_properties
    return props.content_status == OUTPUT_MARK or (props.comments or "").startswith(
        "evidencegen")


def docx_manifest(doc: DocxDocument) -> dict[str, Any] | None:
    from evidencegen.render.layout import read_manifest

    return read_manifest(doc)


def walk(doc: DocxDocument) -> Iterator[tuple[int, Paragraph, frozenset[str]]]:
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
            raise TooMuchText
        yield number, paragraph, frozenset(names[i] for i in open_ | inside if i in names)
