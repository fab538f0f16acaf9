"""Time the language analysis: model load, analysis per note, and its share of a build.

Run:  python benchmarks/bench_analysis.py [--repeat N] [--baseline [COMMIT]]

(a) Loading spaCy and the English model, in a fresh interpreter (median of 3).
(b) Analysis per note: evidencegen.api.analyse on every learner folder of samples/ and
    benchmarks/corpus/*/, with the pipeline loaded and warm but the parse cache cleared
    before each folder, divided by the number of notes; and, of that, the time inside
    spaCy's pipeline (parsing only).
(c) One learner's whole build (samples/complete, DOCX and PDF) in one process, with the
    parse cache cleared before each build, next to the analysis stage alone; and a whole
    `evidencegen build` in a fresh process, model load included.
With --baseline, (c) is also measured for an earlier commit (default bcbf6f3, the phrase
matching before spaCy), exported with `git archive` into a temporary folder and run with
this Python, and the ratio today / before is printed.

Times are wall clock; CPU time of the process is shown beside them because on a busy
machine wall clock varies more. The code measured is this checkout's src/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
BASELINE = "bcbf6f3"
LEARNER = ROOT / "samples" / "complete"
TODAY = dt.date(2026, 12, 1)

_LOAD = """
import json, time
w, c = time.perf_counter(), time.process_time()
import spacy
w1, c1 = time.perf_counter(), time.process_time()
from evidencegen.analysis import nlp
nlp.load()
w2, c2 = time.perf_counter(), time.process_time()
print(json.dumps({"import": [w1 - w, c1 - c], "load": [w2 - w1, c2 - c1]}))
"""


def clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def since(start: tuple[float, float]) -> tuple[float, float]:
    wall, cpu = clock()
    return wall - start[0], cpu - start[1]


def median2(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def env_for(src: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"}


def learner_folders() -> list[Path]:
    found = [*ROOT.glob("samples/*/learner.yaml"), *ROOT.glob("benchmarks/corpus/*/*/learner.yaml")]
    return sorted(p.parent for p in found)


# (a) --------------------------------------------------------------------------------------

def model_load(repeat: int = 3) -> dict[str, tuple[float, float]]:
    runs = []
    for _ in range(repeat):
        done = subprocess.run([sys.executable, "-c", _LOAD], env=env_for(SRC), check=True,
                              capture_output=True, text=True)
        runs.append(json.loads(done.stdout))
    return {k: median2([tuple(r[k]) for r in runs]) for k in ("import", "load")}


# (b) --------------------------------------------------------------------------------------

def per_note(repeat: int) -> dict[str, float]:
    from evidencegen.analysis import nlp
    from evidencegen.api import analyse

    folders = learner_folders()
    pipeline = nlp.load()
    real_pipe = pipeline.pipe
    spent = [0.0, 0.0]
    sentences = [0]

    def timed_pipe(texts, **kwargs):  # type: ignore[no-untyped-def]
        texts = list(texts)
        sentences[0] += len(texts)
        start = clock()
        docs = list(real_pipe(texts, **kwargs))
        wall, cpu = since(start)
        spent[0] += wall
        spent[1] += cpu
        return iter(docs)

    for folder in folders:  # warm: imports, matchers compiled, criteria cached
        analyse(folder, today=TODAY)
    notes = parsed = 0
    total: list[tuple[float, float]] = []
    parse: list[tuple[float, float]] = []
    pipeline.pipe = timed_pipe  # type: ignore[method-assign]
    try:
        for folder in folders:
            runs, parses = [], []
            for _ in range(repeat):
                nlp._CACHE.clear()
                spent[:] = [0.0, 0.0]
                sentences[0] = 0
                start = clock()
                analysis = analyse(folder, today=TODAY)
                runs.append(since(start))
                parses.append(tuple(spent))
            notes += len(analysis.learner.notes)
            total.append(median2(runs))
            parse.append(median2(parses))
            parsed += sentences[0]
    finally:
        del pipeline.pipe
        nlp._CACHE.clear()
    return {"folders": len(folders), "notes": notes, "sentences": parsed,
            "wall": sum(t[0] for t in total) / notes, "cpu": sum(t[1] for t in total) / notes,
            "parse_wall": sum(t[0] for t in parse) / notes,
            "parse_cpu": sum(t[1] for t in parse) / notes}


# (c) --------------------------------------------------------------------------------------

def child_build(learner: Path, repeat: int) -> None:
    """Runs in a subprocess with the measured version on PYTHONPATH; prints JSON."""
    import evidencegen
    from evidencegen.api import BuildOptions, analyse, build

    try:
        from evidencegen.analysis import nlp

        clear = nlp._CACHE.clear
    except ImportError:  # before spaCy: nothing is cached between builds
        def clear() -> None:
            return None

    with tempfile.TemporaryDirectory() as tmp:
        def one(i: int) -> tuple[float, float]:
            clear()
            start = clock()
            build(learner, BuildOptions(out=Path(tmp) / str(i), today=TODAY))
            return since(start)

        first = one(-1)
        builds = [one(i) for i in range(repeat)]
    analyses = []
    for _ in range(repeat):
        clear()
        start = clock()
        analyse(learner, today=TODAY)
        analyses.append(since(start))
    print(json.dumps({"module": evidencegen.__file__, "first": first,
                      "build": median2(builds), "analyse": median2(analyses)}))


def measure_build(src: Path, learner: Path, repeat: int) -> dict[str, object]:
    done = subprocess.run([sys.executable, __file__, "--child-build", str(learner),
                           "--repeat", str(repeat)], env=env_for(src), check=True,
                          capture_output=True, text=True)
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    assert str(result["module"]).startswith(str(src)), result["module"]
    cold = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(3):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "evidencegen", "build", str(learner), "-o",
                            str(Path(tmp) / str(i))], env=env_for(src), check=True,
                           capture_output=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            cold.append((time.perf_counter() - start, cpu))
    result["cold"] = median2(cold)
    return result


def export(commit: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


# report -----------------------------------------------------------------------------------

def ms(pair: tuple[float, float] | list[float]) -> str:
    return f"{pair[0] * 1000:7.0f} ms ({pair[1] * 1000:5.0f} CPU)"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{os.cpu_count()} CPUs, {cpu}, Python {platform.python_version()}, "
            f"load average {load:.1f} at the start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", nargs="?", const=BASELINE, metavar="COMMIT",
                        help=f"also time the build at COMMIT (default {BASELINE})")
    parser.add_argument("--child-build", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_build:
        child_build(args.child_build, args.repeat)
        return
    sys.path.insert(0, str(SRC))  # measure this checkout, as the subprocesses do
    from evidencegen.analysis import nlp

    print(machine())
    load = model_load()
    print("\n(a) model load, fresh interpreter (median of 3)")
    print(f"  import spaCy                      {ms(load['import'])}")
    print(f"  load {nlp.MODEL_PACKAGE} {nlp.MODEL_VERSION}  {ms(load['load'])}")

    notes = per_note(args.repeat)
    print(f"\n(b) analysis per note, warm pipeline, parse cache cleared "
          f"({notes['notes']} notes in {notes['folders']} folders, "
          f"{notes['sentences'] / notes['notes']:.1f} sentences a note, median of {args.repeat})")
    print(f"  analyse, all stages               {ms((notes['wall'], notes['cpu']))}")
    print(f"  of which spaCy parsing            {ms((notes['parse_wall'], notes['parse_cpu']))}")
    print(f"  target: 25 ms a note -> {'met' if notes['wall'] <= 0.025 else 'NOT met'}")

    today = measure_build(SRC, LEARNER, args.repeat)
    rows = [("build, one process (median)", "build"), ("analysis stage alone", "analyse"),
            ("first build in the process", "first"), ("evidencegen build, fresh process", "cold")]
    before = None
    if args.baseline:
        with tempfile.TemporaryDirectory() as tmp:
            before = measure_build(export(args.baseline, Path(tmp)), LEARNER, args.repeat)
    print(f"\n(c) {LEARNER.relative_to(ROOT)}: DOCX and PDF for 1.1 and 5.2, parse cache "
          f"cleared before each build (median of {args.repeat}; fresh process: of 3)")
    head = f"  {'':34}{'today':>24}"
    if before:
        head += f"{'before (' + args.baseline + ')':>26}{'ratio':>8}"
    print(head)
    for label, key in rows:
        line = f"  {label:<34}{ms(today[key]):>24}"  # type: ignore[arg-type]
        if before:
            ratio = today[key][0] / before[key][0]  # type: ignore[index]
            line += f"{ms(before[key]):>26}{ratio:>7.2f}x"  # type: ignore[arg-type]
        print(line)
    share = today["analyse"][0] / today["build"][0]  # type: ignore[index]
    print(f"  analysis is {share:.0%} of today's build")
    if before:
        ratio = today["build"][0] / before["build"][0]  # type: ignore[index]
        print(f"  target: build at most 1.3x before -> {'met' if ratio <= 1.3 else 'NOT met'}")


if __name__ == "__main__":
    main()
