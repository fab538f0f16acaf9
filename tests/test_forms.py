"""Assessor forms: pre-filled from the notes, and counted once completed and saved back."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import docx
import docx.document
import docx.text.paragraph
import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from pypdf import PdfReader

from evidencegen.api import analyse, countersign
from evidencegen.cli import cli
from evidencegen.signing import new_key


@pytest.fixture
def made(tmp_path: Path) -> tuple[Path, Path]:
    learner = tmp_path / "part-way"
    shutil.copytree(SAMPLES / "part-way", learner)
    result = CliRunner().invoke(cli, ["forms", str(learner), "-o", str(tmp_path / "forms")])
    assert result.exit_code == 0, result.output
    return learner, tmp_path / "forms" / "L4-023"


def test_forms_are_prefilled_with_learner_mentee_and_claimed_techniques(made) -> None:
    _, out = made
    names = sorted(p.name for p in out.iterdir())
    assert names == ["L4-023_435_5.2_expert-witness-testimony.docx",
                     "L4-023_435_5.2_expert-witness-testimony.pdf",
                     "L4-023_435_5.2_observation-record.docx",
                     "L4-023_435_5.2_observation-record.pdf"]
    d = docx.Document(str(out / "L4-023_435_5.2_observation-record.docx"))
    facts = {r.cells[0].text: r.cells[1].text for r in d.tables[0].rows}
    assert facts["Learner"] == "Tom Brennan" and facts["Mentee (pseudonym)"] == "Mentee R"
    assert facts["Assessor"] == "Sam Okoro"
    claimed = [r.cells[0].text for r in d.tables[1].rows[1:]]
    assert claimed == ["Active listening", "Regular meetings"]
    text = " ".join(PdfReader(str(out / "L4-023_435_5.2_expert-witness-testimony.pdf"))
                    .pages[0].extract_text().split())
    assert "Expert witness testimony: 5.2" in text and "Witness name" in text


def write_observed(d: docx.document.Document, lines: list[str],
                   heading_text: str = "What the assessor observed") -> None:
    """Type the observer's account under the form's heading, as an assessor would in Word."""
    heading = next(p for p in d.paragraphs if p.text == heading_text)
    for text in reversed(lines):
        para = copy.deepcopy(heading._p)
        heading._p.addnext(para)
        written = docx.text.paragraph.Paragraph(para, heading._parent)
        written.style = d.styles["Normal"]
        for run in written.runs[1:]:
            run._r.getparent().remove(run._r)
        written.runs[0].text = text


def test_a_completed_observation_form_counts_once_countersigned(made, tmp_path) -> None:
    learner, out = made
    before = {r.rule: r.met for r in analyse(learner).coverage["5.2"].rules}
    assert before["observed_or_witnessed"] is False
    d = docx.Document(str(out / "L4-023_435_5.2_observation-record.docx"))
    date = next(r for r in d.tables[0].rows if r.cells[0].text == "Date of observation")
    date.cells[1].text = "2 October 2026"
    write_observed(d, ["Tom listened carefully and summarised back what R told him.",
                       "He praised R for planning her visits and agreed the next date."])
    (learner / "observations").mkdir()
    d.save(str(learner / "observations" / "observation.docx"))

    key = new_key(tmp_path / "centre.key")
    result = analyse(learner, key=key)
    note = next(n for n in result.learner.notes if n.rel == "observations/observation.docx")
    assert (note.type, str(note.date), note.mentee) == ("observation", "2026-10-02", "Mentee R")
    assert note.author_name == "Sam Okoro" and note.criteria == ("5.2",)
    rules = {r.rule: r for r in result.coverage["5.2"].rules}
    quotes = [h.quote for h in result.maps["5.2"].hits if h.note is note]
    assert any(q.startswith("Tom listened carefully") for q in quotes)
    assert not rules["observed_or_witnessed"].met  # the form names its assessor: a claim
    [claim] = result.coverage["5.2"].signatures
    assert claim.reason.startswith("not countersigned by an assessor")

    countersign(learner, Path("observations/observation.docx"), "Sam Okoro", key)
    result = analyse(learner, key=key)
    rules = {r.rule: r for r in result.coverage["5.2"].rules}
    assert rules["observed_or_witnessed"].met
    assert [s.verified for s in result.coverage["5.2"].signatures] == [True]


def test_forms_refuse_a_knowledge_criterion(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["forms", str(SAMPLES / "part-way"), "-c", "1.1",
                                      "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "knowledge criterion" in result.stderr


REWORDED = {"Date of observation": "When we met", "Mentee (pseudonym)": "Person mentored",
            "Assessor": "Observed by", "Witness name": "Who saw it"}


def reword(d: docx.document.Document) -> None:
    """Change every visible label a reader could lean on: the facts table's labels, the
    account's heading and the title's " AC 5.2"."""
    for row in d.tables[0].rows:
        label = row.cells[0].text
        if label in REWORDED:
            row.cells[0].paragraphs[0].runs[0].text = REWORDED[label]
            for run in row.cells[0].paragraphs[0].runs[1:]:
                run.text = ""
    for p in d.paragraphs:
        if p.text in ("What the assessor observed", "What the witness saw"):
            p.runs[0].text = "Account"
            for run in p.runs[1:]:
                run.text = ""
    d.core_properties.title = "Completed record"


@pytest.mark.parametrize(("name", "kind", "who"), [
    ("observation-record", "observation", "Sam Okoro"),
    ("expert-witness-testimony", "witness", "Ann Lee")])
def test_a_form_with_reworded_labels_reads_back_by_its_ids(made, name, kind, who) -> None:
    learner, out = made
    d = docx.Document(str(out / f"L4-023_435_5.2_{name}.docx"))
    facts = {r.cells[0].text: r for r in d.tables[0].rows}
    facts["Date of observation"].cells[1].text = "2 October 2026"
    if kind == "witness":
        facts["Witness name"].cells[1].text = who
        facts["Witness role"].cells[1].text = "Team leader"
    write_observed(d, ["Tom listened carefully and summarised back what R told him."],
                   "What the assessor observed" if kind == "observation" else
                   "What the witness saw")
    reword(d)
    assert "Date of observation" not in {r.cells[0].text for r in d.tables[0].rows}
    (learner / "observations").mkdir()
    d.save(str(learner / "observations" / "form.docx"))

    note = next(n for n in analyse(learner).learner.notes if n.rel == "observations/form.docx")
    assert (note.type, str(note.date), note.mentee) == (kind, "2026-10-02", "Mentee R")
    assert note.criteria == ("5.2",) and note.author_name == who
    assert note.title == "Completed record"
    assert [b.text for b in note.blocks] == [
        "Tom listened carefully and summarised back what R told him."]


def test_a_form_made_before_its_fields_had_ids_reads_back_by_its_labels(made) -> None:
    """Completed forms already saved in folders have no field ids: their labels still work."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    learner, out = made
    d = docx.Document(str(out / "L4-023_435_5.2_observation-record.docx"))
    for rel_id, rel in list(d.part.rels.items()):
        if rel.reltype == RT.CUSTOM_XML:
            d.part.drop_rel(rel_id)
    date = next(r for r in d.tables[0].rows if r.cells[0].text == "Date of observation")
    date.cells[1].text = "2 October 2026"
    write_observed(d, ["Tom listened carefully and summarised back what R told him."])
    (learner / "observations").mkdir()
    d.save(str(learner / "observations" / "old-form.docx"))

    note = next(n for n in analyse(learner).learner.notes
                if n.rel == "observations/old-form.docx")
    assert (note.type, str(note.date), note.mentee) == ("observation", "2026-10-02", "Mentee R")
    assert note.criteria == ("5.2",) and note.author_name == "Sam Okoro"
    assert [b.text for b in note.blocks] == [
        "Tom listened carefully and summarised back what R told him."]
