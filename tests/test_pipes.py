"""Output read by `| head`, `| less` (then q) or nobody: the run ends quietly, exit 141.

Real pipes, real processes: a reader that has already gone (the read end closed before
the command writes) makes the first write fail every time, so these tests do not depend on
timing; the shell pipelines show the same through `head`.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES

SCRIPT = Path(sys.executable).with_name("evidencegen")
COMMAND = [str(SCRIPT)] if SCRIPT.is_file() else [sys.executable, "-m", "evidencegen"]
PIPE_CLOSED = 141


def reader_gone(*args: str, cwd: Path, closed: str = "stdout") -> tuple[int, str]:
    """Run evidencegen with its stdout (or stderr) a pipe whose reader has already gone."""
    other = subprocess.PIPE if closed == "stdout" else subprocess.DEVNULL
    proc = subprocess.Popen([*COMMAND, *args], cwd=cwd,
                            stdout=subprocess.PIPE if closed == "stdout" else other,
                            stderr=subprocess.PIPE)
    said = b""
    if closed == "stdout":
        assert proc.stdout is not None
        proc.stdout.close()
        assert proc.stderr is not None
        said = proc.stderr.read()
    else:
        assert proc.stderr is not None
        proc.stderr.close()
    return proc.wait(timeout=300), said.decode()


@pytest.mark.parametrize("args", [
    ["criteria"], ["criteria", "5.2"], ["--help"], ["--version"], ["check", "--help"],
    ["check", str(SAMPLES / "part-way")],
    ["check", str(SAMPLES / "part-way"), "--format", "json"],
    ["explain", str(SAMPLES / "part-way" / "sessions" / "2026-08-03-rota.md")],
], ids=lambda a: " ".join(Path(x).name if "/" in x else x for x in a))
def test_a_command_whose_reader_has_gone_exits_141_without_a_word(tmp_path, args) -> None:
    code, stderr = reader_gone(*args, cwd=tmp_path)
    assert stderr == ""
    assert code == PIPE_CLOSED


def test_a_batch_whose_summary_nobody_reads_still_builds_every_learner(tmp_path) -> None:
    code, stderr = reader_gone("batch", str(SAMPLES), "-o", "out", "-f", "docx", "-j", "1",
                               cwd=tmp_path)
    assert code == PIPE_CLOSED
    assert "Traceback" not in stderr and "error" not in stderr
    assert stderr.count(" built ") == 3  # the progress lines, on stderr, were all written
    assert (tmp_path / "out" / "cohort.csv").is_file()


def test_a_batch_whose_progress_nobody_reads_stops_cleanly(tmp_path) -> None:
    code, _ = reader_gone("batch", str(SAMPLES), "-o", "out", "-f", "docx", "-j", "1",
                          cwd=tmp_path, closed="stderr")
    assert code == PIPE_CLOSED
    assert not list((tmp_path / "out").rglob("*.part"))


@pytest.mark.parametrize("line", [
    "evidencegen criteria | head -1",
    "evidencegen criteria 5.2 | head -1",
    f"evidencegen check {shlex.quote(str(SAMPLES / 'complete'))} | head -1",
    f"evidencegen batch {shlex.quote(str(SAMPLES))} -o out -f docx -j 1 2>&1 | head -1",
])
def test_a_shell_pipe_into_head_shows_no_traceback(tmp_path, line) -> None:
    command = " ".join(shlex.quote(c) for c in COMMAND)
    shell = f"set -o pipefail; {line.replace('evidencegen', command, 1)}"
    run = subprocess.run(["bash", "-c", shell], cwd=tmp_path, capture_output=True, text=True,
                         timeout=300)
    assert len(run.stdout.splitlines()) == 1
    assert run.stderr == ""
    assert run.returncode in (0, PIPE_CLOSED)  # 0 when all output fitted the pipe in time
