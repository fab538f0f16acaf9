"""Cohorts past one machine: the batch's per-learner task run on a Dask cluster.

The task is the very one the process pool runs (``batch.build_one``), so the incremental
cache, the trackers and fault isolation are the same: the parent decides who is unchanged,
each learner's build returns an ``Outcome`` whatever goes wrong in it, and the parent
writes the trackers. Dask (``distributed``) is an optional extra: ``pip install
'evidencegen[dask]'``. Every machine must see the cohort and OUT at the same paths (a
shared folder mounted alike everywhere), as the task names folders by path.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Generator, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidencegen.api import BuildOptions
from evidencegen.batch import _failed, build_one
from evidencegen.errors import EvidencegenError
from evidencegen.models import Outcome
from evidencegen.text import plural

# spaCy's pipeline is not safe to share between threads building at once (its string
# store fails with "[E018] Can't retrieve string for hash"). A Dask worker may run several
# threads in one process, so each process builds one learner at a time: run workers with
# one thread each (dask worker ADDRESS --nthreads 1) and as many processes as cores.
_ONE_AT_A_TIME = threading.Lock()

NEEDS_DASK = ("--executor dask needs Dask, an optional extra: "
              "pip install 'evidencegen[dask]'")


@dataclass
class DaskCluster:
    """A Dask scheduler at ``scheduler`` (tcp://host:8786), else a local cluster of
    ``workers`` worker processes (``processes=False``: threads of this one process)."""

    scheduler: str | None = None
    workers: int | None = None
    processes: bool = True

    def describe(self, learners: int) -> str:
        if self.scheduler:
            return f"the Dask cluster at {self.scheduler}"
        return f"a local Dask cluster of {plural(self._local_workers(), 'worker')}"

    def _local_workers(self) -> int:
        import os

        return self.workers or os.cpu_count() or 1

    def run(self, folders: list[Path], options: BuildOptions, seconds: float
            ) -> Generator[Outcome, None, None]:
        """Outcomes as the cluster finishes them. A learner whose task fails outright (a
        worker that dies on her three times, as Dask retries) fails alone.

        ``seconds`` is passed on, but Dask runs tasks in worker threads, where the alarm
        that stops a stuck build cannot fire: on a cluster, the time limit is the
        cluster's own business (its workers' lifetime and memory limits)."""
        if not folders:
            return
        try:
            from distributed import Client, LocalCluster, as_completed
        except ImportError:
            raise EvidencegenError(NEEDS_DASK) from None
        with ExitStack() as stack:
            stack.enter_context(_quiet("distributed"))
            if self.scheduler:
                try:
                    client = stack.enter_context(Client(self.scheduler, timeout="20s"))
                except OSError as exc:
                    raise EvidencegenError(f"cannot reach the Dask scheduler at "
                                           f"{self.scheduler}: {exc}") from None
            else:
                cluster = stack.enter_context(LocalCluster(
                    n_workers=self._local_workers(), threads_per_worker=1,
                    processes=self.processes, dashboard_address=None))
                client = stack.enter_context(Client(cluster))
            futures = client.map(build_in_worker, folders, options=options,
                                 seconds=seconds, pure=False)
            by_key = {f.key: folder for f, folder in zip(futures, folders, strict=True)}
            try:
                for future in as_completed(futures):
                    yield _outcome(future, by_key[future.key])
            except GeneratorExit:  # the caller stopped: drop what is still queued
                client.cancel(futures)
                raise


def build_in_worker(folder: Path, options: BuildOptions, seconds: float) -> Outcome:
    """The batch's task (the parent has already found her changed), one per process at a
    time."""
    with _ONE_AT_A_TIME:
        return build_one(folder, options, True, seconds)


def _outcome(future: Any, folder: Path) -> Outcome:
    try:
        return future.result()
    except Exception as exc:  # KilledWorker, a lost connection: this learner alone fails
        return _failed(folder, f"{folder}: the Dask worker building this learner failed "
                               f"({type(exc).__name__})")


@contextmanager
def _quiet(name: str) -> Iterator[None]:
    """Dask's own log lines (ports, worker start-up) kept off the user's screen."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
