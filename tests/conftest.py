"""Shared builders: learner folders written into tmp_path, and the repository's samples."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def note(meta: dict[str, object] | None, body: str) -> str:
    """A Markdown note with YAML front matter built from ``meta`` (None: no front matter)."""
    body = textwrap.dedent(body).strip("\n") + "\n"
    if meta is None:
        return body
    lines = ["---"]
    for key, value in meta.items():
        if isinstance(value, list):
            value = "[" + ", ".join(f'"{v}"' for v in value) + "]"
        lines.append(f"{key}: {value}")
    lines.append("---")
    return "\n".join(lines) + "\n" + body


LEARNER_YAML = """\
name: Test Learner
learner_id: L4-001
programme_start: 2026-03-01
mentees: [Mentee A]
declaration:
  signed: true
  date: 2026-03-01
"""


@pytest.fixture
def learner_dir(tmp_path: Path) -> Callable[..., Path]:
    """Make a learner folder: learner_dir({"sessions/a.md": text, ...}, learner_yaml=...)."""

    def make(files: dict[str, str] | None = None, learner_yaml: str | None = LEARNER_YAML) -> Path:
        folder = tmp_path / "learner"
        folder.mkdir(exist_ok=True)
        if learner_yaml is not None:
            (folder / "learner.yaml").write_text(learner_yaml, encoding="utf-8")
        for rel, text in (files or {}).items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return folder

    return make


def ctrl_c_reaches_it() -> None:
    """``preexec_fn`` for a child a test will stop with SIGINT: a shell that starts a job in
    the background (as CI may) hands it SIGINT ignored, and Python then never raises
    KeyboardInterrupt; the child gets the default back, as in a terminal."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
