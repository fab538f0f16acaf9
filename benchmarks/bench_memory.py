"""Peak memory of a batch by cohort size: the parent alone, and the whole process tree.

Run:  python benchmarks/bench_memory.py [-n 20 200 1000] [-j 2] [-f docx] [--executor processes]

Each size gets a generated cohort (benchmarks/make_cohort.py, seeded), built into a fresh
OUT by the `evidencegen` command in a child process. The resident set size (RSS) of that
process and of all its descendants is sampled every 0.1 s with psutil; the peaks are
printed, with the time taken. RSS counts pages shared between processes (the language
model, libraries) once per process, so the tree figure is an upper bound.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))
import contextlib

from make_cohort import make_cohort

MB = 1024 * 1024


def measure(cohort: Path, out: Path, jobs: int, fmt: str, executor: str,
            every: float = 0.1) -> tuple[float, float, float, int]:
    """(peak parent RSS MB, peak tree RSS MB, seconds, exit code) of one batch run."""
    script = Path(sys.executable).with_name("evidencegen")
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "evidencegen"]
    started = time.monotonic()
    proc = subprocess.Popen([*command, "batch", str(cohort), "-o", str(out), "-j", str(jobs),
                             "-f", fmt, "--executor", executor],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(proc.pid)
    peak_parent = peak_tree = 0
    while proc.poll() is None:
        try:
            own = parent.memory_info().rss
            tree = own
            for child in parent.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    tree += child.memory_info().rss
        except psutil.Error:
            break
        peak_parent, peak_tree = max(peak_parent, own), max(peak_tree, tree)
        time.sleep(every)
    return peak_parent / MB, peak_tree / MB, time.monotonic() - started, proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, nargs="+", default=[20, 200, 1000])
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("-f", "--format", dest="fmt", default="docx",
                        choices=["docx", "pdf", "both"])
    parser.add_argument("--executor", default="processes", choices=["processes", "dask"])
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    print(f"batch -j {args.jobs} -f {args.fmt} --executor {args.executor}")
    print(f"{'learners':>8} {'parent MB':>10} {'tree MB':>9} {'seconds':>8} {'s/learner':>9}")
    first: tuple[float, float] | None = None
    for n in args.n:
        with tempfile.TemporaryDirectory() as tmp:
            cohort = make_cohort(Path(tmp) / "cohort", n)
            parent, tree, seconds, code = measure(cohort, Path(tmp) / "out", args.jobs,
                                                  args.fmt, args.executor)
        first = first or (parent, tree)
        print(f"{n:>8} {parent:>10.0f} {tree:>9.0f} {seconds:>8.1f} {seconds / n:>9.2f}"
              f"   (x{parent / first[0]:.2f} parent, x{tree / first[1]:.2f} tree vs the "
              f"first; exit {code})", flush=True)


if __name__ == "__main__":
    main()
