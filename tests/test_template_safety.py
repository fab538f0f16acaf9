"""Templates and notes are untrusted: no sandbox escape, no file or network access."""

from __future__ import annotations

import socket
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import note
from pypdf import PdfReader

from evidencegen.api import BuildOptions, build
from evidencegen.cli import cli
from evidencegen.errors import LearnerError
from evidencegen.output import safe_id
from evidencegen.render.pdf import ConfinedFetcher

SESSION = note({"type": "session", "date": "2026-04-01", "mentee": "Mentee A"},
               "I listened to her.")
HOSTILE_NOTE = note({"type": "session", "date": "2026-04-08", "mentee": "Mentee A"}, """
I listened. <img src="file:///etc/passwd"> <script>alert(1)</script>

![secret](file:///etc/passwd)

<iframe src="https://example.com"></iframe> [click](javascript:alert(1))
""")


def pdf_images(path: Path) -> int:
    count = 0
    for page in PdfReader(str(path)).pages:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        count += sum(1 for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image")
    return count


def pdf_text(path: Path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)


@pytest.mark.parametrize("expression", [
    "{{ learner.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ learner.folder.read_text() }}",
])
def test_template_cannot_reach_python_internals(learner_dir, tmp_path, expression) -> None:
    folder = learner_dir({"sessions/a.md": SESSION})
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "criterion-5.2.html.j2").write_text(
        '{% extends "base.html.j2" %}\n{% block evidence %}\n' + expression + "\n{% endblock %}\n")
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(tmp_path / "out"),
                                      "--templates", str(templates), "-c", "5.2", "-f", "docx"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "criterion-5.2.html.j2" in lines[0]
    assert "Traceback" not in result.output
    assert "<class" not in result.output and "builtins" not in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.docx"))


def test_note_html_is_text_and_never_loads_files(learner_dir, tmp_path) -> None:
    folder = learner_dir({"sessions/a.md": SESSION, "sessions/b.md": HOSTILE_NOTE})
    result = build(folder, BuildOptions(out=tmp_path / "out", criteria=("5.2",)))
    pdf = next(p for p in result.files if p.suffix == ".pdf")
    docx_path = next(p for p in result.files if p.suffix == ".docx")
    text = pdf_text(pdf)
    assert "<script>alert(1)</script>" in text
    assert '<img src="file:///etc/passwd">' in text
    assert pdf_images(pdf) == 0
    assert b"root:x:0:0" not in pdf.read_bytes() and "root:x:0:0" not in text
    d = docx.Document(str(docx_path))
    assert len(d.inline_shapes) == 0
    body = "\n".join(p.text for p in d.paragraphs)
    assert "<script>alert(1)</script>" in body
    assert "root:x:0:0" not in body
    assert "javascript:" not in pdf.read_bytes().decode("latin-1")


def test_template_and_css_cannot_fetch_outside_files_or_the_network(
        learner_dir, tmp_path, monkeypatch) -> None:
    folder = learner_dir({"sessions/a.md": SESSION})
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "style.css").write_text(
        '@import url("file:///etc/passwd");\n'
        'body { background: url("file:///etc/hostname"); }\n'
        'h1 { background: url("https://example.com/x.png"); }\n'
        'h2 { background: url("../secret.png"); }\n')
    (tmp_path / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))
    (templates / "criterion-5.2.html.j2").write_text(
        '{% extends "base.html.j2" %}\n{% block evidence %}\n'
        '<img src="/etc/hostname"><img src="http://example.com/a.png">'
        '<link rel="stylesheet" href="file:///etc/passwd"><p>ok</p>\n{% endblock %}\n')
    attempts: list[object] = []

    def refuse(self, address):
        attempts.append(address)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    result = build(folder, BuildOptions(out=tmp_path / "out", criteria=("5.2",),
                                        formats=("pdf",), templates=templates))
    pdf = result.files[0]
    assert attempts == []
    assert pdf_images(pdf) == 0
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    data = pdf.read_bytes()
    assert b"root:x:0:0" not in data
    if hostname:
        assert hostname not in pdf_text(pdf).replace("ok", "")


