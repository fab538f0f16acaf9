"""A cohort at a time: every learner folder built in worker processes, each fault kept local.

One broken folder never stops the run: its error (with file and line) is recorded and the
others go on. A learner whose inputs, templates, criteria, options and evidencegen version
are unchanged since its last successful build is skipped; the fingerprint of those inputs
is written last, so a build cut off half-way is redone on the next run.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from evidencegen import __version__
from evidencegen.api import BuildOptions, build
from evidencegen.errors import EvidencegenError
from evidencegen.output import safe_id, write_all, write_atomic
from evidencegen.render.environment import search_path
from evidencegen.report import html_report
from evidencegen.resources import packaged_dir

STAMP = ".evidencegen-inputs"
CRASH_HOOK = "EVIDENCEGEN_TEST_KILL_WORKER_FOR"  # test hook: a learner_id whose worker dies


@dataclass
class Outcome:
    """What happened to one learner folder."""

    folder: str
    learner_id: str | None
    result: str  # built, skipped or failed
    error: str | None = None
    statuses: dict[str, str] = field(default_factory=dict)
    name: str | None = None


def find_learners(cohort: Path) -> list[Path]:
    """Every folder under the cohort (any depth) that holds a learner.yaml, sorted."""
    found = []
    for path in sorted(cohort.rglob("learner.yaml")):
        rel = path.relative_to(cohort).parts
        if any(part.startswith(".") for part in rel):
            continue
        if any(path.parent.is_relative_to(f) for f in found):
            continue  # a folder inside a learner's folder is hers, not another learner
        found.append(path.parent)
    return found


PARSE_CACHE = ".evidencegen-parses"  # inside OUT: parses of notes, kept between runs


def _tree_digest(h: Any, folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(folder).parts):
            h.update(path.relative_to(folder).as_posix().encode() + b"\0")
            h.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())


def input_digest(folder: Path, options: BuildOptions) -> str:
    """A fingerprint of everything a build depends on."""
    h = hashlib.blake2b(digest_size=20)
    h.update(__version__.encode())
    opts = {k: str(v) for k, v in asdict(options).items() if k != "out"}
    h.update(json.dumps(opts, sort_keys=True).encode())
    _tree_digest(h, folder)
    for extra in (*search_path(options.templates), packaged_dir("criteria")):
        _tree_digest(h, extra)
    if options.rules is not None:
        h.update(options.rules.read_bytes())
    return h.hexdigest()


def _quick_id(folder: Path) -> str | None:
    """The learner_id, read cheaply for duplicate detection (None if unreadable)."""
    from evidencegen.readers import read_learner_file

    try:
        return read_learner_file(folder).learner_id
    except EvidencegenError:
        return None


def build_one(folder: Path, options: BuildOptions, force: bool) -> Outcome:
    """Build one learner in this process; every error becomes part of the outcome."""
    learner_id = _quick_id(folder)
    if learner_id is not None and os.environ.get(CRASH_HOOK) == learner_id:
        os._exit(70)  # tests use this to show that a dying worker costs one learner only
    try:
        if learner_id is not None:
            target = options.out / safe_id(learner_id)
            digest = input_digest(folder, options)
            stamp = target / STAMP
            report = target / "coverage.json"
            if not force and stamp.is_file() and stamp.read_text() == digest and report.is_file():
                data = json.loads(report.read_text())
                statuses = {c["id"]: c["status"] for c in data["criteria"]}
                name = data["learner"]["name"]
                return Outcome(str(folder), learner_id, "skipped", statuses=statuses, name=name)
        from evidencegen.analysis.nlp import use_disk_cache

        use_disk_cache(options.out / PARSE_CACHE)
        result = build(folder, options)
        html = html_report(result.analysis, [c.id for c in result.analysis.criteria
                                            .all_criteria()], options.today or dt.date.today(),
                           options.templates)
        write_atomic(result.folder / "coverage.html", html.encode())
        write_atomic(result.folder / STAMP, input_digest(folder, options).encode())
        a = result.analysis
        return Outcome(str(folder), a.learner.learner_id, "built",
                       statuses={ac: c.status for ac, c in a.coverage.items()},
                       name=a.learner.name)
    except EvidencegenError as exc:
        return Outcome(str(folder), learner_id, "failed", error=str(exc))
    except Exception as exc:  # a bug must not stop the cohort either
        return Outcome(str(folder), learner_id, "failed",
                       error=f"{folder}: unexpected error: {type(exc).__name__}: {exc}")


@dataclass
class BatchResult:
    outcomes: list[Outcome]
    out: Path

    def count(self, result: str) -> int:
        return sum(1 for o in self.outcomes if o.result == result)


def _duplicates(folders: list[Path]) -> dict[Path, str]:
    seen: dict[str, Path] = {}
    bad: dict[Path, str] = {}
    for folder in folders:
        learner_id = _quick_id(folder)
        if learner_id is None:
            continue
        key = safe_id(learner_id) if learner_id.strip(" ./-") else learner_id
        if key in seen:
            msg = (f"{folder / 'learner.yaml'}: learner_id '{learner_id}' is also used by "
                   f"{seen[key] / 'learner.yaml'}")
            bad[folder] = msg
            bad.setdefault(seen[key], msg)
        else:
            seen[key] = folder
    return bad


def run_batch(cohort: Path, options: BuildOptions, jobs: int, force: bool = False,
              progress: Callable[[Outcome, int, int], None] | None = None) -> BatchResult:
    """Build every learner of a cohort with ``jobs`` worker processes."""
    folders = find_learners(cohort.resolve())
    options = BuildOptions(**{**asdict(options), "out": options.out.resolve()})
    sweep(options.out)
    outcomes: list[Outcome] = []
    duplicate = _duplicates(folders)
    todo = [f for f in folders if f not in duplicate]
    for folder in folders:
        if folder in duplicate:
            outcomes.append(Outcome(str(folder), _quick_id(folder), "failed", duplicate[folder]))
            if progress:
                progress(outcomes[-1], len(outcomes), len(folders))
    try:
        for outcome in _run(todo, options, jobs, force):
            outcomes.append(outcome)
            if progress:
                progress(outcome, len(outcomes), len(folders))
    except KeyboardInterrupt:
        sweep(options.out)
        raise
    for o in outcomes:
        o.folder = Path(o.folder).relative_to(cohort.resolve()).as_posix()
    outcomes.sort(key=lambda o: o.folder)
    focus = list(options.criteria) or ["1.1", "5.2"]
    write_tracker(options.out, outcomes, focus)
    return BatchResult(outcomes, options.out)


def _run(folders: list[Path], options: BuildOptions, jobs: int, force: bool) -> Iterator[Outcome]:
    """Outcomes as workers finish. If a worker dies, the learners it may have held are
    built again one at a time, so only the one that kills its worker fails."""
    suspects: list[Path] = []
    pool = ProcessPoolExecutor(max_workers=max(1, jobs), initializer=_worker_init)
    try:
        futures = {pool.submit(build_one, f, options, force): f for f in folders}
        for future in as_completed(futures):
            try:
                yield future.result()
            except BrokenProcessPool:
                suspects.append(futures[future])
    except KeyboardInterrupt:
        _stop(pool)
        raise
    pool.shutdown()
    for folder in sorted(suspects):
        with ProcessPoolExecutor(max_workers=1, initializer=_worker_init) as pool:
            try:
                yield pool.submit(build_one, folder, options, force).result()
            except BrokenProcessPool:
                yield Outcome(str(folder), _quick_id(folder), "failed",
                              f"{folder}: the worker building this learner stopped "
                              "unexpectedly")


def _worker_init() -> None:
    """Workers leave Ctrl-C to the parent, which stops them all at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop now: drop queued learners and end the workers (their half-made files are
    temporary files, swept away by ``sweep``)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)


