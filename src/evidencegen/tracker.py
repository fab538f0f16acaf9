"""The cohort trackers a batch leaves in OUT: CSV and JSON for machines, XLSX and HTML for people.

The CSV keeps snake_case headers and the raw state names a script matches on, and beside
them each state's symbol and words (``1.1_label``: "● Ready for assessment"). The XLSX is
what a centre administrator opens and prints: headers in words, the state's symbol and words
in each cell as the documents show them (render/tokens.py), in the state's colours (a fill,
and conditional formats that follow an edited cell; never colour alone), a frozen header
row, filters, landscape printing one page wide with the header row on every page, relative
links to each learner's report and documents, and the centre's name and colour. Every
text cell of either is inert: a cell that starts like a formula stays text.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from evidencegen import __version__
from evidencegen.errors import EvidencegenError
from evidencegen.models import STATE_LABELS
from evidencegen.output import safe_id, write_all
from evidencegen.render.tokens import STATE_ORDER, STATES

if TYPE_CHECKING:
    from evidencegen.branding import Centre
    from evidencegen.criteria import CriteriaSet
    from evidencegen.models import Outcome

LETTERS = {"not_started": "NS", "in_progress": "IP", "ready": "R", "met": "M", "signed_off": "SO"}


def _xlsx_states() -> dict[str, tuple[str, str, str]]:
    """Each state's cell text (symbol and words), fill and ink, from the design tokens that
    the documents and HTML reports use: neutral grey for not started (nobody has judged it
    yet: no alarm), amber in progress, blue ready, green met, solid green signed off."""
    return {name: (f"{s['symbol']} {s['label']}", s["bg"].lstrip("#").upper(),
                   s["ink"].lstrip("#").upper())
            for name, s in ((n, {"label": STATE_LABELS[n], **STATES[n]}) for n in STATE_ORDER)}


XLSX_STATES = _xlsx_states()
RESULT_WORDS = {"built": "Built", "skipped": "Unchanged", "failed": "Failed"}
DEFAULT_HEADER_FILL = "123B5C"
FONT = "Calibri"  # openpyxl's body font; LibreOffice shows it as the metric-equal Carlito

# Spreadsheet programs read a cell starting with one of these as a formula (OWASP's list
# for CSV injection): "=HYPERLINK(...)" in a learner's name must stay her name.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # XML 1.0 forbids them
# "folder/learner.yaml:3: message": how every evidencegen error names its file (errors.py)
_ERROR_AT = re.compile(r"^(?P<file>[^\n:]+?)(?::(?P<line>\d+))?: (?P<message>.*)$", re.S)


def csv_text(value: object) -> object:
    """A CSV cell that is never a formula: text starting like one gets a leading quote.
    A carriage return becomes a line feed, which the writer quotes (it would otherwise end
    the row in the middle of a cell)."""
    if isinstance(value, str):
        value = _NOT_IN_XLSX.sub("", value).replace("\r\n", "\n").replace("\r", "\n")
        if value.startswith(FORMULA_START) or value.startswith("\n="):
            return "'" + value
    return value


def _text_cell(cell: Any, value: object) -> None:
    """An XLSX cell: numbers as numbers, every text as text (data type "s"), so that
    openpyxl never writes a formula; text that looks like one is also quote-prefixed, so
    Excel keeps it text when the cell is edited."""
    if not isinstance(value, str):
        cell.value = value
        return
    text = _NOT_IN_XLSX.sub("", value)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True


@dataclass(frozen=True)
class Problem:
    """Where a failed learner's build stopped: the file (relative to the cohort) and why."""

    file: str
    line: int | None
    message: str

    @property
    def place(self) -> str:
        return f"{self.file}, line {self.line}" if self.line else self.file


