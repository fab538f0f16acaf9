"""A cohort at a time: every learner folder built in worker processes, each fault kept local.

One broken folder never stops the run: its error (with file and line) is recorded and the
others go on. A learner whose inputs, templates, criteria, options and evidencegen version
are unchanged since its last successful build is skipped; the fingerprint of those inputs
is written last, so a build cut off half-way is redone on the next run.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import hashlib
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing, contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from evidencegen import __version__
from evidencegen.api import BuildOptions, build
from evidencegen.errors import EvidencegenError, LearnerError, OutputError
from evidencegen.models import Outcome
from evidencegen.output import prepare_dir, safe_id, temp_owner_alive, write_atomic
from evidencegen.render.environment import search_path
from evidencegen.report import html_report
from evidencegen.resources import packaged_dir
from evidencegen.text import plural
from evidencegen.tracker import write_tracker

STAMP = ".evidencegen-inputs"
CRASH_HOOK = "EVIDENCEGEN_TEST_KILL_WORKER_FOR"  # test hook: a learner_id whose worker dies
SLOW_HOOK = "EVIDENCEGEN_TEST_HANG_FOR"  # test hook: a learner_id whose build never ends
SPIN_HOOK = "EVIDENCEGEN_TEST_SPIN_FOR"  # test hook: ... stuck in native code, holding the CPU
DEFAULT_TIME_LIMIT = 600.0  # seconds for one learner; a real one takes a few
LOCK = ".evidencegen-batch.lock"  # in OUT: held by the batch writing there


@dataclass(frozen=True)
class Plan:
    """What a batch is about to do, said before the first learner starts."""

    learners: int
    unchanged: int
    refused: int  # learners whose ids clash: failed before they start
    building: int
    workers: str  # "2 workers", "a Dask cluster at tcp://..."

    def __str__(self) -> str:
        refused = f", {self.refused} refused (ids clash)" if self.refused else ""
        doing = f"building {self.building} with {self.workers}" if self.building else \
            "nothing to build"
        return f"found {plural(self.learners, 'learner')}, {self.unchanged} unchanged" \
               f"{refused}, {doing}"


def find_learners(cohort: Path) -> list[Path]:
    """Every folder under the cohort (any depth) that holds a learner.yaml, sorted.

    One walk down the tree that never enters a learner's folder (what is inside it is hers,
    not another learner) nor a hidden folder, and never follows a link: time grows with the
    number of folders outside learners, not with the square of the cohort.
    """
    found: list[Path] = []
    for top, dirs, files in os.walk(cohort):
        if "learner.yaml" in files:
            found.append(Path(top))
            dirs.clear()
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
    return sorted(found)


PARSE_CACHE = ".evidencegen-parses"  # inside OUT: parses of notes, kept between runs
# sentences a batch worker keeps parsed in memory: a learner has about 70, so the last few
# learners' (under 10 MB); more would grow each worker with the cohort
WORKER_PARSES = 500
# learners a worker builds before a fresh one takes its place: spaCy's vocabulary grows with
# every new word it meets, and a fresh worker costs 1 to 2 s (loading the language model)
WORKER_LEARNERS = 100


def _tree_digest(h: Any, folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(folder).parts):
            h.update(path.relative_to(folder).as_posix().encode() + b"\0")
            h.update(_file_digest(path))


def _file_digest(path: Path) -> bytes:
    """A file's digest, read in chunks: a large file in a learner's folder costs time in
    proportion to its size, never its size in memory."""
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.digest()


def input_digest(folder: Path, options: BuildOptions, shared: bytes | None = None) -> str:
    """A fingerprint of everything a build depends on. ``shared`` is ``shared_digest``'s
    value, computed once for a whole cohort instead of once per learner."""
    h = hashlib.blake2b(digest_size=20)
    h.update(__version__.encode())
    opts = {k: str(v) for k, v in asdict(options).items() if k != "out"}
    h.update(json.dumps(opts, sort_keys=True).encode())
    _tree_digest(h, folder)
    h.update(shared if shared is not None else shared_digest(options))
    return h.hexdigest()


def shared_digest(options: BuildOptions) -> bytes:
    """The digest of what every learner's build shares: templates, criteria, rules."""
    h = hashlib.blake2b(digest_size=20)
    for extra in (*search_path(options.templates), packaged_dir("criteria")):
        _tree_digest(h, extra)
    if options.rules is not None:
        h.update(options.rules.read_bytes())
    return h.digest()


