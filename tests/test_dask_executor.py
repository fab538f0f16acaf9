"""batch --executor dask: the same per-learner task on a Dask LocalCluster of two worker
processes gives the same files, byte for byte, as the process pool, with the same
incremental cache and the same fault isolation."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from evidencegen.cli import cli

pytest.importorskip("distributed", reason="the dask extra: pip install 'evidencegen[dask]'")


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root, by relative path; cohort.xlsx by its parts, without the
    workbook's creation time (openpyxl stamps the clock there, run or engine aside)."""
    files: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name.endswith(".lock"):
            continue
        rel = path.relative_to(root).as_posix()
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    if name != "docProps/core.xml":
                        files[f"{rel}!{name}"] = z.read(name)
        else:
            files[rel] = path.read_bytes()
    return files


@pytest.fixture
def cohort(tmp_path: Path) -> Path:
    for name in ("complete", "part-way", "just-started"):
        shutil.copytree(SAMPLES / name, tmp_path / "cohort" / name)
    return tmp_path / "cohort"


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def batch(cohort: Path, out: Path, *extra: str) -> Run:
    """A batch in its own process, as a centre runs it: no state shared with other tests."""
    done = subprocess.run([sys.executable, "-m", "evidencegen", "batch", str(cohort), "-o",
                           str(out), "-j", "2", *extra], capture_output=True, text=True,
                          timeout=600)
    return Run(done.returncode, done.stdout, done.stderr)


def test_dask_local_cluster_matches_the_process_pool_byte_for_byte(cohort, tmp_path,
                                                                    monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    pool = batch(cohort, tmp_path / "pool")
    dask = batch(cohort, tmp_path / "dask", "--executor", "dask")
    assert pool.exit_code == 0 and dask.exit_code == 0, (pool.output, dask.output)
    assert dask.stderr.splitlines()[0] == \
        "found 3 learners, 0 unchanged, building 3 with a local Dask cluster of 2 workers"
    assert "3 built, 0 skipped, 0 failed" in dask.stdout
    a, b = tree(tmp_path / "pool"), tree(tmp_path / "dask")
    assert sorted(a) == sorted(b)
    assert len([k for k in a if k.endswith(".pdf")]) == 9  # 3 per learner, really compared
    assert [k for k in a if a[k] != b[k]] == []


def test_dask_keeps_the_incremental_cache_and_isolates_a_broken_learner(cohort,
                                                                        tmp_path) -> None:
    out = tmp_path / "out"
    (cohort / "part-way" / "sessions" / "bad.md").write_text("---\ntype: sesion\n---\nHi.\n")
    first = batch(cohort, out, "--executor", "dask", "-f", "docx")
    assert first.exit_code == 1
    assert "2 built, 0 skipped, 1 failed" in first.stdout
    assert "failed  L4-023 (Tom Brennan): part-way/sessions/bad.md:2:" in first.stderr
    again = batch(cohort, out, "--executor", "dask", "-f", "docx")
    assert again.stderr.splitlines()[0] == \
        "found 3 learners, 2 unchanged, building 1 with a local Dask cluster of 2 workers"
    assert "0 built, 2 skipped, 1 failed" in again.stdout


def test_scheduler_without_dask_executor_is_a_usage_error(cohort, tmp_path) -> None:
    result = batch(cohort, tmp_path / "out", "--scheduler", "tcp://127.0.0.1:8786")
    assert result.exit_code == 2
    assert "--scheduler needs --executor dask" in result.output
    assert not (tmp_path / "out").exists()


def test_dask_runs_on_a_scheduler_given_by_its_address(cohort, tmp_path) -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=False, threads_per_worker=1,
                      dashboard_address=None) as cluster:  # threads, lighter on 2 cores
        result = CliRunner().invoke(cli, [  # in this process: its workers are threads here
            "batch", str(cohort), "-o", str(tmp_path / "out"), "-j", "2", "--executor", "dask",
            "-f", "docx", "--scheduler", cluster.scheduler_address])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        f"found 3 learners, 0 unchanged, building 3 with the Dask cluster at "
        f"{cluster.scheduler_address}")
    assert len(list((tmp_path / "out").rglob("*.docx"))) >= 6
