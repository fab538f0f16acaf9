"""What the forgery attempts share: a learner whose evidence is ready (so only a decision
or a record could lift her), a centre folder with its key outside her folder, and `check`."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from evidencegen.cli import cli

LEARNER = """\
name: Tom Brennan
learner_id: L4-900
programme_start: 2026-03-01
mentees: [Mentee A]
declaration:
  signed: true
  date: 2026-03-01
"""
SESSIONS = {
    "sessions/2026-04-01-first.md": """\
---
type: session
date: 2026-04-01
mentee: Mentee A
---
I listened. I praised her. We agreed to meet every week.
""",
    "sessions/2026-05-01-second.md": """\
---
type: session
date: 2026-05-01
mentee: Mentee A
---
I listened again.
""",
}
OBSERVATION = """\
---
type: observation
date: 2026-05-20
mentee: Mentee A
criteria: [5.2]
author:
  name: Sam Okoro
  role: Assessor
---
I observed Tom's session with Mentee A. He listened without interrupting and gave clear,
specific feedback on her handover, naming one thing done well.
"""
WITNESS = OBSERVATION.replace("type: observation", "type: witness").replace(
    "Assessor", "Deputy manager").replace("I observed", "I saw")


def make_learner(root: Path, name: str = "learner", extra: dict[str, str] | None = None,
                 learner_yaml: str = LEARNER) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "learner.yaml").write_text(learner_yaml, encoding="utf-8")
    for rel, text in {**SESSIONS, **(extra or {})}.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def make_centre(root: Path, name: str = "centre") -> Path:
    """A centre folder outside every learner folder: centre.yaml naming a new key."""
    folder = root / name
    folder.mkdir(parents=True)
    made = run("key", "new", str(folder / "signing.key"))
    assert made.exit_code == 0, made.output
    (folder / "centre.yaml").write_text("name: Test Centre\nsigning_key: signing.key\n")
    return folder / "centre.yaml"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def check(folder: Path, centre: Path | None, *args: str) -> Result:
    extra = ("--centre", str(centre)) if centre is not None else ()
    return run("check", str(folder), "-c", "5.2", *extra, *args)


def flat(text: str) -> str:
    return " ".join(text.split())


def signatures(folder: Path, centre: Path | None) -> list[dict[str, Any]]:
    result = check(folder, centre, "--format", "json")
    assert result.exit_code == 0, result.output
    [crit] = json.loads(result.stdout)["criteria"]
    return crit["signatures"]


def held(folder: Path, centre: Path | None, needs: str, reason: str) -> None:
    """The attempt is held: the gate stays shut and the report says why, in words."""
    gate = check(folder, centre, "--strict", "--needs", needs)
    assert gate.exit_code == 1, gate.output
    text = flat(gate.stdout)
    assert "unverified" in text and reason in text, text
    assert "verified decision" not in text.replace("unverified decision", "")


def copy_learner(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst
