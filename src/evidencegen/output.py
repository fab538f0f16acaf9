"""Writing results: all or nothing, each file through a temporary file and a rename.

Documents are rendered to bytes first; only then is anything written, so a failure leaves
OUT as it was (earlier outputs untouched, no half-written file).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from evidencegen.errors import LearnerError, OutputError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                     *(f"lpt{i}" for i in range(10))}
MAX_ID_LENGTH = 64


def safe_id(learner_id: str, where: Path | None = None) -> str:
    """A learner id made safe for a folder and file name on any system."""
    safe = _UNSAFE.sub("-", learner_id.strip()).strip(".-")
    if not safe:
        raise LearnerError(
            f"learner_id '{learner_id}' has no letters or digits to name files with", where
        )
    if safe.split(".")[0].lower() in _WINDOWS_RESERVED:
        safe = f"learner-{safe}"
    return safe[:MAX_ID_LENGTH]


def prepare_dir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder: {exc.strerror}", folder) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError("cannot write to the output folder (permission denied)", folder)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader never sees a partial file."""
    try:
        tmp = _write_temp(path, data)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write this file: {exc.strerror}", path) from None


_TEMP_OWNER = re.compile(r"\.(\d+)\.[^.]+\.part$")


def temp_owner_alive(tmp: Path) -> bool:
    """Whether the process that made this temporary file is still running (and so may still
    rename it into place): its id is part of the name. Another process's files are left to
    it, so two runs writing into one folder never delete each other's temporary files."""
    m = _TEMP_OWNER.search(tmp.name)
    if m is None:
        return False  # named before ids were written: left by an older, finished run
    pid = int(m.group(1))
    if pid == os.getpid():
        return False  # ours, from a write that was stopped
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # it exists (another user's): leave it
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """A process that has ended but not been reaped by its parent (Linux)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def _write_temp(path: Path, data: bytes) -> Path:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.",
                               suffix=".part")
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_all(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Write one learner's files as a set: all are written to temporary files first and
    renamed only when every one is complete, so a full disk or a refused write leaves the
    earlier outputs exactly as they were."""
    prepare_dir(folder)
    temps: dict[Path, Path] = {}
    try:
        for name, data in files.items():
            path = folder / name
            temps[path] = _write_temp(path, data)
    except OSError as exc:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write the documents: {exc.strerror or exc}; nothing was "
                          "changed", folder) from None
    except BaseException:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
        raise
    for path, tmp in temps.items():
        os.replace(tmp, path)
    return list(temps)
