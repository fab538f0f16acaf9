"""One learner's whole build, this checkout against an earlier commit, in one run.

Run:  python benchmarks/bench_versus.py BASELINE_REF [LEARNER_DIR] [--rounds N] [--builds K]

Timings on a shared machine drift by tens of percent from minute to minute, so a figure
from last week cannot be compared with one from today. This benchmark checks BASELINE_REF
out into a temporary git worktree and times both versions in the same run, alternating:
each round starts one fresh process per version, which builds the learner K times with the
real build path (``evidencegen.api.build``: reading, judging, templates, Word, PDF, the
location sheet and coverage.json, written to disk). The first build of a process pays for
imports and font discovery, so a round's figure is the median of the other builds. The
report is the median of each version over the rounds and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORKER = """
import datetime as dt, json, shutil, statistics, sys, tempfile, time
from pathlib import Path
from evidencegen.api import BuildOptions, build
folder, builds = Path(sys.argv[1]), int(sys.argv[2])
times = []
with tempfile.TemporaryDirectory() as out:
    for i in range(builds + 1):
        target = Path(out) / str(i)
        t = time.perf_counter()
        build(folder, BuildOptions(out=target, today=dt.date(2026, 11, 22)))
        times.append(time.perf_counter() - t)
print(json.dumps({"first": times[0], "median": statistics.median(times[1:])}))
"""


def run(src: Path, folder: Path, builds: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(src), "SOURCE_DATE_EPOCH": "1790000000"}
    done = subprocess.run([sys.executable, "-c", WORKER, str(folder), str(builds)], env=env,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("baseline", help="a commit, tag or branch to compare with")
    parser.add_argument("learner", nargs="?", type=Path, default=ROOT / "samples" / "complete")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--builds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "baseline"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base),
                        args.baseline], check=True, capture_output=True)
        try:
            figures: dict[str, list[dict[str, float]]] = {"baseline": [], "this": []}
            for _ in range(args.rounds):
                figures["baseline"].append(run(base / "src", args.learner.resolve(),
                                               args.builds))
                figures["this"].append(run(ROOT / "src", args.learner.resolve(), args.builds))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                            str(base)], check=False, capture_output=True)
    print(f"learner: {args.learner}; {args.rounds} rounds of {args.builds} builds")
    medians = {}
    for name, rounds in figures.items():
        medians[name] = statistics.median(r["median"] for r in rounds)
        first = statistics.median(r["first"] for r in rounds)
        label = args.baseline if name == "baseline" else "this checkout"
        print(f"  {label:<16} build {medians[name] * 1000:7.0f} ms   first in a process "
              f"{first * 1000:7.0f} ms")
    print(f"  ratio (this / baseline): {medians['this'] / medians['baseline']:.2f}")


if __name__ == "__main__":
    main()
