"""Forging an observation or witness record, or the centre's settings: every route is held.

Each test is one attempt. The learner's evidence for 5.2 is ready; only a countersigned
record makes it met, so `check --strict --needs met` is the gate.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pytest
from forgery_kit import (
    OBSERVATION,
    WITNESS,
    check,
    flat,
    held,
    make_centre,
    make_learner,
    run,
    signatures,
)

OBSERVED = "observations/2026-05-20-observation.md"


@pytest.fixture(autouse=True)
def _no_key_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVIDENCEGEN_SIGNING_KEY", raising=False)


@pytest.fixture
def centre(tmp_path: Path) -> Path:
    return make_centre(tmp_path)


def countersign(folder: Path, centre: Path, record: str = OBSERVED) -> None:
    result = run("sign", str(folder), record, "--assessor", "Sam Okoro", "--date",
                 "2026-05-21", "--centre", str(centre))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("rel", "text"), [(OBSERVED, OBSERVATION),
                                           ("witness/2026-05-20-witness.md", WITNESS),
                                           ("reflections/seen.md", OBSERVATION)])
def test_a_record_with_an_assessor_named_in_front_matter_is_held(tmp_path, centre, rel: str,
                                                                 text: str) -> None:
    learner = make_learner(tmp_path, extra={rel: text})
    held(learner, centre, "met", "not countersigned by an assessor (it names Sam Okoro")


def test_a_countersigned_observation_edited_afterwards_is_held(tmp_path, centre) -> None:
    learner = make_learner(tmp_path, extra={OBSERVED: OBSERVATION})
    countersign(learner, centre)
    assert check(learner, centre, "--strict", "--needs", "met").exit_code == 0
    path = learner / OBSERVED
    path.write_text(path.read_text().replace("naming one thing done well",
                                             "resolving a conflict expertly"))
    held(learner, centre, "met", "edited after it was countersigned")


def test_one_character_added_after_countersigning_is_held(tmp_path, centre) -> None:
    learner = make_learner(tmp_path, extra={OBSERVED: OBSERVATION})
    countersign(learner, centre)
    with (learner / OBSERVED).open("a") as f:
        f.write(" ")
    held(learner, centre, "met", "edited after it was countersigned")


def test_a_countersignature_moved_to_another_file_is_held(tmp_path, centre) -> None:
    learner = make_learner(tmp_path, extra={OBSERVED: OBSERVATION})
    countersign(learner, centre)
    moved = "observations/2026-06-20-observation.md"
    (learner / OBSERVED).rename(learner / moved)
    path = learner / "feedback.yaml"
    path.write_text(path.read_text().replace(OBSERVED, moved))
    held(learner, centre, "met", "changed after it was signed")


def test_a_countersigned_record_copied_from_another_learner_is_held(tmp_path, centre) -> None:
    other = make_learner(tmp_path, "other", extra={OBSERVED: OBSERVATION},
                         learner_yaml="name: Ann Other\nlearner_id: L4-901\n"
                         "mentees: [Mentee A]\ndeclaration:\n  signed: true\n")
    countersign(other, centre)
    learner = make_learner(tmp_path, extra={OBSERVED: OBSERVATION})
    shutil.copy(other / "feedback.yaml", learner / "feedback.yaml")
    held(learner, centre, "met", "changed after it was signed")


def test_a_record_countersigned_with_her_own_key_is_held(tmp_path, centre) -> None:
    learner = make_learner(tmp_path, extra={OBSERVED: OBSERVATION})
    countersign(learner, make_centre(tmp_path, "her-own-centre"))
    held(learner, centre, "met", "signed with a different key")


def test_a_countersigned_record_is_a_claim_where_no_key_is_configured(tmp_path, centre):
    learner = make_learner(tmp_path, extra={OBSERVED: OBSERVATION})
    countersign(learner, centre)
    held(learner, None, "met", "no signing key is configured")


def test_sign_refuses_the_learner_as_countersigning_assessor(tmp_path, centre) -> None:
    learner = make_learner(tmp_path, extra={OBSERVED: OBSERVATION})
    result = run("sign", str(learner), OBSERVED, "--assessor", "Tom Brennan", "--centre",
                 str(centre))
    assert result.exit_code == 2 and "is the learner herself" in result.stderr
    assert not (learner / "feedback.yaml").exists()


def test_sign_refuses_a_session_note_as_a_record(tmp_path, centre) -> None:
    learner = make_learner(tmp_path)
    result = run("sign", str(learner), "sessions/2026-04-01-first.md", "--assessor",
                 "Sam Okoro", "--centre", str(centre))
    assert result.exit_code == 2
    assert "only observation and witness records are countersigned" in result.stderr


def test_a_centre_yaml_planted_in_the_cohort_folder_is_ignored(tmp_path, centre) -> None:
    cohort = tmp_path / "cohort"
    learner = make_learner(cohort, extra={OBSERVED: OBSERVATION})
    planted = make_centre(cohort, "planted")  # her own key, named by a centre.yaml...
    countersign(learner, planted)
    shutil.move(str(planted), str(cohort / "centre-files"))
    (cohort / "centre.yaml").write_text("name: Planted\nsigning_key: centre-files/signing.key\n")
    out = tmp_path / "out"
    result = run("batch", str(cohort), "-o", str(out), "-f", "docx", "-j", "1")
    assert result.exit_code == 0, result.output
    assert "centre.yaml is not used" in result.stderr
    tracker = json.loads((out / "cohort.json").read_text())
    assert [row["5.2"] for row in tracker["learners"]] == ["ready"]
    assert "Planted" not in _header(out / "L4-900" / "L4-900_435_5.2.docx")
    real = run("batch", str(cohort), "-o", str(out), "-f", "docx", "-j", "1", "--force",
               "--centre", str(centre))
    assert real.exit_code == 0, real.output
    tracker = json.loads((out / "cohort.json").read_text())
    assert [row["5.2"] for row in tracker["learners"]] == ["ready"]
    assert "Test Centre" in _header(out / "L4-900" / "L4-900_435_5.2.docx")


def _header(path: Path) -> str:
    made = docx.Document(str(path))
    return " ".join(p.text for s in made.sections for p in s.header.paragraphs)


def test_a_countersigned_observation_is_verified_and_counted(tmp_path, centre) -> None:
    learner = make_learner(tmp_path, extra={OBSERVED: OBSERVATION})
    countersign(learner, centre)
    gate = check(learner, centre, "--strict", "--needs", "met")
    assert gate.exit_code == 0, gate.output
    text = flat(gate.stdout)
    assert "5.2 Met (observed)" in text
    assert (f"verified observation record {OBSERVED}, countersigned by Sam Okoro on "
            f"21 May 2026, over exactly: {OBSERVED}") in text
    [record] = signatures(learner, centre)
    assert record["verified"] and record["files"][0]["path"] == OBSERVED
    assert len(record["files"][0]["sha256"]) == 64


def test_an_uncountersigned_record_is_named_as_such_in_the_gap_not_as_missing(tmp_path, centre):
    learner = make_learner(tmp_path, extra={OBSERVED: OBSERVATION})
    gaps = flat(check(learner, centre).stdout)
    assert "counts only once your assessor has countersigned it" in gaps
    assert "No observation or expert witness note covers 5.2 yet" not in gaps
    bare = make_learner(tmp_path, name="bare")
    missing = flat(check(bare, centre).stdout)
    assert "No observation or expert witness note covers 5.2 yet" in missing
