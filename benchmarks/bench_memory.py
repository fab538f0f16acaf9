"""Peak memory of a batch by cohort size: the parent alone, and the whole process tree.

Run:  python benchmarks/bench_memory.py [-n 20 200 1000] [-j 2] [-f docx] [--executor processes]
      [--varied] [--check]

Each size gets a generated cohort (benchmarks/make_cohort.py, seeded), built into a fresh
OUT by `python -m evidencegen batch` (the command users run) in a child process. The
resident set size (RSS) of that process and of all its descendants (the workers, and the
pandoc each runs for a Word document) is sampled every 0.1 s with psutil; the peaks are
printed (with the largest worker's, and the most the pandoc processes held at once) with
the time taken, and the parent's and the tree's as a ratio to the smallest cohort's. RSS
counts pages shared between processes (the language model, libraries) once per process,
so the tree figure is an upper bound. With --check the exit code is 1 when a ratio passes 1.2 (too
slow for CI: the README gives the command and its last figures).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))

from make_cohort import make_cohort

MB = 1024 * 1024
LIMIT = 1.2  # the largest cohort's peaks, as a multiple of the smallest's


@dataclass
class Run:
    parent: float  # MB
    tree: float  # MB
    worker: float  # MB, the largest single worker process
    helpers: float  # MB, the most the helper programs (pandoc) held at once
    seconds: float
    code: int


def measure(cohort: Path, out: Path, jobs: int, fmt: str, executor: str,
            every: float = 0.1) -> Run:
    """The peaks of one batch run, sampled while it runs."""
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "evidencegen", "batch", str(cohort), "-o",
                             str(out), "-j", str(jobs), "-f", fmt, "--executor", executor],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(proc.pid)
    peak = Run(0, 0, 0, 0, 0, 0)
    while proc.poll() is None:
        try:
            own = parent.memory_info().rss
            tree, helpers = own, 0
            for child in parent.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    rss = child.memory_info().rss
                    tree += rss
                    if child.name().startswith("python"):
                        peak.worker = max(peak.worker, rss / MB)
                    else:
                        helpers += rss
            peak.helpers = max(peak.helpers, helpers / MB)
        except psutil.Error:
            break
        peak.parent, peak.tree = max(peak.parent, own / MB), max(peak.tree, tree / MB)
        time.sleep(every)
    peak.seconds, peak.code = time.monotonic() - started, proc.wait()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, nargs="+", default=[20, 200, 1000])
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("-f", "--format", dest="fmt", default="docx",
                        choices=["docx", "pdf", "both"])
    parser.add_argument("--executor", default="processes", choices=["processes", "dask"])
    parser.add_argument("--varied", action="store_true",
                        help="cohorts whose sessions hold sentences unique to each learner")
    parser.add_argument("--check", action="store_true",
                        help=f"exit 1 if a peak passes {LIMIT}x the smallest cohort's")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    print(f"batch -j {args.jobs} -f {args.fmt} --executor {args.executor}"
          + (" (varied cohorts)" if args.varied else ""))
    print(f"{'learners':>8} {'parent MB':>10} {'tree MB':>8} {'worker MB':>10} "
          f"{'pandoc MB':>10} "
          f"{'seconds':>8} {'s/learner':>9}  ratio to the first (parent, tree)")
    first: Run | None = None
    over: list[str] = []
    for n in sorted(args.n):
        with tempfile.TemporaryDirectory() as tmp:
            cohort = make_cohort(Path(tmp) / "cohort", n, varied=args.varied)
            run = measure(cohort, Path(tmp) / "out", args.jobs, args.fmt, args.executor)
        first = first or run
        ratios = run.parent / first.parent, run.tree / first.tree
        over += [f"{what} x{r:.2f} at {n}" for what, r in zip(("parent", "tree"), ratios,
                                                               strict=True) if r > LIMIT]
        print(f"{n:>8} {run.parent:>10.0f} {run.tree:>8.0f} {run.worker:>10.0f} "
              f"{run.helpers:>10.0f} "
              f"{run.seconds:>8.1f} {run.seconds / n:>9.2f}  x{ratios[0]:.2f}, x{ratios[1]:.2f}"
              + (f"  (exit {run.code})" if run.code else ""), flush=True)
        if run.code:
            over.append(f"the batch of {n} exited {run.code}")
    if args.check and over:
        sys.exit(f"over {LIMIT}x or failed: " + "; ".join(over))


if __name__ == "__main__":
    main()