def problem_of(outcome: Outcome) -> Problem | None:
    """The file and message of a failure, read from the error's ``path:line: message`` form
    (errors.py) when that path is in the learner's folder; otherwise her folder and the
    whole message. Batch makes paths relative to the cohort, so no machine path shows."""
    if outcome.result != "failed" or not outcome.error:
        return None
    folder = _shown_folder(outcome.folder)
    m = _ERROR_AT.match(outcome.error)
    if m is None or not (m["file"] == folder or m["file"].startswith((f"{folder}/",
                                                                      f"{folder}{os.sep}"))):
        return Problem(folder, None, outcome.error)
    return Problem(m["file"], int(m["line"]) if m["line"] else None, m["message"])


def _shown_folder(folder: str) -> str:
    """A learner's folder as the trackers show it: relative, never the machine's path."""
    return PurePath(folder).name if os.path.isabs(folder) else folder


def _learner_facts(cohort: Path | None, outcome: Outcome) -> tuple[str, str]:
    """(name, learner_id) of a learner whose build failed, read from her learner.yaml
    even when that file does not pass validation, so her row still says who she is."""
    name, learner_id = outcome.name or "", outcome.learner_id or ""
    if (name and learner_id) or cohort is None:
        return name, learner_id
    from evidencegen.errors import LearnerError
    from evidencegen.inputs import read_text
    from evidencegen.yamlio import load_yaml

    path = cohort / outcome.folder / "learner.yaml"
    try:
        data, _ = load_yaml(read_text(path, LearnerError), path, LearnerError)
    except (EvidencegenError, OSError, RecursionError):
        return name, learner_id
    if isinstance(data, dict):
        found_name, found_id = data.get("name"), data.get("learner_id")
        name = name or (found_name if isinstance(found_name, str) else "")
        learner_id = learner_id or (found_id if isinstance(found_id, str) else "")
    return name, learner_id


def _default_criteria() -> CriteriaSet | None:
    """The packaged default criteria set: where the tracker finds the unit's number, the
    criteria documented by default and each criterion's wording (None if it cannot load)."""
    from evidencegen.criteria import resolve_criteria

    try:
        return resolve_criteria(None)
    except EvidencegenError:
        return None


def _centre(path: Path | None) -> Centre | None:
    """The centre's branding; a centre.yaml that cannot be read was already reported by
    each learner's build, so the tracker is written unbranded rather than not at all."""
    if path is None:
        return None
    from evidencegen.branding import load_centre

    try:
        return load_centre(path)
    except EvidencegenError:
        return None


@dataclass
class _Row:
    outcome: Outcome
    name: str
    learner_id: str
    folder: str
    problem: Problem | None
    report: str | None  # relative to OUT
    files: list[str]  # her .pdf and .docx documents, relative to OUT
    documents: dict[str, str]  # criterion id -> its document (the PDF if there is one)


def _rows(out: Path, outcomes: list[Outcome], cohort: Path | None) -> list[_Row]:
    rows = []
    for o in outcomes:
        name, learner_id = _learner_facts(cohort, o)
        folder = safe_id(o.learner_id) if o.learner_id and o.result != "failed" else None
        files = sorted(f"{folder}/{p.name}" for p in (out / folder).glob("*.*")
                       if p.suffix in (".docx", ".pdf")) if folder else []
        documents: dict[str, str] = {}
        for file in sorted(files, key=lambda f: not f.endswith(".pdf")):
            documents.setdefault(PurePath(file).stem.rsplit("_", 1)[-1], file)
        report = f"{folder}/coverage.html" if folder and (out / folder / "coverage.html"
                                                          ).is_file() else None
        rows.append(_Row(o, name, learner_id, _shown_folder(o.folder), problem_of(o), report,
                         files, documents))
    return rows