def sweep(out: Path) -> int:
    """Remove temporary files a stopped or killed run left behind; return how many."""
    removed = 0
    if out.is_dir():
        for tmp in out.rglob(".*.part"):
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed


def default_jobs() -> int:
    return os.cpu_count() or 1


STATE_ORDER = ("not_started", "in_progress", "ready", "met", "signed_off")
LETTERS = {"not_started": "NS", "in_progress": "IP", "ready": "R", "met": "M", "signed_off": "SO"}
XLSX_FILLS = {"not_started": ("FDECEA", "B42318"), "in_progress": ("FFF4D6", "8A5A00"),
              "ready": ("E3F1FA", "115E8A"), "met": ("E4F4E8", "1E6B3A"),
              "signed_off": ("1E6B3A", "FFFFFF")}


def write_tracker(out: Path, outcomes: list[Outcome], focus: list[str] | None = None) -> None:
    """cohort.csv/.json/.html/.xlsx and errors.json: who is where, and what failed."""
    focus = focus or ["1.1", "5.2"]
    acs: list[str] = []
    for o in outcomes:
        for ac in o.statuses:
            if ac not in acs:
                acs.append(ac)
    rows = []
    for o in outcomes:
        counts = {s: sum(1 for v in o.statuses.values() if v == s) for s in STATE_ORDER}
        rows.append({"learner_id": o.learner_id or "", "name": o.name or "", "folder": o.folder,
                     "error": o.error or "", **{ac: o.statuses.get(ac, "") for ac in acs},
                     **counts})
    buf = io.StringIO()
    fields = ["learner_id", "name", "folder", "error", *acs, *STATE_ORDER]
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    errors = [{"folder": o.folder, "learner_id": o.learner_id, "error": o.error}
              for o in outcomes if o.result == "failed"]
    write_all(out, {
        "cohort.csv": buf.getvalue().encode(),
        "cohort.json": (json.dumps({"criteria": acs, "learners": rows}, indent=1) + "\n").encode(),
        "cohort.html": _tracker_html(out, outcomes, acs, focus).encode(),
        "cohort.xlsx": _tracker_xlsx(rows, fields, acs),
        "errors.json": (json.dumps(errors, indent=1) + "\n").encode(),
    })


