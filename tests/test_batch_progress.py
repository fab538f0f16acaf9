"""A batch tells people what it does: a line at once, then one per learner (or a bar on a
terminal); a learner who fails keeps her name, id and the file to fix."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from conftest import SAMPLES, ctrl_c_reaches_it

from evidencegen.api import BuildOptions
from evidencegen.batch import SLOW_HOOK, run_batch
from evidencegen.cli import cli

SCRIPT = Path(sys.executable).with_name("evidencegen")
COMMAND = [str(SCRIPT)] if SCRIPT.is_file() else [sys.executable, "-m", "evidencegen"]


def cohort_of(tmp_path: Path, *names: str) -> Path:
    for name in names:
        shutil.copytree(SAMPLES / name, tmp_path / "cohort" / name)
    return tmp_path / "cohort"


def test_the_first_line_comes_before_the_first_learner_finishes(tmp_path) -> None:
    cohort = cohort_of(tmp_path, "just-started", "part-way")
    env = {**os.environ, SLOW_HOOK: "L4-031"}  # her build never ends: nothing finishes
    proc = subprocess.Popen([*COMMAND, "batch", str(cohort), "-o", str(tmp_path / "out"),
                             "-j", "1", "-f", "docx", "--time-limit", "0"],
                            stderr=subprocess.PIPE, text=True, env=env,
                            preexec_fn=ctrl_c_reaches_it)
    assert proc.stderr is not None
    try:
        first = proc.stderr.readline()
        assert first == "found 2 learners, 0 unchanged, building 2 with 1 worker\n"
        assert not list((tmp_path / "out").rglob("*.docx"))
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)


def test_ci_logs_get_the_plan_then_one_plain_line_per_learner(tmp_path) -> None:
    cohort = cohort_of(tmp_path, "just-started", "part-way", "complete")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(cohort), "-o", str(out), "-f", "docx",
                                      "-j", "2"])
    lines = result.stderr.splitlines()
    assert lines[0] == "found 3 learners, 0 unchanged, building 3 with 2 workers"
    assert sorted(line.split("] ", 1)[1] for line in lines[1:4]) == [
        "built   L4-017", "built   L4-023", "built   L4-031"]
    assert [line.split("]")[0] for line in lines[1:4]] == ["[1/3", "[2/3", "[3/3"]
    (cohort / "complete" / "sessions" / "2026-09-08-team-huddle.md").write_text(
        "---\ntype: session\ndate: 2026-09-08\nmentee: Mentee J\n---\nWe talked.\n")
    again = CliRunner().invoke(cli, ["batch", str(cohort), "-o", str(out), "-f", "docx",
                                     "-j", "2"])
    assert again.stderr.splitlines()[0] == \
        "found 3 learners, 2 unchanged, building 1 with 1 worker"


def test_a_terminal_gets_a_progress_bar(tmp_path) -> None:
    import pty

    cohort = cohort_of(tmp_path, "just-started")
    main, follower = pty.openpty()
    proc = subprocess.Popen([*COMMAND, "batch", str(cohort), "-o", str(tmp_path / "out"),
                             "-f", "docx"], stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=300)
    os.close(main)
    text = seen.decode()
    assert text.startswith("found 1 learner, 0 unchanged, building 1 with 1 worker")
    assert "building  [------------------------------]  0/1" in text
    assert "building  [##############################]  1/1" in text
    assert "[1/1]" not in text  # no CI lines on a terminal


def test_a_failed_learner_keeps_her_name_id_and_the_file_that_failed(tmp_path) -> None:
    cohort = cohort_of(tmp_path, "just-started", "part-way")
    (cohort / "part-way" / "sessions" / "bad.md").write_text("---\ntype: sesion\n---\nHi.\n")
    out = tmp_path / "out"
    result = run_batch(cohort, BuildOptions(out=out, formats=("docx",)), jobs=1)
    failed = next(o for o in result.outcomes if o.result == "failed")
    assert (failed.folder, failed.learner_id, failed.name, failed.file) == (
        "part-way", "L4-023", "Tom Brennan", "part-way/sessions/bad.md")
    rows = {r["folder"]: r for r in csv.DictReader((out / "cohort.csv").open())}
    assert rows["part-way"]["name"] == "Tom Brennan"
    assert rows["part-way"]["learner_id"] == "L4-023"
    assert rows["part-way"]["error"].startswith("part-way/sessions/bad.md:2: ")


def test_a_learner_whose_learner_yaml_fails_is_named_by_that_file(tmp_path) -> None:
    cohort = cohort_of(tmp_path, "just-started")
    (cohort / "just-started" / "learner.yaml").write_text("name: [unclosed\n")
    result = run_batch(cohort, BuildOptions(out=tmp_path / "out", formats=("docx",)), jobs=1)
    (failed,) = result.outcomes
    assert failed.result == "failed"
    assert failed.file == "just-started/learner.yaml"
