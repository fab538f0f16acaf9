"""Batch over a cohort: faults stay local, reruns skip what has not changed, a tracker."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES, ctrl_c_reaches_it

from evidencegen.cli import cli


@pytest.fixture
def cohort(tmp_path: Path) -> Path:
    root = tmp_path / "cohort"
    for name in ("complete", "part-way", "just-started"):
        shutil.copytree(SAMPLES / name, root / "group-a" / name)
    bad_yaml = root / "group-b" / "bad-yaml"
    bad_yaml.mkdir(parents=True)
    (bad_yaml / "learner.yaml").write_text("name: X\nlearner_id: L4-900\nnmae: typo\n")
    bad_note = root / "group-b" / "bad-note"
    shutil.copytree(SAMPLES / "just-started", bad_note)
    (bad_note / "learner.yaml").write_text("name: Y\nlearner_id: L4-901\n")
    (bad_note / "sessions").mkdir()
    (bad_note / "sessions" / "a.md").write_text("---\ndate: 2026-02-31\n---\nHi.\n")
    dup = root / "group-b" / "duplicate"
    shutil.copytree(SAMPLES / "part-way", dup)
    return root


def run(cohort: Path, out: Path, *extra: str):
    return CliRunner().invoke(cli, ["batch", str(cohort), "-o", str(out), "-f", "docx",
                                    "-j", "2", *extra])


def results(out: Path, output: str | None = None) -> dict[str, str]:
    """Each learner folder's result: failed (an error in the tracker), else built/skipped
    from the progress lines."""
    rows = list(csv.DictReader((out / "cohort.csv").open()))
    got = {}
    for r in rows:
        if r["error"]:
            got[r["folder"]] = "failed"
        else:
            got[r["folder"]] = "skipped" if output and f"skipped {r['learner_id']}" in output \
                else "built"
    return got


def test_mixed_cohort_builds_the_good_and_reports_the_bad(cohort: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(cohort, out)
    assert result.exit_code == 1
    assert results(out) == {
        "group-a/complete": "built", "group-a/just-started": "built",
        "group-a/part-way": "failed", "group-b/bad-note": "failed",
        "group-b/bad-yaml": "failed", "group-b/duplicate": "failed"}
    errors = {e["folder"]: e["error"] for e in json.loads((out / "errors.json").read_text())}
    assert "learner.yaml:3: unknown field 'nmae'" in errors["group-b/bad-yaml"]
    assert "sessions/a.md:2:" in errors["group-b/bad-note"]
    dup_error = errors["group-b/duplicate"]
    assert "L4-023" in dup_error and "group-a/part-way" in dup_error
    assert "group-b/duplicate" in dup_error
    assert (out / "L4-017" / "L4-017_435_5.2.docx").is_file()
    assert not (out / "L4-900").exists()
    assert "2 built, 0 skipped, 4 failed" in result.output


def test_rerun_skips_changed_note_rebuilds_force_rebuilds_all(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    for name in ("complete", "part-way", "just-started"):
        shutil.copytree(SAMPLES / name, cohort / name)
    out = tmp_path / "out"
    assert run(cohort, out).exit_code == 0
    assert set(results(out).values()) == {"built"}
    first = (out / "L4-017" / "L4-017_435_1.1.docx").stat().st_mtime_ns

    again = run(cohort, out)
    assert again.exit_code == 0 and "0 built, 3 skipped, 0 failed" in again.output
    assert (out / "L4-017" / "L4-017_435_1.1.docx").stat().st_mtime_ns == first

    note = cohort / "part-way" / "sessions" / "2026-08-03-rota.md"
    note.write_text(note.read_text() + "\nI praised her for the new rota.\n")
    changed = run(cohort, out)
    assert results(out, changed.output) == {"complete": "skipped", "just-started": "skipped",
                                            "part-way": "built"}
    assert "1 built, 2 skipped" in changed.output

    forced = run(cohort, out, "--force")
    assert "3 built, 0 skipped" in forced.output


def test_tracker_cells_match_each_learners_coverage(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    for name in ("complete", "part-way"):
        shutil.copytree(SAMPLES / name, cohort / name)
    out = tmp_path / "out"
    assert run(cohort, out).exit_code == 0
    rows = {r["learner_id"]: r for r in csv.DictReader((out / "cohort.csv").open())}
    for learner_id, row in rows.items():
        coverage = json.loads((out / learner_id / "coverage.json").read_text())
        for criterion in coverage["criteria"]:
            assert row[criterion["id"]] == criterion["status"]
        assert int(row["not_started"]) == sum(
            1 for c in coverage["criteria"] if c["status"] == "not_started")
    data = json.loads((out / "cohort.json").read_text())
    assert data["criteria"][:2] == ["1.1", "1.2"]
    assert {r["learner_id"] for r in data["learners"]} == {"L4-017", "L4-023"}


def test_a_worker_that_dies_costs_only_its_learner(tmp_path: Path, monkeypatch) -> None:
    cohort = tmp_path / "cohort"
    for name in ("complete", "part-way", "just-started"):
        shutil.copytree(SAMPLES / name, cohort / name)
    monkeypatch.setenv("EVIDENCEGEN_TEST_KILL_WORKER_FOR", "L4-023")
    out = tmp_path / "out"
    result = run(cohort, out)
    assert result.exit_code == 1
    assert results(out) == {"complete": "built", "just-started": "built", "part-way": "failed"}
    (error,) = json.loads((out / "errors.json").read_text())
    assert "stopped unexpectedly" in error["error"]


def _cohort_of(root: Path, n: int) -> Path:
    for i in range(n):
        folder = root / f"learner-{i:02d}"
        shutil.copytree(SAMPLES / "complete", folder)
        text = (folder / "learner.yaml").read_text()
        (folder / "learner.yaml").write_text(text.replace("L4-017", f"L4-{100 + i}"))
    return root


def test_interrupted_batch_then_rerun_matches_an_uninterrupted_run(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    import docx
    from pypdf import PdfReader

    cohort = _cohort_of(tmp_path / "cohort", 8)
    cmd = [sys.executable, "-m", "evidencegen", "batch", str(cohort), "-j", "2", "-o"]
    proc = subprocess.Popen([*cmd, str(tmp_path / "a")], stderr=subprocess.PIPE, text=True,
                            preexec_fn=ctrl_c_reaches_it)
    assert proc.stderr is not None
    for line in proc.stderr:
        if " built " in line:
            break
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)
    assert proc.returncode == 130
    interrupted = [p for p in (tmp_path / "a").rglob("*.docx")]
    assert 0 < len(interrupted) < 16  # it really stopped part-way
    assert not list((tmp_path / "a").rglob("*.part"))

    assert subprocess.run([*cmd, str(tmp_path / "a")], capture_output=True).returncode == 0
    assert subprocess.run([*cmd, str(tmp_path / "b")], capture_output=True).returncode == 0

    def tree(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}

    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    assert len([p for p in tree(tmp_path / "a") if p.endswith(".pdf")]) == 24  # 3 per learner
    for path in (tmp_path / "a").rglob("*.docx"):
        docx.Document(str(path))
    for path in (tmp_path / "a").rglob("*.pdf"):
        assert len(PdfReader(str(path)).pages) >= 1
    assert (tmp_path / "a" / "cohort.csv").read_text() == (
        tmp_path / "b" / "cohort.csv").read_text()
    assert os.path.getsize(tmp_path / "a" / "errors.json") > 0


def test_the_tracker_written_in_its_own_process_is_the_same_bytes_as_written_here(
        tmp_path: Path) -> None:
    from evidencegen.batch import Outcome, write_tracker, write_tracker_apart

    outcomes = [Outcome(f"learner-{i}", f"L4-{i:03d}", "built", name=f"Learner {i}",
                        statuses={"1.1": "ready", "5.2": "in_progress"}) for i in range(30)]
    outcomes.append(Outcome("broken", None, "failed", error="broken/learner.yaml: bad YAML",
                            file="broken/learner.yaml"))
    write_tracker(tmp_path / "here", outcomes, ["1.1", "5.2"], cohort=tmp_path)
    write_tracker_apart(tmp_path / "apart", outcomes, ["1.1", "5.2"], tmp_path, None)
    for name in ["cohort.csv", "cohort.json", "cohort.html", "errors.json"]:
        assert (tmp_path / "apart" / name).read_bytes() == \
            (tmp_path / "here" / name).read_bytes(), name
    assert _xlsx_parts(tmp_path / "apart" / "cohort.xlsx") == \
        _xlsx_parts(tmp_path / "here" / "cohort.xlsx")  # the clock aside
    assert "L4-029" in (tmp_path / "apart" / "cohort.csv").read_text()


def _xlsx_parts(path: Path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()
                if name != "docProps/core.xml"}  # its times are the clock's
