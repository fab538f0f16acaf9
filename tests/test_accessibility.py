"""Accessible and archival PDFs, and a heading outline with no skipped level."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import docx
import pikepdf
import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from evidencegen.cli import cli


def built(tmp_path: Path, *extra: str) -> Path:
    result = CliRunner().invoke(cli, ["build", str(SAMPLES / "complete"), "-o", str(tmp_path),
                                      "-c", "5.2", *extra])
    assert result.exit_code == 0, result.output
    return tmp_path / "L4-017"


def test_pdf_is_tagged_pdf_ua_by_default(tmp_path: Path) -> None:
    with pikepdf.open(built(tmp_path) / "L4-017_435_5.2.pdf") as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == "en-GB"
        assert bool(pdf.Root.MarkInfo.Marked)
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        assert str(pdf.docinfo.Title).startswith("L4-017 Unit 435 AC 5.2")
        meta = pdf.open_metadata()
        assert meta.get("pdfuaid:part") == "1"
        assert str(pdf.Root.Outlines.First.Title).startswith("5.2 ")  # bookmarks


def test_pdf_a_3b_for_archiving(tmp_path: Path) -> None:
    with pikepdf.open(built(tmp_path, "--pdf-variant", "pdf/a-3b") / "L4-017_435_5.2.pdf") as pdf:
        assert "/OutputIntents" in pdf.Root
        meta = pdf.open_metadata()
        assert meta.get("pdfaid:part") == "3" and meta.get("pdfaid:conformance") == "B"


@pytest.mark.parametrize("ac", ["1.1", "5.2"])
def test_headings_never_skip_a_level(tmp_path: Path, ac: str) -> None:
    CliRunner().invoke(cli, ["build", str(SAMPLES / "complete"), "-o", str(tmp_path), "-c", ac,
                             "-f", "docx"])
    d = docx.Document(str(tmp_path / "L4-017" / f"L4-017_435_{ac}.docx"))
    levels = []
    for p in d.paragraphs:
        name = p.style.name
        if name == "Title":
            levels.append(0)
        elif m := re.fullmatch(r"Heading (\d)", name):
            levels.append(int(m.group(1)))
    assert levels[0] == 0
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, levels


def test_table_header_rows_repeat_and_states_are_words(tmp_path: Path) -> None:
    d = docx.Document(str(built(tmp_path, "-f", "docx") / "L4-017_435_5.2.docx"))
    evidence = next(t for t in d.tables if t.rows[0].cells[0].text == "Technique")
    assert evidence.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    facts = {r.cells[0].text: r.cells[1].text for r in d.tables[0].rows}
    assert facts["Coverage"] == "\u25cf Ready for assessment"  # a symbol and words
