"""The cohort tracker as a centre opens it: in a browser (sorted, filtered), in a spreadsheet
program (headers in words, states in words and colours, links, branding) and on paper."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from openpyxl import load_workbook

from evidencegen.cli import cli

CENTRE = SAMPLES / "centres" / "riverside" / "centre.yaml"
WORDS = {"not_started": "\u25cb Not started", "in_progress": "\u25d0 In progress",
         "ready": "\u25cf Ready for assessment", "met": "\u2713 Met (observed)",
         "signed_off": "\u2714 Signed off by assessor"}
FILLS = {"not_started": "EEF0F2", "in_progress": "FDF0D5", "ready": "E2EEF9", "met": "E4F4E8",
         "signed_off": "1E6B3A"}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tracker")
    result = CliRunner().invoke(cli, ["batch", str(SAMPLES), "-o", str(root / "out"),
                                      "-f", "docx", "-j", "2", "--centre", str(CENTRE)])
    assert result.exit_code == 0, result.output
    return root / "out"


def dom(tmp_path: Path, url: str) -> str:
    assert CHROMIUM is not None
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path}/p", "--dump-dom",
                           url], capture_output=True, text=True, timeout=120, check=True).stdout


def rows_of(ws) -> list[dict[str, object]]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2,
                                                                       values_only=True)]


def test_xlsx_summary_has_headers_in_words_and_each_learners_states(out: Path) -> None:
    ws = load_workbook(out / "cohort.xlsx")["Summary"]
    assert [c.value for c in ws[1]] == [
        "Learner", "Learner ID", "Result", "AC 1.1", "AC 5.2", "Criteria not started",
        "Criteria in progress", "Criteria ready for assessment", "Criteria met (observed)",
        "Criteria signed off by assessor",
        "Coverage report", "Document 1.1", "Document 5.2", "Folder", "Problem file",
        "Problem"]
    rows = {r["Learner ID"]: r for r in rows_of(ws)}
    assert set(rows) == {"L4-017", "L4-023", "L4-031"}
    for learner_id, row in rows.items():
        coverage = json.loads((out / learner_id / "coverage.json").read_text())
        states = {c["id"]: c["status"] for c in coverage["criteria"]}
        assert row["Learner"] == coverage["learner"]["name"]
        assert row["Result"] == "Built"
        assert row["AC 5.2"] == WORDS[states["5.2"]]
        assert row["Criteria not started"] == sum(s == "not_started" for s in states.values())
        assert row["Document 5.2"] == "5.2 (DOCX)"
    assert rows["L4-017"]["AC 1.1"] == "\u25cf Ready for assessment"


def test_xlsx_state_cell_reads_symbol_and_words_on_the_states_fill(out: Path) -> None:
    ws = load_workbook(out / "cohort.xlsx")["Summary"]
    column = next(c.column for c in ws[1] if c.value == "AC 1.1")
    row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[1].value == "L4-017")
    cell = ws.cell(row, column)
    assert cell.value == "\u25cf Ready for assessment"
    assert cell.fill.fgColor.rgb[-6:] == FILLS["ready"] == "E2EEF9"
    assert cell.font.color.rgb[-6:] == "1B5E96"  # the badge's ink in the documents


def test_csv_keeps_state_names_for_scripts_and_adds_symbol_and_words(out: Path) -> None:
    import csv

    rows = {r["learner_id"]: r for r in csv.DictReader((out / "cohort.csv").open())}
    assert rows["L4-017"]["1.1"] == "ready"
    assert rows["L4-017"]["1.1_label"] == "\u25cf Ready for assessment"


def test_xlsx_all_criteria_sheet_shows_every_state_in_words(out: Path) -> None:
    ws = load_workbook(out / "cohort.xlsx")["All criteria"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["Learner", "Learner ID", "AC 1.1", "AC 1.2"] and len(header) == 24
    assert "Compare models for mentoring" in ws["C1"].comment.text  # the criterion's wording
    for record in rows_of(ws):
        coverage = json.loads((out / record["Learner ID"] / "coverage.json").read_text())
        for c in coverage["criteria"]:
            assert record[f"AC {c['id']}"] == WORDS[c["status"]]


def test_xlsx_tracker_is_set_up_to_read_and_print(out: Path) -> None:
    wb = load_workbook(out / "cohort.xlsx")
    for ws in wb:
        assert ws.freeze_panes == "B2"
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}4"
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$1"
        assert ws.oddFooter.right.text == "Page &P of &N"
        for cell in ws[1]:  # every column wide enough for its longest word, none sprawling
            width = ws.column_dimensions[cell.column_letter].width
            longest = max(len(w) for w in str(cell.value).split())
            assert longest <= width <= 40, (cell.value, width)
    widths = wb["Summary"].column_dimensions
    assert widths["A"].width >= 20 and widths["P"].width >= 30  # names and problems


def test_xlsx_states_are_coloured_by_rules_that_match_their_words(out: Path) -> None:
    for ws in load_workbook(out / "cohort.xlsx"):
        fills = {r.formula[0]: r.dxf.fill.bgColor.rgb[-6:] for cf in ws.conditional_formatting
                 for r in cf.rules}
        assert fills == {f'"{WORDS[s]}"': FILLS[s] for s in WORDS}
        grey = [int(FILLS["not_started"][i:i + 2], 16) for i in (0, 2, 4)]
        assert max(grey) - min(grey) < 10  # neutral grey, not alarm red
        areas = {str(cf.sqref) for cf in ws.conditional_formatting}
        state_columns = [c.column_letter for c in ws[1] if str(c.value).startswith("AC ")]
        assert areas == {f"{state_columns[0]}2:{state_columns[-1]}4"}


def test_xlsx_carries_the_centres_name_and_colour(out: Path) -> None:
    wb = load_workbook(out / "cohort.xlsx")
    assert wb.properties.subject == "Riverside Skills Academy"
    for ws in wb:
        assert ws.oddHeader.left.text == "Riverside Skills Academy"
        assert ws.oddHeader.right.text.startswith("Unit 435 cohort tracker")
        assert {c.fill.fgColor.rgb[-6:] for c in ws[1]} == {"B44480"}  # riverside's colour
        assert {c.font.color.rgb[-6:] for c in ws[1]} == {"FFFFFF"}


def test_xlsx_links_are_relative_and_no_cell_holds_a_machine_path(out: Path) -> None:
    wb = load_workbook(out / "cohort.xlsx")
    links = [c.hyperlink.target for ws in wb for row in ws.iter_rows() for c in row
             if c.hyperlink]
    assert "L4-017/coverage.html" in links and "L4-017/L4-017_435_5.2.docx" in links
    assert len(links) == 3 * 3
    for link in links:
        assert not Path(link).is_absolute() and ":" not in link
        assert (out / link).is_file(), link
    for ws in wb:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and (Path(value).is_absolute()
                            or str(SAMPLES) in value or str(out) in value)), value


def test_failed_learner_keeps_her_name_id_and_the_file_that_failed(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    (cohort / "Bea").mkdir(parents=True)
    (cohort / "Bea" / "learner.yaml").write_text("name: Bea Brown\nlearner_id: L4-099\n"
                                                 "nmae: typo\n")
    result = CliRunner().invoke(cli, ["batch", str(cohort), "-o", str(tmp_path / "out"),
                                      "-f", "docx", "-j", "1"])
    assert result.exit_code == 1, result.output
    [row] = rows_of(load_workbook(tmp_path / "out" / "cohort.xlsx")["Summary"])
    assert (row["Learner"], row["Learner ID"], row["Result"]) == ("Bea Brown", "L4-099",
                                                                  "Failed")
    assert row["Problem file"] == "Bea/learner.yaml, line 3"
    assert row["Problem"].startswith("unknown field 'nmae'")
    assert row["Folder"] == "Bea" and row["AC 1.1"] is None
    csv_row = (tmp_path / "out" / "cohort.csv").read_text().splitlines()[1]
    assert csv_row.startswith("L4-099,Bea Brown,Bea,") and csv_row.endswith(
        ",Bea/learner.yaml")


def soffice_has_calc() -> bool:
    soffice = shutil.which("soffice")
    return soffice is not None and any(
        Path(p).is_file() for p in ("/usr/lib/libreoffice/program/libsclo.so",
                                    "/usr/lib64/libreoffice/program/libsclo.so"))


@pytest.mark.skipif(not soffice_has_calc(), reason="LibreOffice Calc is not installed "
                    "(Debian: libreoffice-calc-nogui)")
def test_xlsx_prints_one_page_wide_in_landscape_with_the_centres_name(
        out: Path, tmp_path: Path) -> None:
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(out / "cohort.xlsx")],
                   capture_output=True, timeout=300, check=True)
    pdf = tmp_path / "cohort.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"Pages:\s+2\b", info)  # one page per sheet: each one page wide
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert width > height  # landscape
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    first, second = text.split("\f")[:2]
    for page in (first, second):
        assert "Riverside Skills Academy" in page and "Learner ID" in page
        assert "Grace Adeyemi" in page
    assert "Open report" in first and "AC 6.3" in second  # the last column made the page


def test_html_tracker_links_each_learner_to_report_and_documents(out: Path) -> None:
    html = (out / "cohort.html").read_text()
    assert 'href="L4-017/coverage.html"' in html
    assert 'href="L4-017/L4-017_435_5.2.docx"' in html
    assert (out / "L4-017" / "coverage.html").is_file()
    assert not re.search(r"""(src|href)=["'](https?:|//)""", html)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_html_tracker_sorts_and_filters_in_chromium(out: Path, tmp_path: Path) -> None:
    url = (out / "cohort.html").as_uri()

    def order(page: str) -> list[str]:
        body = page.split("<tbody>")[1]
        return re.findall(r'<tr data-learner="(L4-\d+)', body)

    assert order(dom(tmp_path, url + "#sort=5.2")) == ["L4-031", "L4-023", "L4-017"]
    assert order(dom(tmp_path, url + "#sort=learner"))[0] == "L4-017"
    filtered = dom(tmp_path, url + "#filter=brennan")
    hidden = re.findall(r'<tr data-learner="(L4-\d+)[^"]*"[^>]*hidden', filtered)
    assert sorted(hidden) == ["L4-017", "L4-031"]
    shot = tmp_path / "tracker.png"
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path}/p", "--window-size=1200,500",
                    f"--screenshot={shot}", url], capture_output=True, timeout=120, check=True)
    from PIL import Image

    image = Image.open(shot).convert("RGB")
    assert len(image.getcolors(maxcolors=1 << 20) or []) > 50
