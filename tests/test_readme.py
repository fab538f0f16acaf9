"""README's examples are true: every evidencegen command line in it runs on the samples,
and every message it quotes is one the code can print."""

from __future__ import annotations

import ast
import os
import re
import shlex
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import yaml
from conftest import REPO, SAMPLES

README = (REPO / "README.md").read_text(encoding="utf-8")
SCRIPT = Path(sys.executable).with_name("evidencegen")
COMMAND = [str(SCRIPT)] if SCRIPT.is_file() else [sys.executable, "-m", "evidencegen"]
NOTE = "samples/complete/sessions/2026-04-28-medication-goals.md"
# the placeholders of README's command list, and what each stands for on the samples
PLACEHOLDERS = {"LEARNER_DIR...": "samples/part-way", "LEARNER_DIR": "samples/part-way",
                "COHORT_DIR": "samples", "FOLDER": "new-portfolio", "NOTE": NOTE,
                "RECORD": "observations/2026-09-22-observation.md", "AC": "5.2",
                "[AC]": "5.2", "met|not-yet": "met", "NAME": "Sam Okoro",
                "FILE": "handbook.txt", "PATH": "samples/part-way"}
NEEDS_MORE = ("--executor dask --scheduler",)  # a cluster of machines: not on a test runner


def code_blocks(text: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"```[a-z]*\n(.*?)```", text, re.S)]


def readme_command_lines() -> list[str]:
    """Every evidencegen command in README's code blocks, continuations joined; in a chain
    of commands (the set-up line) the evidencegen part alone (pip needs the network)."""
    found: list[str] = []
    for block in code_blocks(README):
        for line in re.sub(r"\s*\\\n\s*", " ", block).splitlines():
            line = line.strip().removeprefix("$ ")
            for part in line.split("&&"):
                part = part.strip()
                if part.startswith("evidencegen ") and not any(n in part for n in NEEDS_MORE):
                    found.append(part)
    return found


def as_args(line: str) -> list[str]:
    """A README line as arguments: the command list's description cut off, placeholders
    filled in with the samples."""
    line = re.split(r"\s{2,}", line)[0]  # "evidencegen init FOLDER   make a new ..."
    args = shlex.split(line, comments=True)[1:]
    if args[:2] == ["key", "new"] and args[2:] == ["PATH"]:
        return ["key", "new", "new.key"]
    if args[:1] == ["fingerprint"]:
        args += ["--title", "Handbook"] if "--title" not in args else []
    mine = {"LEARNER_DIR": "my-portfolio"} if args[0] in ("decide", "sign") else {}
    return [mine.get(a, PLACEHOLDERS.get(a, a)) for a in args]