def _quick_id(folder: Path) -> str | None:
    """The learner_id, read cheaply for duplicate detection (None if unreadable)."""
    return _quick_identity(folder)[0]


def _quick_identity(folder: Path) -> tuple[str | None, str | None]:
    """The learner_id and name from learner.yaml alone (None, None if it cannot be read),
    so that a learner whose notes fail keeps her name in the tracker."""
    from evidencegen.inputs import read_learner_file

    try:
        info = read_learner_file(folder)
    except EvidencegenError:
        return None, None
    return info.learner_id, info.name


def _failed(folder: Path, error: str, exc: EvidencegenError | None = None) -> Outcome:
    """A failed learner's outcome, with her id, her name and the file that failed."""
    learner_id, name = _quick_identity(folder)
    file = str(exc.path) if exc is not None and exc.path is not None else None
    if file is None and learner_id is None:
        file = str(folder / "learner.yaml")
    return Outcome(str(folder), learner_id, "failed", error=error, name=name, file=file)


class _TimeUp(BaseException):
    """A learner's build passed the time limit (a BaseException, so no handler eats it)."""


def _alarm(signum: int, frame: object) -> None:
    raise _TimeUp


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``_TimeUp`` in this thread once ``seconds`` have passed (0: no limit).

    Uses SIGALRM, so it applies where that exists (Linux, macOS) and in a main thread, as
    in a batch worker; elsewhere the build runs without a limit. Python runs the alarm's
    handler only between its own steps; in a batch worker a CPU-time limit backs it up, so
    that the kernel ends a worker stuck inside one long native call (a hash, a parse in C),
    and the learner is reported failed all the same.
    """
    usable = (seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        with _cpu_limit(2 * seconds + 1 if _IN_WORKER else 0):
            yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_IN_WORKER = False  # set in batch workers, the only processes given a CPU-time limit


@contextmanager
def _cpu_limit(seconds: float) -> Iterator[None]:
    """Let the kernel end this process after ``seconds`` more CPU time (SIGXCPU)."""
    try:
        import resource
    except ImportError:  # Windows
        resource = None  # type: ignore[assignment]
    if not seconds or resource is None:
        yield
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    limit = int(usage.ru_utime + usage.ru_stime + seconds) + 1
    if hard != resource.RLIM_INFINITY and limit > hard:
        yield
        return
    resource.setrlimit(resource.RLIMIT_CPU, (limit, hard))
    resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def build_one(folder: Path, options: BuildOptions, force: bool,
              seconds: float = 0) -> Outcome:
    """Build one learner in this process; every error becomes part of the outcome, and a
    build running past ``seconds`` (0: no limit) is stopped and reported as failed."""
    learner_id = _quick_id(folder)
    try:
        with time_limit(seconds):
            return _build_one(folder, learner_id, options, force)
    except _TimeUp:
        return _failed(folder, f"{folder}: took longer than {seconds:g} s, so it was stopped "
                               "(the limit is set by --time-limit)")


def _build_one(folder: Path, learner_id: str | None, options: BuildOptions,
               force: bool) -> Outcome:
    if learner_id is not None and os.environ.get(CRASH_HOOK) == learner_id:
        os._exit(70)  # tests use this to show that a dying worker costs one learner only
    if learner_id is not None and os.environ.get(SLOW_HOOK) == learner_id:
        while True:  # tests use this to show the time limit (it is never set otherwise)
            time.sleep(1)
    if learner_id is not None and os.environ.get(SPIN_HOOK) == learner_id:
        import hashlib as h  # tests: one native call that takes hours and checks no signal

        h.pbkdf2_hmac("sha256", b"x", b"y", 10**9)
    try:
        if not force and (same := unchanged(folder, learner_id, options)) is not None:
            return same
        from evidencegen.analysis.nlp import limit_cache, use_disk_cache

        use_disk_cache(options.out / PARSE_CACHE)
        limit_cache(WORKER_PARSES)
        result = build(folder, options)
        html = html_report(result.analysis, [c.id for c in result.analysis.criteria
                                            .all_criteria()], options.today or dt.date.today(),
                           options.templates, _branding(options))
        write_atomic(result.folder / "coverage.html", html.encode())
        write_atomic(result.folder / STAMP, input_digest(folder, options).encode())
        a = result.analysis
        return Outcome(str(folder), a.learner.learner_id, "built",
                       statuses={ac: c.status for ac, c in a.coverage.items()},
                       name=a.learner.name,
                       warnings=[f"{folder / w.path}: {w.message}" for w in a.learner.warnings])
    except EvidencegenError as exc:
        return _failed(folder, str(exc), exc)
    except RecursionError:
        return _failed(folder, f"{folder}: something in this folder is nested too deeply to "
                               "read")
    except Exception as exc:  # a bug must not stop the cohort either
        return _failed(folder, f"{folder}: unexpected error: {type(exc).__name__}: {exc}")


def unchanged(folder: Path, learner_id: str | None, options: BuildOptions,
              shared: bytes | None = None) -> Outcome | None:
    """The "skipped" outcome of a learner whose inputs are as at her last successful build
    (her states read back from its coverage.json), else None: she needs building."""
    if learner_id is None:
        return None
    target = options.out / safe_id(learner_id)
    stamp = target / STAMP
    report = target / "coverage.json"
    if not (stamp.is_file() and report.is_file()):
        return None
    try:
        if stamp.read_text() != input_digest(folder, options, shared):
            return None
        data = json.loads(report.read_text())
        statuses = {c["id"]: c["status"] for c in data["criteria"]}
        name = data["learner"]["name"]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # unreadable leftovers: build her again
    return Outcome(str(folder), learner_id, "skipped", statuses=statuses, name=name)


@dataclass
class BatchResult:
    outcomes: list[Outcome]
    out: Path

    def count(self, result: str) -> int:
        return sum(1 for o in self.outcomes if o.result == result)


def id_key(learner_id: str) -> str:
    """What an id is as a file name, compared without case: "l4-001" and "L4-001" name the
    same folder on Windows and macOS."""
    return (safe_id(learner_id) if learner_id.strip(" ./-") else learner_id).casefold()


def _duplicates(folders: list[Path], where: Callable[[Path], str] = str) -> dict[Path, str]:
    """Folders whose learner_id names the same output folder as another's, with a message
    naming both."""
    seen: dict[str, tuple[Path, str]] = {}
    bad: dict[Path, str] = {}
    for folder in folders:
        learner_id = _quick_id(folder)
        if learner_id is None:
            continue
        key = id_key(learner_id)
        if key in seen:
            first, first_id = seen[key]
            same = f"'{first_id}'" if first_id == learner_id else \
                f"'{first_id}' (the same once case and punctuation are set aside)"
            msg = (f"{where(folder / 'learner.yaml')}: learner_id '{learner_id}' is also used "
                   f"by {where(first / 'learner.yaml')} as {same}; each learner needs her "
                   "own id")
            bad[folder] = msg
            bad.setdefault(first, msg)
        else:
            seen[key] = (folder, learner_id)
    return bad


def refuse_shared_ids(folders: list[Path]) -> None:
    """``build A B``: two folders with the same id would overwrite each other's documents."""
    bad = _duplicates(folders)
    if bad:
        raise LearnerError(next(iter(bad.values())))


def _relative(text: str | None, roots: list[tuple[Path, str]]) -> str | None:
    """A message with the cohort's and OUT's absolute paths made relative to them."""
    if not text:
        return text
    for root, shown in roots:
        text = text.replace(f"{root}{os.sep}", shown).replace(
            str(root), shown.rstrip(os.sep) or ".")
    return text


def run_batch(cohort: Path, options: BuildOptions, jobs: int, force: bool = False,
              progress: Callable[[Outcome, int, int], None] | None = None,
              seconds: float = DEFAULT_TIME_LIMIT, wait: bool = False,
              announce: Callable[[Plan], None] | None = None,
              executor: Executor | None = None) -> BatchResult:
    """Build every learner of a cohort with ``jobs`` worker processes (or ``executor``).

    A cohort with no learner folder is an error, raised before anything is written. OUT is
    locked for the run: a second batch on the same OUT stops at once (or, with ``wait``,
    waits its turn). Learners whose inputs are unchanged are found first, so ``announce``
    can say at once what the run will do; each learner gets ``seconds`` (0: no limit).
    """
    root = cohort.resolve()
    folders = find_learners(root)
    if not folders:
        empty = not any(root.iterdir()) if root.is_dir() else True
        raise LearnerError(
            "no learner folders here: batch builds every folder (at any depth) that holds a "
            "learner.yaml, and " + ("this folder is empty" if empty else "none here does")
            + " (run 'evidencegen init FOLDER' to start one)", cohort)
    out = options.out.resolve()
    roots = sorted([(root, ""), (out, f"{options.out.name}{os.sep}")],
                   key=lambda r: len(str(r[0])), reverse=True)
    given = options.out  # as typed: messages show it, never the machine's absolute path
    options = BuildOptions(**{**asdict(options), "out": out})
    engine = executor or ProcessPool(jobs)
    with lock_output(out, given, wait):
        sweep(out)
        outcomes: list[Outcome] = []

        def record(o: Outcome) -> None:
            o.folder = Path(o.folder).relative_to(root).as_posix()
            o.error = _relative(o.error, roots)
            o.file = _relative(o.file, roots)
            o.warnings = [_relative(n, roots) or n for n in o.warnings]
            outcomes.append(o)
            if progress:
                progress(o, len(outcomes), len(folders))

        duplicate = _duplicates(folders, lambda p: p.relative_to(root).as_posix())
        candidates = [f for f in folders if f not in duplicate]
        same: list[Outcome] = []
        todo: list[Path] = []
        shared = shared_digest(options)
        for folder in candidates:
            found = None if force else unchanged(folder, _quick_id(folder), options, shared)
            if found is None:
                todo.append(folder)
            else:
                same.append(found)
        if announce:
            announce(Plan(len(folders), len(same), len(duplicate), len(todo),
                          engine.describe(len(todo))))
        for folder in folders:
            if folder in duplicate:
                learner_id, name = _quick_identity(folder)
                record(Outcome(str(folder), learner_id, "failed", duplicate[folder], name=name,
                               file=str(folder / "learner.yaml")))
        for outcome in same:
            record(outcome)
        try:
            with closing(engine.run(todo, options, seconds)) as outcomes_as_done:
                for outcome in outcomes_as_done:
                    record(outcome)
        except (KeyboardInterrupt, BrokenPipeError):  # stopped, or nobody reads the progress
            sweep(out)
            raise
        outcomes.sort(key=lambda o: o.folder)
        write_tracker_apart(out, outcomes, list(options.criteria), root, options.centre)
    return BatchResult(outcomes, out)


