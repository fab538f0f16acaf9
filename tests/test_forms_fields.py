"""Observation and witness forms carry the fields an awarding body's records have."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from pypdf import PdfReader

from evidencegen.cli import cli

COMMON = ["Learner", "Learner ID", "Centre", "Qualification", "Unit", "Assessment criteria",
          "Mentee (pseudonym)", "Setting and context", "Duration", "Date of observation"]
OBSERVER = {"observation": ["Assessor", "Assessor role"],
            "witness": ["Witness name", "Witness role", "How the witness knows the learner"]}
SECTIONS = {"observation": "What the assessor observed", "witness": "What the witness saw"}
FILES = {"observation": "observation-record", "witness": "expert-witness-testimony"}


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("forms")
    shutil.copytree(SAMPLES / "part-way", root / "part-way")
    result = CliRunner().invoke(cli, ["forms", str(root / "part-way"), "-o", str(root / "out"),
                                      "--centre", str(SAMPLES / "centres" / "northfield" /
                                                      "centre.yaml")])
    assert result.exit_code == 0, result.output
    return root / "out" / "L4-023"


@pytest.mark.parametrize("form", ["observation", "witness"])
def test_the_form_table_has_every_field_of_an_awarding_bodys_record(forms, form) -> None:
    d = docx.Document(str(forms / f"L4-023_435_5.2_{FILES[form]}.docx"))
    facts = {r.cells[0].text: r.cells[1].text for r in d.tables[0].rows}
    assert set(COMMON + OBSERVER[form]) <= set(facts)
    assert facts["Learner"] == "Tom Brennan" and facts["Learner ID"] == "L4-023"
    assert facts["Centre"] == "Northfield Care Training"  # the branded centre
    assert facts["Unit"] == "Unit 435 Mentoring in social care"
    assert facts["Assessment criteria"].startswith("5.2 Use mentoring techniques")
    assert facts["Setting and context"] == "Brightside Home Support"
    if form == "observation":
        assert facts["Assessor"] == "Sam Okoro" and facts["Assessor role"] == "Assessor"


@pytest.mark.parametrize("form", ["observation", "witness"])
def test_the_form_asks_for_the_account_questions_outcome_and_signatures(forms, form) -> None:
    pdf = PdfReader(str(forms / f"L4-023_435_5.2_{FILES[form]}.pdf"))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    for part in (SECTIONS[form], "How this meets the criteria",
                 "Questions asked and the learner's answers", "Question Answer",
                 "Outcome", "Met", "Not yet met", "Assessor", "Learner signature Date"):
        assert part in text, part
    if form == "witness":
        assert "Witness signature Date" in text
    else:
        assert "Assessor signature Date" in text
    pages = [" ".join(p.extract_text().split()) for p in pdf.pages]
    [last] = [p for p in pages if "Outcome and signatures" in p]
    assert re.search(r"Outcome and signatures .*Learner signature Date", last)  # not split