def test_readme_has_the_command_lines_this_test_runs() -> None:
    lines = readme_command_lines()
    commands = {as_args(line)[0] for line in lines}
    assert {"init", "build", "check", "batch", "criteria", "explain", "decide", "sign",
            "forms", "key", "fingerprint", "--version"} <= commands
    assert len(lines) >= 15


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder like a reader's: samples/, a portfolio of her own, a centre's files."""
    here = tmp_path_factory.mktemp("readme")
    shutil.copytree(SAMPLES, here / "samples")
    shutil.copytree(SAMPLES / "complete", here / "my-portfolio")
    for f in (SAMPLES / "centres" / "northfield").iterdir():
        shutil.copy(f, here / f.name)
    (here / "centre").mkdir()
    shutil.copy(here / "centre.yaml", here / "centre" / "centre.yaml")
    shutil.copy(here / "demo-signing.key", here / "centre" / "demo-signing.key")
    shutil.copy(here / "logo.png", here / "centre" / "logo.png")
    (here / "handbook.txt").write_text("Mentors listen first and ask open questions of "
                                       "the mentee before giving any advice at all.\n")
    os.chmod(here / "demo-signing.key", 0o600)
    return here


@pytest.mark.parametrize("line", readme_command_lines())
def test_each_readme_command_line_runs_on_the_samples(workspace, line) -> None:
    args = as_args(line)
    env = {**os.environ, "EVIDENCEGEN_SIGNING_KEY": str(workspace / "demo-signing.key")}
    if args[:2] == ["init", "new-portfolio"]:
        shutil.rmtree(workspace / "new-portfolio", ignore_errors=True)
    if args[:2] == ["key", "new"]:
        (workspace / args[2]).unlink(missing_ok=True)
    run = subprocess.run([*COMMAND, *args], cwd=workspace, capture_output=True, text=True,
                         env=env, timeout=600)
    assert "Traceback" not in run.stderr
    assert run.returncode == (1 if "--strict" in args else 0), (args, run.stdout, run.stderr)


# --- messages -------------------------------------------------------------------------

PREFIXES = ("evidencegen: ", "warning: ", "privacy: ")


def readme_messages() -> list[str]:
    """The messages README quotes: example lines in code blocks, and message-like code
    spans in the prose (five words or more, not a command or template code)."""
    found = [line for block in code_blocks(README) for line in block.splitlines()
             if line.startswith(PREFIXES)]
    for span in re.findall(r"`([^`\n]*(?:\n[^`\n]*)?)`", README):
        span = " ".join(span.split())
        if len(span.split()) >= 5 and not re.match(
                r"[{A-Z_]*=|\{|evidencegen |pip |python|sudo ", span):
            found.append(span)
    return found


def _strings_of(tree: ast.AST) -> list[str]:
    """Every string the code can build: constants, f-strings (each placeholder as \\0),
    sums of strings and module-level names of strings, resolved."""
    names: dict[str, str] = {}

    def value(node: ast.AST) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return re.sub(r"\{\w*\}", "\0", node.value)  # str.format fields
        if isinstance(node, ast.JoinedStr):
            return "".join(v.value if isinstance(v, ast.Constant) else "\0"
                           for v in node.values)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = value(node.left), value(node.right)
            return left + right if left is not None and right is not None else None
        if isinstance(node, ast.Name):
            return names.get(node.id)
        if isinstance(node, ast.IfExp):  # one of two texts: either matches
            return "\0"
        return None

    for _ in range(2):  # names used before they are defined
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
                    node.targets[0], ast.Name) and (v := value(node.value)) is not None:
                names[node.targets[0].id] = v
    out = [v for node in ast.walk(tree) if (v := value(node)) is not None]
    return out


@cache
def message_patterns() -> tuple[re.Pattern[str], ...]:
    """Each string in the code (and each text in the criteria files) as a pattern with
    its placeholders free; only strings of two words or more."""
    return tuple(re.compile(".*?".join(re.escape(p) for p in text.split("\0")), re.S)
                 for text in code_texts())


@cache
def code_texts() -> tuple[str, ...]:
    """Every string of two words or more in the code and the criteria files, spacing
    normalised, each placeholder as \\0."""
    texts: list[str] = []
    for path in (REPO / "src" / "evidencegen").rglob("*.py"):
        texts += _strings_of(ast.parse(path.read_text(encoding="utf-8")))
    for path in (REPO / "criteria").glob("*.yaml"):
        def walk(node: object) -> None:
            if isinstance(node, str):
                texts.append(re.sub(r"\{[\w:| ]*\}", "\0", node))
            elif isinstance(node, dict):
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    texts = [" ".join(t.split()) for t in set(texts)]
    return tuple(t for t in texts if len(re.findall(r"[A-Za-z]{2,}", t.replace("\0", " ")))
                 >= 2)


def _printed_by_the_code(message: str) -> bool:
    """True when the message, split at "; " and ": ", is a run of pieces each printed by
    one string in the code, or a value (a path, a number, a quoted name) between them."""
    if len(message.split()) >= 5 and any(t.startswith(message) for t in code_texts()):
        return True  # README quotes the start of a longer message
    chunks = re.split(r"(?<=[;:]) ", message)
    patterns = message_patterns()
    ok = [False] * (len(chunks) + 1)
    ok[0] = True
    for end in range(1, len(chunks) + 1):
        for start in range(end):
            if not ok[start]:
                continue
            piece = " ".join(chunks[start:end])
            bare = piece.rstrip(";:").strip()
            if (len(bare.split()) == 1 and end - start == 1) or any(
                    p.fullmatch(piece) or p.fullmatch(bare) for p in patterns):
                ok[end] = True
                break
    return ok[-1]


def test_readme_quotes_messages_this_test_checks() -> None:
    messages = readme_messages()
    assert any("did you mean 'name'" in m for m in messages)
    assert any(m.startswith("read as Windows-1252") for m in messages)


@pytest.mark.parametrize("message", readme_messages())
def test_each_message_readme_quotes_is_one_the_code_prints(message) -> None:
    text = message
    for prefix in PREFIXES:
        text = text.removeprefix(prefix)
    assert _printed_by_the_code(text) or _printed_by_the_code(message), \
        f"README quotes a message no code prints: {message}"


def test_the_message_check_rejects_a_message_the_code_does_not_print() -> None:
    assert not _printed_by_the_code("my-portfolio/learner.yaml:3: the field 'nmae' is odd "
                                    "and should be looked at again")
    assert _printed_by_the_code("my-portfolio/learner.yaml:3: unknown field 'nmae' "
                                "(did you mean 'name'?)")