def write_tracker(out: Path, outcomes: list[Outcome], focus: list[str] | None = None,
                  cohort: Path | None = None, centre: Path | None = None) -> None:
    """cohort.csv/.json/.html/.xlsx and errors.json: who is where, and what failed.

    ``focus`` names the criteria the HTML tracker counts as behind (default: those the
    criteria data marks for documents); ``cohort`` lets a failed learner's row be named from
    her learner.yaml; ``centre`` (a centre.yaml) brands the XLSX.
    """
    criteria = _default_criteria()
    focus = focus or ([c.id for c in criteria.documented()] if criteria else [])
    unit = criteria.unit.number if criteria else ""
    acs: list[str] = []
    for o in outcomes:
        for ac in o.statuses:
            if ac not in acs:
                acs.append(ac)
    rows = _rows(out, outcomes, cohort)
    records = []
    for r in rows:
        o = r.outcome
        counts = {s: sum(1 for v in o.statuses.values() if v == s) for s in STATE_ORDER}
        records.append({"learner_id": r.learner_id, "name": r.name, "folder": r.folder,
                        "error": o.error or "", **{ac: o.statuses.get(ac, "") for ac in acs},
                        **counts, "problem_file": r.problem.file if r.problem else ""})
    buf = io.StringIO()
    # no built/skipped column: a rerun that skips learners gives the same CSV as a full run
    labels = [f"{ac}_label" for ac in acs]
    fields = ["learner_id", "name", "folder", "error", *acs, *STATE_ORDER, "problem_file",
              *labels]
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows({**{k: csv_text(v) for k, v in rec.items()},
                      **{f"{ac}_label": XLSX_STATES[str(rec[ac])][0] if rec[ac] else ""
                         for ac in acs}} for rec in records)
    errors = [{"folder": r.folder, "learner_id": r.outcome.learner_id, "error": r.outcome.error}
              for r in rows if r.outcome.result == "failed"]
    titles = {c.id: c.text for c in criteria.all_criteria()} if criteria else {}
    brand = _centre(centre)
    write_all(out, {
        "cohort.csv": buf.getvalue().encode(),
        "cohort.json": (json.dumps({"criteria": acs, "learners": records}, indent=1)
                        + "\n").encode(),
        "cohort.html": _tracker_html(rows, acs, focus, unit, brand).encode(),
        "cohort.xlsx": tracker_xlsx(rows, acs, focus, titles, unit, brand),
        "errors.json": (json.dumps(errors, indent=1) + "\n").encode(),
    })


def _tracker_html(rows: list[_Row], acs: list[str], focus: list[str], unit: str,
                  centre: Centre | None = None) -> str:
    from evidencegen.render.environment import environment, render_template

    learners = []
    for r in rows:
        o = r.outcome
        folder = safe_id(o.learner_id) if o.learner_id and o.result != "failed" else None
        learners.append({
            "learner_id": r.learner_id, "name": r.name or None,
            "folder": r.folder, "error": o.error, "statuses": o.statuses,
            "behind": sum(1 for ac in focus if o.statuses.get(ac) in ("not_started",
                                                                      "in_progress")),
            "report": f"{folder}/coverage.html" if folder else None,
            "documents": [{"href": f, "label": f.rsplit("_", 1)[-1]} for f in r.files]})
    context = {"learners": learners, "criteria": acs, "labels": STATE_LABELS,
               "letters": LETTERS, "ranks": {s: i for i, s in enumerate(STATE_ORDER)},
               "unit": unit, "version": __version__, "centre": centre}
    html, _ = render_template(environment(None), ["cohort.html.j2"], context)
    return html


@dataclass(frozen=True)
class _Column:
    header: str
    width: float
    kind: str = "text"  # text, state, count, link, wrap
    note: str = ""  # shown when the header cell is pointed at (a criterion's wording)


Cell = tuple[object, str | None]  # a value, and a link relative to OUT (or None)


def _who(row: _Row) -> list[Cell]:
    return [(row.name, None), (row.learner_id, None)]


def _state(row: _Row, ac: str) -> Cell:
    status = row.outcome.statuses.get(ac)
    return (XLSX_STATES[status][0] if status in XLSX_STATES else status or "", None)


