"""A batch that survives faults: a locked output folder, workers that die with their parent,
no temporary file lost to another run, learners that take too long, ids that collide on
case-insensitive file systems, and a cohort walk that never enters a learner's folder.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from filelock import FileLock

from evidencegen import batch
from evidencegen.api import BuildOptions
from evidencegen.batch import LOCK, build_one, find_learners, sweep
from evidencegen.cli import cli

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def small_learner(folder: Path, learner_id: str, name: str = "Test Learner") -> Path:
    """A learner with one short note: quick to build."""
    (folder / "reading").mkdir(parents=True)
    (folder / "learner.yaml").write_text(f"name: {name}\nlearner_id: {learner_id}\n")
    (folder / "reading" / "models.txt").write_text(
        "Coaching is quick to set up. Its drawback is that it depends on one person.\n")
    return folder


def run_batch(cohort: Path, out: Path, *extra: str) -> Result:
    return CliRunner().invoke(cli, ["batch", str(cohort), "-o", str(out), "-f", "docx",
                                    "-j", "1", *extra])


def one_line(result: Result) -> str:
    assert "Traceback" not in result.output and "unexpected error" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_second_batch_on_a_locked_output_folder_stops_at_once(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    small_learner(cohort / "a", "L-1")
    out = tmp_path / "out"
    out.mkdir()
    with FileLock(out / LOCK):  # the first batch, still running
        result = run_batch(cohort, out)
        here = os.getcwd()
        os.chdir(tmp_path)
        try:
            relative = run_batch(Path("cohort"), Path("out"))
        finally:
            os.chdir(here)
    assert result.exit_code == 2
    line = one_line(result)
    assert "another batch is writing to this output folder" in line and "--wait" in line
    assert one_line(relative).startswith("evidencegen: out: another batch")
    assert sorted(p.name for p in out.iterdir()) == [LOCK]  # nothing written, nothing swept


def test_a_second_batch_with_wait_runs_once_the_first_is_done(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    small_learner(cohort / "a", "L-1")
    out = tmp_path / "out"
    out.mkdir()
    held, released = threading.Event(), threading.Event()

    def first_batch() -> None:  # another run, holding OUT for two seconds
        with FileLock(out / LOCK):
            held.set()
            time.sleep(2)
            released.set()

    threading.Thread(target=first_batch).start()
    assert held.wait(30)
    result = run_batch(cohort, out, "--wait")
    assert released.is_set(), result.output  # it could only have run after the first let go
    assert result.exit_code == 0, result.output
    assert (out / "L-1" / "L-1_435_1.1.docx").is_file()


def test_the_lock_of_a_killed_batch_does_not_block_the_next(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from filelock import "
                               f"FileLock; lock = FileLock({str(out / LOCK)!r}); lock.acquire(); "
                               "print('held', flush=True); time.sleep(600)"],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    cohort = tmp_path / "cohort"
    small_learner(cohort / "a", "L-1")
    assert run_batch(cohort, out).exit_code == 2
    holder.kill()
    holder.wait()
    assert run_batch(cohort, out).exit_code == 0


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rpartition(")")[2].split()
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc (Linux)")
def test_sigkill_of_the_batch_parent_leaves_no_worker_alive(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    small_learner(cohort / "hang", "HANG-1")
    small_learner(cohort / "fine", "FINE-1")
    env = {**os.environ, batch.SLOW_HOOK: "HANG-1"}  # one worker is busy for ever
    proc = subprocess.Popen([sys.executable, "-m", "evidencegen", "batch", str(cohort), "-o",
                             str(tmp_path / "out"), "-f", "docx", "-j", "2",
                             "--time-limit", "0"], env=env, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        for line in proc.stderr:  # the other learner done: both workers are up and busy
            if "FINE-1" in line:
                break
        workers = _children(proc.pid)
        assert len(workers) >= 2
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 60
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    survivors = [w for w in workers if _alive(w)]
    for w in survivors:  # never leave them behind, even when the test fails
        os.kill(w, signal.SIGKILL)
    assert survivors == []


def test_a_learner_past_the_time_limit_fails_and_the_rest_are_built(tmp_path: Path,
                                                                      monkeypatch) -> None:
    cohort = tmp_path / "cohort"
    small_learner(cohort / "hang", "HANG-1")
    small_learner(cohort / "fine", "FINE-1")
    monkeypatch.setenv(batch.SLOW_HOOK, "HANG-1")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(cohort), "-o", str(out), "-f", "docx",
                                      "-j", "2", "--time-limit", "20"])
    assert result.exit_code == 1, result.output
    (error,) = json.loads((out / "errors.json").read_text())
    assert error["folder"] == "hang"
    assert error["error"] == "hang: took longer than 20 s, so it was stopped (the limit is " \
                             "set by --time-limit)"
    assert (out / "FINE-1" / "FINE-1_435_1.1.docx").is_file()
    assert "1 built, 0 skipped, 1 failed" in result.output


def test_the_time_limit_stops_the_build_in_its_worker(tmp_path: Path, monkeypatch) -> None:
    folder = small_learner(tmp_path / "hang", "HANG-1")
    monkeypatch.setenv(batch.SLOW_HOOK, "HANG-1")
    outcome = build_one(folder, BuildOptions(out=tmp_path / "out", formats=("docx",)),
                        force=False, seconds=0.5)
    assert outcome.result == "failed"
    assert "took longer than 0.5 s" in (outcome.error or "")


def test_a_sweep_leaves_a_running_processs_temporary_files(tmp_path: Path) -> None:
    out = tmp_path / "out" / "L-1"
    out.mkdir(parents=True)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        live = out / f".L-1_435_1.1.docx.{other.pid}.abcd1234.part"
        live.write_bytes(b"half")
        dead_pid = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                                  capture_output=True, text=True).stdout.strip()
        dead = out / f".L-1_435_5.2.docx.{dead_pid}.efgh5678.part"
        dead.write_bytes(b"half")
        old = out / ".coverage.json.xyz.part"  # named before ids were written
        old.write_bytes(b"half")
        assert sweep(tmp_path / "out") == 2
        assert live.exists() and not dead.exists() and not old.exists()
    finally:
        other.kill()
        other.wait()
    assert sweep(tmp_path / "out") == 1 and not live.exists()


def test_temporary_files_are_never_listed_as_documents(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    small_learner(cohort / "a", "L-1")
    out = tmp_path / "out"
    assert run_batch(cohort, out).exit_code == 0
    keep = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        (out / "L-1" / f".L-1_435_9.9.docx.{keep.pid}.aaaa.part").write_bytes(b"x")
        assert run_batch(cohort, out, "--force").exit_code == 0
        html = (out / "cohort.html").read_text()
        assert ".part" not in html and "9.9" not in html
    finally:
        keep.kill()
        keep.wait()


@pytest.mark.parametrize(("first", "second"), [
    ("L4-001", "l4-001"), ("L4-001", "L4/001"), ("Ab-Cd", "aB cD"), ("ÉLA-1", "éla-1"),
])
def test_ids_that_name_the_same_output_folder_are_refused_naming_both(
        tmp_path: Path, first: str, second: str) -> None:
    cohort = tmp_path / "cohort"
    small_learner(cohort / "one", f"'{first}'")
    small_learner(cohort / "two", f"'{second}'")
    out = tmp_path / "out"
    result = run_batch(cohort, out)
    assert result.exit_code == 1
    errors = {e["folder"]: e["error"] for e in json.loads((out / "errors.json").read_text())}
    assert set(errors) == {"one", "two"}
    for message in errors.values():
        assert "one/learner.yaml" in message and "two/learner.yaml" in message
    assert not [p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")]


@pytest.mark.parametrize("second", ["L4-001", "l4-001"])
def test_build_of_two_folders_with_the_same_id_is_refused(tmp_path: Path, second) -> None:
    a = small_learner(tmp_path / "a", "L4-001")
    b = small_learner(tmp_path / "b", second, name="Other Learner")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(a), str(b), "-o", str(out), "-f", "docx"])
    assert result.exit_code == 2
    line = one_line(result)
    assert str(a / "learner.yaml") in line and str(b / "learner.yaml") in line
    assert not out.exists()


def test_the_cohort_walk_never_enters_a_learners_folder(tmp_path: Path, monkeypatch) -> None:
    cohort = tmp_path / "cohort"
    for i in range(30):
        folder = small_learner(cohort / f"group-{i % 3}" / f"l{i}", f"L-{i}")
        for sub in ("sessions", "sessions/old", "reading/more"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        small_learner(folder / "nested", f"N-{i}")  # a copy inside her folder: hers
    (cohort / ".hidden" / "x").mkdir(parents=True)
    (cohort / ".hidden" / "x" / "learner.yaml").write_text("name: H\nlearner_id: H\n")
    (cohort / "loop").symlink_to(cohort)  # a link back up must not be followed
    listed: list[str] = []
    real = os.scandir

    def counting(path):
        listed.append(str(path))
        return real(path)

    monkeypatch.setattr(batch.os, "scandir", counting)
    found = find_learners(cohort)
    assert [f.relative_to(cohort).as_posix() for f in found] == sorted(
        f"group-{i % 3}/l{i}" for i in range(30))
    assert len(listed) == 1 + 3 + 30  # the cohort, its groups, each learner's folder once


def test_a_learner_stuck_in_native_code_is_stopped_by_its_cpu_limit(tmp_path: Path,
                                                                      monkeypatch) -> None:
    """One long native call holds the interpreter: no Python-level alarm can run until it
    returns, so the worker's CPU-time limit ends it and the learner is still reported."""
    cohort = tmp_path / "cohort"
    small_learner(cohort / "spin", "SPIN-1")
    monkeypatch.setenv(batch.SPIN_HOOK, "SPIN-1")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(cohort), "-o", str(out), "-f", "docx",
                                      "-j", "1", "--time-limit", "3"])
    assert result.exit_code == 1, result.output
    errors = {e["folder"]: e["error"] for e in json.loads((out / "errors.json").read_text())}
    assert errors == {"spin": "spin: took longer than 3 s, so it was stopped (the limit is set "
                              "by --time-limit)"}
    assert not list(Path.cwd().glob("core*"))