def test_confined_fetcher(tmp_path) -> None:
    root = tmp_path / "templates"
    root.mkdir()
    (root / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    fetch = ConfinedFetcher((root,))
    response = fetch(f"file://{root}/logo.svg")
    assert b"<svg" in response.read()
    response.close()
    for url in ["file:///etc/passwd", f"file://{root}/../../etc/passwd",
                "http://example.com/x.png", "https://example.com/x.css", "ftp://example.com/x"]:
        with pytest.raises(ValueError):
            fetch(url)


@pytest.mark.parametrize(("raw", "safe"), [
    ("L4-017", "L4-017"), ("../../etc", "etc"), ("a/b", "a-b"), ("CON", "learner-CON"),
    ("nul.txt", "learner-nul.txt"), ("Jo Bloggs", "Jo-Bloggs"), (".hidden", "hidden"),
])
def test_safe_id(raw: str, safe: str) -> None:
    assert safe_id(raw) == safe


@pytest.mark.parametrize("raw", ["", "///", "..", "   "])
def test_safe_id_refuses_ids_with_nothing_to_name_files(raw: str) -> None:
    with pytest.raises(LearnerError):
        safe_id(raw)


def test_long_id_is_cut() -> None:
    assert len(safe_id("x" * 300)) == 64


def test_learner_id_cannot_escape_out(learner_dir, tmp_path) -> None:
    folder = learner_dir({"sessions/a.md": SESSION},
                         learner_yaml="name: A\nlearner_id: ../../evil\n")
    out = tmp_path / "out"
    result = build(folder, BuildOptions(out=out, formats=("docx",)))
    assert result.folder == out / "evil"
    outside = [p for p in tmp_path.rglob("*") if p.is_file()
               and not p.is_relative_to(out) and not p.is_relative_to(folder)]
    assert outside == []


def test_yaml_python_tags_are_refused(learner_dir, tmp_path) -> None:
    marker = tmp_path / "hacked"
    folder = learner_dir(learner_yaml=(
        f'name: !!python/object/apply:os.system ["touch {marker}"]\nlearner_id: L4-001\n'))
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "learner.yaml:1:" in result.stderr
    assert not marker.exists()


def test_billion_laughs_is_refused(learner_dir, tmp_path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    folder = learner_dir(learner_yaml="name: A\nlearner_id: L4-001\n" + "\n".join(lines) + "\n")
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "learner.yaml" in result.stderr and "too many" in result.stderr


def test_every_template_gets_plain_frozen_data_only(tmp_path, monkeypatch) -> None:
    """Documents, the location sheet, forms, the HTML report and the cohort tracker: each
    context reaches its template as frozen records, tuples, read-only mappings and scalars."""
    import dataclasses
    import datetime as dt
    from types import MappingProxyType

    from conftest import SAMPLES

    from evidencegen import batch
    from evidencegen.api import BuildOptions, analyse, forms
    from evidencegen.models import Outcome
    from evidencegen.render import environment
    from evidencegen.render.data import is_plain, template_data
    from evidencegen.report import html_report

    seen: list[dict] = []

    def spy(context):
        data = template_data(context)
        seen.append(data)
        return data

    monkeypatch.setattr(environment, "template_data", spy)
    centre = SAMPLES / "centres" / "riverside" / "centre.yaml"
    options = BuildOptions(out=tmp_path / "out", formats=("docx",), criteria=("5.2", "1.1"),
                           centre=centre)
    result = build(SAMPLES / "complete", options)
    forms(SAMPLES / "complete", BuildOptions(out=tmp_path / "forms", formats=("docx",)))
    html_report(analyse(SAMPLES / "complete"), ["1.1", "5.2"], dt.date(2026, 6, 1))
    batch.write_tracker(tmp_path / "out", [Outcome(
        str(SAMPLES / "complete"), "L4-017", "built", statuses={"5.2": "ready"},
        name="Grace Adeyemi")], ["5.2"])
    names = {frozenset(d) for d in seen}
    assert len(seen) >= 6 and len(names) == 5  # criterion x2, sheet, form x2, report, cohort
    for data in seen:
        assert all(is_plain(v) for v in data.values()), [k for k, v in data.items()
                                                          if not is_plain(v)]
    doc = next(d for d in seen if "doc" in d)
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc["learner"].name = "someone else"
    assert doc["doc"].learner is doc["learner"]  # one record per object
    assert not hasattr(doc["learner"], "folder") and not hasattr(doc["notes"][0], "path")
    assert doc["centre"].logo == "logo.png"  # a file name, never a path
    assert not hasattr(doc["centre"], "word_reference")
    report = next(d for d in seen if "counts" in d)
    assert isinstance(report["labels"], MappingProxyType)
    with pytest.raises(TypeError):
        report["labels"]["met"] = "changed"  # type: ignore[index]
    assert result.files


def test_objects_no_template_may_see_are_refused_before_rendering() -> None:
    from evidencegen.render.data import template_data

    with pytest.raises(TypeError, match="cannot be handed to a template"):
        template_data({"path": Path("/etc/passwd")})
    with pytest.raises(TypeError, match="cannot be handed to a template"):
        template_data({"f": open})