def _summary_sheet(rows: list[_Row], focus: list[str], titles: dict[str, str]
                   ) -> tuple[str, list[_Column], list[list[Cell]]]:
    """Who, how the build went, the criteria evidencegen writes documents for, counts of
    every criterion by state, links to the report and documents, and what failed where."""
    columns = [
        _Column("Learner", 22), _Column("Learner ID", 11), _Column("Result", 10),
        *(_Column(f"AC {ac}", 12, "state", titles.get(ac, "")) for ac in focus),
        *(_Column(f"Criteria {STATE_LABELS[s].lower()}", 11, "count") for s in STATE_ORDER),
        _Column("Coverage report", 11, "link"),
        *(_Column(f"Document {ac}", 11, "link") for ac in focus),
        _Column("Folder", 14, "wrap"), _Column("Problem file", 20, "wrap"),
        _Column("Problem", 40, "wrap"),
    ]
    values = []
    for row in rows:
        o = row.outcome
        counts: list[Cell] = [(sum(1 for v in o.statuses.values() if v == s)
                               if o.statuses else "", None) for s in STATE_ORDER]
        docs: list[Cell] = [(f"{ac} ({PurePath(row.documents[ac]).suffix[1:].upper()})",
                             row.documents[ac]) if ac in row.documents else ("", None)
                            for ac in focus]
        problem = row.problem
        values.append([
            *_who(row), (RESULT_WORDS.get(o.result, o.result), None),
            *(_state(row, ac) for ac in focus), *counts,
            ("Open report", row.report) if row.report else ("", None), *docs,
            (row.folder, None), (problem.place if problem else "", None),
            (problem.message if problem else "", None)])
    return "Summary", columns, values


def _criteria_sheet(rows: list[_Row], acs: list[str], titles: dict[str, str]
                    ) -> tuple[str, list[_Column], list[list[Cell]]]:
    """Every criterion's state for every learner: the grid an internal verifier reads."""
    columns = [_Column("Learner", 22), _Column("Learner ID", 11),
               *(_Column(f"AC {ac}", 11, "state", titles.get(ac, "")) for ac in acs)]
    return "All criteria", columns, [[*_who(r), *(_state(r, ac) for ac in acs)] for r in rows]


