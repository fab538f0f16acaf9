"""`evidencegen check`: the assessor's view of one learner, as text or JSON, and as a gate."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import SAMPLES, note

from evidencegen.cli import cli

DEMO_CENTRE = SAMPLES / "centres" / "northfield" / "centre.yaml"


def check(*args: str):
    return CliRunner().invoke(cli, ["check", *args])


def test_text_report_fits_80_columns_and_has_a_row_per_criterion() -> None:
    result = check(str(SAMPLES / "part-way"))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    rows = [line for line in lines if line[:3] in {"1.1", "5.2", "4.1"} and "  " in line]
    assert rows[0].split()[:3] == ["1.1", "in", "progress"]
    assert any(line.startswith("5.2   in progress") for line in lines)
    assert "gap At least 3 different techniques" in result.output
    assert "\x1b[" not in result.output  # no colour when not on a terminal
    assert "does not judge them" in result.output


def test_strict_is_a_gate() -> None:
    assert check(str(SAMPLES / "complete"), "--strict").exit_code == 0
    result = check(str(SAMPLES / "part-way"), "--strict")
    assert result.exit_code == 1
    assert "Not ready yet: 1.1, 5.2" in result.stderr
    assert check(str(SAMPLES / "part-way"), "-c", "4.1", "--strict").exit_code == 1


def test_strict_needs_met_asks_for_a_countersigned_observation() -> None:
    unkeyed = check(str(SAMPLES / "complete"), "-c", "5.2", "--strict", "--needs", "met")
    assert unkeyed.exit_code == 1
    assert "Not met yet: 5.2" in unkeyed.stderr
    keyed = check(str(SAMPLES / "complete"), "-c", "5.2", "--strict", "--needs", "met",
                  "--centre", str(DEMO_CENTRE))
    assert keyed.exit_code == 0, keyed.output
    assert "a DEMO signing key" in keyed.stderr
    signed_off = check(str(SAMPLES / "complete"), "-c", "5.2", "--strict", "--needs",
                       "signed_off", "--centre", str(DEMO_CENTRE))
    assert signed_off.exit_code == 1 and "Not signed off yet: 5.2" in signed_off.stderr


def test_json_report_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "reports" / "l4-017.json"
    result = check(str(SAMPLES / "complete"), "--format", "json", "-o", str(out), "-c", "5.2",
                   "--centre", str(DEMO_CENTRE))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert [c["id"] for c in data["criteria"]] == ["5.2"]
    assert data["criteria"][0]["status"] == "met"
    [record] = data["criteria"][0]["signatures"]
    assert (record["kind"], record["verified"], record["assessor"], record["demo_key"]) == (
        "observation", True, "Sam Okoro", True)
    assert record["files"][0]["path"] == "observations/2026-09-22-observation.md"
    assert {r["rule"] for r in data["criteria"][0]["rules"]} >= {
        "techniques_across_sessions", "relationship_over_time", "current_sessions",
        "declaration", "observed_or_witnessed"}


def test_check_writes_nothing_into_the_learner_folder(tmp_path: Path, learner_dir) -> None:
    folder = learner_dir({"a.md": "I listened.\n"})
    before = sorted(p.name for p in folder.rglob("*"))
    assert check(str(folder)).exit_code == 0
    assert sorted(p.name for p in folder.rglob("*")) == before


def test_check_one_note_on_its_own(tmp_path: Path) -> None:
    path = tmp_path / "models.md"
    path.write_text(note({"type": "knowledge"}, """
        ## Peer mentoring
        One benefit is shared experience. However, friends may avoid hard truths.
        """))
    result = check(str(path), "-c", "1.1")
    assert result.exit_code == 0, result.output
    assert "1.1   in progress" in result.output
    assert "so far 1 (" not in result.output  # peer has both sides: 1 complete model
    assert "so far 1." in result.output


def test_check_one_note_inside_a_learner_folder_uses_her_details() -> None:
    path = SAMPLES / "complete" / "reading" / "models-of-mentoring.md"
    result = check(str(path), "-c", "1.1")
    assert result.exit_code == 0
    assert result.output.startswith("Grace Adeyemi (L4-017)")
    assert "1.1   ready" in result.output


def test_centre_thresholds_override_the_packaged_ones(tmp_path: Path) -> None:
    rules = tmp_path / "centre-rules.yaml"
    rules.write_text('"5.2":\n  techniques_across_sessions:\n    min: 12\n')
    result = check(str(SAMPLES / "complete"), "-c", "5.2", "--rules", str(rules))
    assert result.exit_code == 0
    assert "5.2   in progress" in result.output
    flat = " ".join(result.output.split())
    assert "At least 12 different techniques need to show in dated sessions" in flat
    assert "with the same mentee; so far 11." in flat
    rules.write_text('"5.2":\n  techniques_across_sessions:\n    min: 11\n')
    assert "5.2   met" in check(str(SAMPLES / "complete"), "-c", "5.2", "--rules",
                                str(rules), "--centre", str(DEMO_CENTRE)).output


def test_bad_rules_file_names_the_line(tmp_path: Path) -> None:
    rules = tmp_path / "centre-rules.yaml"
    rules.write_text('"5.2":\n  techniques_across_sessions:\n    min: 4\n  no_such_rule:\n'
                     "    min: 1\n")
    result = check(str(SAMPLES / "complete"), "--rules", str(rules))
    assert result.exit_code == 2
    assert f"{rules}:4:" in result.stderr and "no rule 'no_such_rule'" in result.stderr
    rules.write_text('"5.2":\n  techniques_across_sessions:\n    minimum: 4\n')
    result = check(str(SAMPLES / "complete"), "--rules", str(rules))
    assert result.exit_code == 2
    assert f"{rules}:3:" in result.stderr and "unknown field 'minimum'" in result.stderr


def test_check_a_file_type_it_cannot_read(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG")
    result = check(str(path))
    assert result.exit_code == 2
    assert "photo.png" in result.stderr