def _tracker_html(out: Path, outcomes: list[Outcome], acs: list[str], focus: list[str]) -> str:
    from evidencegen.coverage import STATE_LABELS
    from evidencegen.render.environment import make_environment, render_template

    learners = []
    for o in outcomes:
        folder = safe_id(o.learner_id) if o.learner_id and o.result != "failed" else None
        docs = sorted(p.name for p in (out / folder).glob("*.*")
                      if p.suffix in (".docx", ".pdf")) if folder else []
        learners.append({
            "learner_id": o.learner_id or "", "name": o.name, "folder": o.folder,
            "error": o.error, "statuses": o.statuses,
            "behind": sum(1 for ac in focus if o.statuses.get(ac) in ("not_started",
                                                                      "in_progress")),
            "report": f"{folder}/coverage.html" if folder else None,
            "documents": [{"href": f"{folder}/{d}", "label": d.rsplit("_", 1)[-1]}
                          for d in docs]})
    context = {"learners": learners, "criteria": acs, "labels": STATE_LABELS,
               "letters": LETTERS, "ranks": {s: i for i, s in enumerate(STATE_ORDER)},
               "unit": "435", "version": __version__}
    html, _ = render_template(make_environment(None), ["cohort.html.j2"], context)
    return html


def _tracker_xlsx(rows: list[dict[str, Any]], fields: list[str], acs: list[str]) -> bytes:
    """The tracker for Excel: coloured states (conditional formats), frozen header, filter."""
    from openpyxl import Workbook
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Cohort"
    ws.append(fields)
    for row in rows:
        ws.append([row.get(f, "") for f in fields])
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="123B5C")
    ws.freeze_panes = "B2"
    last = get_column_letter(len(fields))
    ws.auto_filter.ref = f"A1:{last}{max(2, len(rows) + 1)}"
    first_ac = fields.index(acs[0]) + 1 if acs else 5
    last_ac = first_ac + max(0, len(acs) - 1)
    area = f"{get_column_letter(first_ac)}2:{get_column_letter(last_ac)}{max(2, len(rows) + 1)}"
    for state, (fill, ink) in XLSX_FILLS.items():
        ws.conditional_formatting.add(area, CellIsRule(
            operator="equal", formula=[f'"{state}"'],
            fill=PatternFill("solid", bgColor=fill), font=Font(color=ink)))
    for i, name in enumerate(fields, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(8, min(28, len(name) + 4))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