def tracker_xlsx(rows: list[_Row], acs: list[str], focus: list[str], titles: dict[str, str],
                 unit: str, centre: Centre | None) -> bytes:
    """The tracker for a spreadsheet program: a summary sheet and the full grid of
    criteria, each set up to read on screen and to print."""
    from openpyxl import Workbook

    wb = Workbook()
    title = f"Unit {unit} cohort tracker" if unit else "Cohort tracker"
    wb.properties.title = title
    wb.properties.creator = f"evidencegen {__version__}"
    if centre:
        wb.properties.subject = centre.name
    brand = centre.colour.lstrip("#").upper() if centre else DEFAULT_HEADER_FILL
    sheets = [_summary_sheet(rows, [ac for ac in focus if ac in acs] or focus, titles),
              _criteria_sheet(rows, acs, titles)]
    for i, (name, columns, values) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = name
        _fill_sheet(ws, columns, values, rows, brand)
        _print_setup(ws, centre, f"{title}: {name.lower()}")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _fill_sheet(ws: Any, columns: list[_Column], values: list[list[Cell]], rows: list[_Row],
                brand: str) -> None:
    from openpyxl.comments import Comment
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    line = Side(style="thin", color="C9D1D9")
    grid = Border(left=line, right=line, top=line, bottom=line)
    head_font = Font(name=FONT, bold=True, color="FFFFFF")
    head_fill = PatternFill("solid", fgColor=brand)  # the centre's colour: white on it passes AA
    for c, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=c)
        _text_cell(cell, column.header)
        cell.font, cell.fill, cell.border = head_font, head_fill, grid
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center"
                                   if column.kind in ("state", "count") else "left")
        if column.note:
            cell.comment = Comment(f"{column.header[3:]}: {column.note}", "evidencegen",
                                   width=260, height=90)
        ws.column_dimensions[get_column_letter(c)].width = column.width
    ws.row_dimensions[1].height = _height(columns, [c.header for c in columns], 2)

    link_font = Font(name=FONT, color="0B5394", underline="single")
    state_of = {words: state for state, (words, _, _) in XLSX_STATES.items()}
    failed_font = Font(name=FONT, bold=True, color="9B1C1C")
    for r, (row, cells) in enumerate(zip(rows, values, strict=True), start=2):
        for c, (column, (value, link)) in enumerate(zip(columns, cells, strict=True), start=1):
            cell = ws.cell(row=r, column=c)
            _text_cell(cell, value)
            cell.border = grid
            cell.alignment = Alignment(vertical="top", wrap_text=column.kind in ("wrap", "state"),
                                       horizontal="center" if column.kind in ("state", "count")
                                       else "left")
            state = state_of.get(str(value)) if column.kind == "state" else None
            if state:  # its colours in the cell too, for viewers that skip the rules below
                words, fill, ink = XLSX_STATES[state]
                cell.fill = PatternFill("solid", fgColor=fill)
                cell.font = Font(name=FONT, color=ink, bold=state == "signed_off")
            if link:
                cell.hyperlink = link  # relative to the workbook, which sits in OUT
                cell.font = link_font
            elif value == RESULT_WORDS["failed"] and row.outcome.result == "failed":
                cell.font = failed_font
        ws.row_dimensions[r].height = _height(columns, [str(v) for v, _ in cells], 2)

    last_row = max(2, len(rows) + 1)
    ws.freeze_panes = "B2"  # the header row and the learner's name stay in view
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last_row}"
    states = [i for i, col in enumerate(columns, start=1) if col.kind == "state"]
    if states:
        area = f"{get_column_letter(states[0])}2:{get_column_letter(states[-1])}{last_row}"
        for state, (words, fill, ink) in XLSX_STATES.items():
            ws.conditional_formatting.add(area, CellIsRule(
                operator="equal", formula=[f'"{words}"'],
                fill=PatternFill("solid", bgColor=fill),
                font=Font(color=ink, bold=state == "signed_off")))


def _height(columns: list[_Column], texts: list[str], least: int) -> float:
    """A row's height in points for its longest wrapped text: spreadsheet programs do not
    all grow a row to fit wrapped text, and a cut-off problem is no use to anyone."""
    lines = least
    for column, text in zip(columns, texts, strict=True):
        if column.kind in ("wrap", "state", "count") or column.header == text:
            per_line = max(1, int(column.width * 1.1) - 1)
            words, count, used = text.split(), 1, 0
            for word in words:
                if used and used + 1 + len(word) > per_line:
                    count, used = count + 1, 0
                used += len(word) + (1 if used else 0)
                count, used = count + used // per_line, used % per_line  # a long path
            lines = max(lines, count)
    return 13.0 * lines + 2


def _print_setup(ws: Any, centre: Centre | None, title: str) -> None:
    """Landscape A4, one page wide and as many down as needed, the header row on every
    page, the centre's name and the page number in the running header and footer."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:1"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.oddHeader.left.text = _header_text(centre.name if centre else "")
    ws.oddHeader.left.font = "-,Bold"
    ws.oddHeader.right.text = _header_text(title)
    ws.oddFooter.left.text = _header_text(f"Made by evidencegen {__version__}")
    ws.oddFooter.right.text = "Page &P of &N"


def _header_text(text: str) -> str:
    """Text for a printed header or footer: '&' starts a code there, so it is doubled."""
    return _NOT_IN_XLSX.sub("", text).replace("&", "&&")[:80]