def write_tracker_apart(out: Path, outcomes: list[Outcome], focus: list[str],
                        cohort: Path, centre: Path | None) -> None:
    """``write_tracker`` in a short-lived process of its own, after the workers have ended.

    The trackers are the one part of a batch whose memory grows with the cohort (rendering
    the HTML page and the XLSX for 1,000 learners takes about 35 MB more than for 20).
    Written apart, that memory goes back to the system when the process ends, and the
    batch's own process keeps only one small outcome per learner, whatever the cohort's
    size. The files are the same bytes either way; if no process can be started there, or
    it dies, they are written here.
    """
    try:
        with ProcessPoolExecutor(max_workers=1) as pool:
            pool.submit(write_tracker, out, outcomes, focus, cohort, centre).result()
            return
    except (BrokenProcessPool, OSError):
        pass
    write_tracker(out, outcomes, focus, cohort=cohort, centre=centre)


class Executor(Protocol):
    """Runs ``build_one`` for each folder somewhere (worker processes here, a Dask cluster
    in ``evidencegen.executors``) and yields the outcomes as they finish. Every learner's
    fault stays in her outcome; the folders it is given need building (``force``)."""

    def describe(self, learners: int) -> str: ...

    def run(self, folders: list[Path], options: BuildOptions, seconds: float
            ) -> Generator[Outcome, None, None]: ...


@dataclass
class ProcessPool:
    """This machine's worker processes (the default)."""

    jobs: int

    def describe(self, learners: int) -> str:
        return plural(max(1, min(self.jobs, learners)), "worker")

    def run(self, folders: list[Path], options: BuildOptions, seconds: float
            ) -> Generator[Outcome, None, None]:
        return _run(folders, options, self.jobs, True, seconds)


@contextmanager
def lock_output(out: Path, shown: Path, wait: bool) -> Iterator[None]:
    """Hold OUT's lock file (an OS lock, released even when the holder is killed)."""
    from filelock import FileLock, Timeout

    prepare_dir(out)
    lock = FileLock(out / LOCK, timeout=-1 if wait else 0)
    try:
        lock.acquire()
    except (Timeout, RuntimeError):  # RuntimeError: held by this very thread
        raise OutputError("another batch is writing to this output folder; wait for it to "
                          "finish, choose another folder, or add --wait to wait for it",
                          shown) from None
    except OSError as exc:
        raise OutputError(f"cannot lock the output folder: {exc.strerror}", shown) from None
    try:
        yield
    finally:
        lock.release()


