"""--strict-privacy writes nothing while any finding remains; unread files stay unread.

Each planted form is one that used to escape the guard, even under --strict-privacy: the
run must stop with exit 2, one line naming the file and line (never the data), and no
output folder, or an earlier output left exactly as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evidencegen.api import analyse
from evidencegen.cli import cli

LEARNER = ("name: Test Learner\nlearner_id: L4-001\nprogramme_start: 2026-03-01\n"
           "mentees: [Mentee A]\nprivate_names:\n  Margaret Hughes: Mrs H\n")
CLEAN = ("---\ntype: session\ndate: 2026-04-01\nmentee: Mentee A\n---\n"
         "We met for 45 minutes. I asked open questions and listened, and Mentee A set her "
         "own goals for the month.\n")
PLANTED = {
    "surname split by a line break": "Margaret\nHughes was calm.",
    "name joined by a non-breaking space": "Margaret\u00a0Hughes was calm.",
    "surname with a title": "Mrs Hughes was calm.",
    "first name alone": "Margaret was calm.",
    "initial and surname": "M. Hughes was calm.",
    "possessive with a curly apostrophe": "Hughes\u2019s room was calm.",
    "unlisted person": "My colleague Doreen Pilkington helped.",
    "landline in brackets": "Ring (01632) 960 123 today.",
    "dotted NHS number": "The number 943.476.5919 was on the chart.",
    "lower-case NI number": "Her NI is ab 12 34 56 c.",
    "street address": "She lives at 12 Acacia Avenue now.",
    "flat number": "She moved to Flat 4B last week.",
    "hospital number": "Her hospital number is RX123456.",
    "MRN": "MRN 1234567 was on the wristband.",
    "date of birth in words": "She was born on the 3rd of April 1941.",
    "date of birth in digits": "DOB 3/4/1941 was on the form.",
}


def _folder(root: Path, extra: str, name: str = "2026-04-01-a.md") -> Path:
    folder = root / "learner"
    (folder / "sessions").mkdir(parents=True, exist_ok=True)
    (folder / "learner.yaml").write_text(LEARNER, encoding="utf-8")
    (folder / "sessions" / name).write_text(CLEAN + extra + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("text", list(PLANTED.values()), ids=list(PLANTED))
def test_strict_privacy_writes_nothing(tmp_path: Path, text: str) -> None:
    folder = _folder(tmp_path, text)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(out), "-f", "docx",
                                      "--strict-privacy"])
    assert result.exit_code == 2, result.output
    assert "sessions/2026-04-01-a.md:7: " in result.stderr
    assert "nothing was written (--strict-privacy)" in result.stderr
    assert not out.exists()
    for word in ("Hughes", "Pilkington", "960 123", "476", "ab 12", "Acacia", "4B", "RX12",
                 "1234567", "1941"):
        assert word not in result.output


def test_strict_privacy_catches_a_name_in_a_file_name(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "", name="2026-04-01-margaret-hughes.md")
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(tmp_path / "out"),
                                      "--strict-privacy"])
    assert result.exit_code == 2
    assert "2026-04-01-Mrs H.md: a real name; nothing was written" in result.stderr
    assert "hughes" not in result.output.lower()
    assert not (tmp_path / "out").exists()


def test_strict_privacy_leaves_an_earlier_output_unchanged(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "")
    out = tmp_path / "out"
    first = CliRunner().invoke(cli, ["build", str(folder), "-o", str(out), "-f", "docx",
                                     "--strict-privacy"])
    assert first.exit_code == 0, first.output
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    _folder(tmp_path, PLANTED["name joined by a non-breaking space"])
    again = CliRunner().invoke(cli, ["build", str(folder), "-o", str(out), "-f", "docx",
                                     "--strict-privacy"])
    assert again.exit_code == 2
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    assert after == before and before


def test_strict_privacy_in_a_batch_fails_the_learner_and_writes_none_of_hers(tmp_path: Path
                                                                            ) -> None:
    _folder(tmp_path / "cohort", PLANTED["surname with a title"])
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(tmp_path / "cohort"), "-o", str(out),
                                      "-f", "docx", "-j", "1", "--strict-privacy"])
    assert result.exit_code == 1, result.output
    assert not (out / "L4-001").exists()
    errors = json.loads((out / "errors.json").read_text(encoding="utf-8"))
    assert [e["learner_id"] for e in errors] == ["L4-001"]
    assert "a real name; nothing was written" in errors[0]["error"]
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".json", ".csv", ".html"):
            assert "Hughes" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [".Margaret Hughes.md", "~$Margaret Hughes.docx",
                                  ".hidden/notes.md"])
def test_hidden_and_office_lock_files_are_never_read(tmp_path: Path, name: str) -> None:
    folder = _folder(tmp_path, "")
    path = folder / "sessions" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    # not even valid: reading it would fail loudly, so a clean run proves it was not read
    path.write_bytes(b"\x00\xffMargaret Hughes 07911 123456")
    analysis = analyse(folder)
    assert analysis.learner.privacy == ()
    assert [n.rel for n in analysis.learner.notes] == ["sessions/2026-04-01-a.md"]
    assert not any("Hughes" in w.path or "~$" in w.path for w in analysis.learner.warnings)


def test_a_note_error_names_the_file_without_the_name_in_it(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "", name="2026-04-01-margaret-hughes.md")
    (folder / "sessions" / "2026-04-01-margaret-hughes.md").write_text(
        "---\ntype: [session\n---\nWe met.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 2
    assert "sessions/2026-04-01-Mrs H.md:" in result.stderr
    assert "hughes" not in result.output.lower()
