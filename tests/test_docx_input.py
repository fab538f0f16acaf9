"""Word files as input: a learner's own .docx notes, and the round trip of an edited draft."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from evidencegen.api import BuildOptions, analyse, build
from evidencegen.cli import cli


@pytest.fixture(scope="module")
def part_way_draft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("drafts")
    result = build(SAMPLES / "part-way", BuildOptions(out=out, formats=("docx",),
                                                     criteria=("5.2",)))
    return result.files[0]


def test_unedited_draft_reads_back_as_the_same_sessions(part_way_draft: Path) -> None:
    result = analyse(part_way_draft)
    assert result.learner.name == "Tom Brennan" and result.learner.learner_id == "L4-023"
    sessions = [n for n in result.learner.notes if n.type == "session"]
    assert [(str(n.date), n.mentee) for n in sessions] == [
        ("2026-07-06", "Mentee R"), ("2026-08-03", "Mentee R")]
    techniques = {h.element for h in result.maps["5.2"].hits}
    assert techniques == {"active_listening", "regular_meetings"}
    assert result.coverage["5.2"].status == "in_progress"


def test_edited_draft_reflects_a_deleted_session_and_a_new_technique(
        part_way_draft: Path, tmp_path: Path) -> None:
    d = docx.Document(str(part_way_draft))
    body = d.element.body
    paragraphs = d.paragraphs
    # as a learner would in Word: delete the second session (its heading and its text) ...
    start = next(i for i, p in enumerate(paragraphs) if p.text.startswith("3 August 2026"))
    end = next(i for i, p in enumerate(paragraphs) if p.style.name == "Heading 1" and i > start)
    for p in paragraphs[start:end]:
        body.remove(p._p)
    # ... and add a paragraph to the first session that shows a new technique
    first = next(p for p in d.paragraphs if p.text.startswith("First meeting with R"))
    new = first.insert_paragraph_before(
        "I praised her for handling the missed call calmly and told her well done.")
    new.style = d.styles["Normal"]
    edited = tmp_path / "edited.docx"
    d.save(str(edited))

    result = analyse(edited)
    sessions = [n for n in result.learner.notes if n.type == "session"]
    assert [str(n.date) for n in sessions] == ["2026-07-06"]
    techniques = {h.element for h in result.maps["5.2"].hits}
    assert "positive_reinforcement" in techniques
    hit = next(h for h in result.maps["5.2"].hits if h.element == "positive_reinforcement")
    assert hit.quote.startswith("I praised her")
    rules = {r.rule: r for r in result.coverage["5.2"].rules}
    assert rules["sessions_with_same_mentee"].found == 1
    assert not rules["sessions_with_same_mentee"].met


def test_edited_1_1_draft_keeps_the_comparison(tmp_path: Path) -> None:
    result = build(SAMPLES / "complete", BuildOptions(out=tmp_path, formats=("docx",),
                                                     criteria=("1.1",)))
    back = analyse(result.files[0])
    cov = back.coverage["1.1"]
    assert cov.status == "ready"
    folder = analyse(SAMPLES / "complete").coverage["1.1"]
    assert len(cov.evidence.comparisons) == len(folder.evidence.comparisons) >= 5
    assert {r.rule: r.found for r in cov.rules}["references"] == 3


def test_learner_word_note_counts_in_a_folder(learner_dir, tmp_path: Path) -> None:
    folder = learner_dir()
    (folder / "sessions").mkdir()
    d = docx.Document()
    d.add_heading("Catch-up with Mentee A", level=1)
    d.add_paragraph("I listened to her worries about nights and we agreed to meet every "
                    "other week.")
    d.save(str(folder / "sessions" / "2026-04-01-catch-up.docx"))
    result = analyse(folder)
    (n,) = result.learner.notes
    assert (n.type, str(n.date), n.rel) == ("session", "2026-04-01",
                                            "sessions/2026-04-01-catch-up.docx")
    lines = {(h.element, h.line) for h in result.maps["5.2"].hits}
    assert lines == {("active_listening", 2), ("regular_meetings", 2)}


def test_a_broken_word_file_is_a_clear_error(learner_dir, tmp_path: Path) -> None:
    folder = learner_dir()
    (folder / "notes.docx").write_bytes(b"this is not a zip file")
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 2
    assert "notes.docx" in result.stderr and "Word document" in result.stderr
    assert "Traceback" not in result.output