def _run(folders: list[Path], options: BuildOptions, jobs: int, force: bool,
         seconds: float) -> Generator[Outcome, None, None]:
    """Outcomes as workers finish. If a worker dies, the learners it may have held are
    built again one at a time, so only the one that kills its worker fails.

    The cohort goes to fresh pools of workers ``WORKER_LEARNERS`` learners per worker at a
    time, so a worker's memory does not grow with the cohort."""
    suspects: list[Path] = []
    parent = os.getpid()
    if not folders:
        return
    workers = max(1, min(jobs, len(folders)))
    step = WORKER_LEARNERS * workers
    for start in range(0, len(folders), step):
        yield from _run_pool(folders[start:start + step], options, workers, force, seconds,
                             suspects)
    for folder in sorted(suspects):
        with ProcessPoolExecutor(max_workers=1, initializer=_worker_init,
                                 initargs=(parent,)) as pool:
            started = time.monotonic()
            try:
                yield pool.submit(build_one, folder, options, force, seconds).result()
            except BrokenProcessPool:
                error = f"{folder}: the worker building this learner stopped unexpectedly"
                if seconds and time.monotonic() - started >= seconds:  # its CPU-time limit
                    error = (f"{folder}: took longer than {seconds:g} s, so it was stopped "
                             "(the limit is set by --time-limit)")
                yield _failed(folder, error)


def _run_pool(folders: list[Path], options: BuildOptions, workers: int, force: bool,
              seconds: float, suspects: list[Path]) -> Iterator[Outcome]:
    """One pool's outcomes; the folders a dead worker may have held go to ``suspects``.

    Ctrl-C is held back while the pool starts its workers: arriving half-way through, it
    would leave a worker that ``_stop`` does not know of, building on after the batch has
    stopped and keeping the interpreter from exiting."""
    held = _hold_interrupts(True)
    try:
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init,
                                   initargs=(os.getpid(),))
        futures = {pool.submit(build_one, f, options, force, seconds): f for f in folders}
    except BaseException:
        _hold_interrupts(False, held)
        raise
    try:
        _hold_interrupts(False, held)  # a Ctrl-C that came meanwhile is raised here
        for future in as_completed(futures):
            try:
                yield future.result()
            except BrokenProcessPool:
                suspects.append(futures[future])
    except (KeyboardInterrupt, GeneratorExit):  # GeneratorExit: the caller stopped early
        _stop(pool)
        raise
    pool.shutdown()


def _hold_interrupts(hold: bool, held: bool = True) -> bool:
    """Block (``hold``) or release SIGINT in the main thread; whether it was blocked here
    (not on Windows, nor in a thread, where there is no signal mask to set)."""
    if not hasattr(signal, "pthread_sigmask") or \
            threading.current_thread() is not threading.main_thread():
        return False
    if hold:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        return True
    if held:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    return False


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _worker_init(parent: int) -> None:
    """Workers leave Ctrl-C to the parent, which stops them all at once, and die with it.

    On Linux the kernel kills a worker when its parent dies (even by SIGKILL, which no
    handler sees); everywhere, a watch thread ends a worker whose parent has gone.
    """
    global _IN_WORKER
    _IN_WORKER = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True,
                     name="evidencegen-parent-watch").start()


def _watch_parent(parent: int, every: float = 1.0) -> None:
    while True:
        time.sleep(every)
        if os.getppid() != parent:
            os._exit(1)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop now: drop queued learners and end the workers (their half-made files are
    temporary files, swept away by ``sweep``)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)


def sweep(out: Path) -> int:
    """Remove temporary files that stopped or killed runs left behind; return how many.

    A temporary file carries the id of the process writing it; one whose process is still
    running (another build writing into OUT) is left alone.
    """
    removed = 0
    if out.is_dir():
        for tmp in out.rglob(".*.part"):
            if temp_owner_alive(tmp):
                continue
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed


def default_jobs() -> int:
    return os.cpu_count() or 1


def _branding(options: BuildOptions) -> Any:
    """The centre's branding (centre.yaml given with --centre), or None."""
    from evidencegen.branding import load_centre

    return load_centre(options.centre) if options.centre is not None else None
