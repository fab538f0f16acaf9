"""Faults lose nothing: a refused or failed write leaves earlier outputs whole."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from conftest import SAMPLES

from evidencegen import output
from evidencegen.cli import cli


def build(folder: Path, out: Path):
    return CliRunner().invoke(cli, ["build", str(folder), "-o", str(out), "-f", "both"])


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def changed_sample(tmp_path: Path) -> Path:
    import shutil

    folder = tmp_path / "learner"
    shutil.copytree(SAMPLES / "part-way", folder)
    return folder


def test_full_disk_leaves_earlier_outputs_untouched(tmp_path: Path, monkeypatch) -> None:
    folder = changed_sample(tmp_path)
    out = tmp_path / "out"
    assert build(folder, out).exit_code == 0
    before = snapshot(out)
    (folder / "sessions" / "2026-08-03-rota.md").write_text("I praised her.\n")
    real = os.fdopen
    calls = {"n": 0}

    class FullDisk:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            calls["n"] += 1
            if calls["n"] == 3:  # the third document hits a full disk
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.fh.write(data)

        def flush(self):
            self.fh.flush()

        def fileno(self):
            return self.fh.fileno()

    monkeypatch.setattr(output.os, "fdopen", lambda fd, mode: FullDisk(real(fd, mode)))
    result = build(folder, out)
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr and "nothing was changed" in result.stderr
    assert snapshot(out) == before
    assert not list(out.rglob("*.part"))


def test_read_only_output_folder(tmp_path: Path, monkeypatch) -> None:
    folder = changed_sample(tmp_path)
    out = tmp_path / "out"
    assert build(folder, out).exit_code == 0
    before = snapshot(out)
    target = out / "L4-023"
    if os.geteuid() != 0:
        target.chmod(0o500)
    else:  # root writes anywhere: refuse at the file-writing seam instead
        def refuse(*args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(output.tempfile, "mkstemp", refuse)
    try:
        result = build(folder, out)
    finally:
        target.chmod(0o755)
    assert result.exit_code == 2
    assert "Permission denied" in result.stderr or "permission denied" in result.stderr
    assert snapshot(out) == before


def test_batch_killed_with_sigkill_then_rerun_completes(tmp_path: Path) -> None:
    import shutil

    cohort = tmp_path / "cohort"
    for i in range(6):
        shutil.copytree(SAMPLES / "complete", cohort / f"l{i}")
        text = (cohort / f"l{i}" / "learner.yaml").read_text()
        (cohort / f"l{i}" / "learner.yaml").write_text(text.replace("L4-017", f"K-{i}"))
    cmd = [sys.executable, "-m", "evidencegen", "batch", str(cohort), "-j", "2", "-o",
           str(tmp_path / "out")]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert proc.stderr is not None
    for line in proc.stderr:
        if " built " in line:
            break
    os.killpg(proc.pid, signal.SIGKILL)  # the parent and its workers, mid-write
    proc.wait(timeout=30)
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert not list((tmp_path / "out").rglob("*.part"))
    assert len(list((tmp_path / "out").rglob("*.pdf"))) == 18

