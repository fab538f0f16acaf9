"""Property-based: any front matter value and any Markdown body give documents or exit 2."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidencegen.api import BuildOptions, analyse, build
from evidencegen.cli import cli
from evidencegen.errors import EvidencegenError

FIELDS = ["type", "date", "mentee", "duration", "mode", "criteria", "author", "references",
          "title"]
yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=30) | st.dates().map(str),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6)
markdown = st.lists(
    st.one_of(
        st.text(max_size=200),
        st.text(alphabet="*_#->`[]()!\n \t|0123456789", max_size=80),
        st.builds(lambda n, w: ">" * n + " " + w, st.integers(0, 30), st.text(max_size=40)),
        st.builds(lambda n: "- " * n + "deep", st.integers(0, 60)),
        st.just("x" * 5000),
        st.characters(min_codepoint=0, max_codepoint=0x1F).map(lambda c: c * 3),
    ),
    max_size=8).map("\n".join)


def _folder(root: Path, meta: dict, body: str) -> Path:
    folder = root / "learner"
    (folder / "sessions").mkdir(parents=True, exist_ok=True)
    (folder / "learner.yaml").write_text("name: P\nlearner_id: P-1\nmentees: [A]\n")
    front = yaml.safe_dump(meta, allow_unicode=True) if meta else ""
    (folder / "sessions" / "2026-04-01-note.md").write_text(f"---\n{front}---\n{body}\n",
                                                            encoding="utf-8")
    return folder


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(meta=st.dictionaries(st.sampled_from(FIELDS), yaml_values, max_size=4), body=markdown)
def test_any_front_matter_and_body_analyse_or_fail_cleanly(meta: dict, body: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = _folder(Path(tmp), meta, body)
        try:
            analyse(folder)
        except EvidencegenError as exc:
            assert exc.exit_code == 2 and str(exc)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(meta=st.dictionaries(st.sampled_from(FIELDS), yaml_values, max_size=3), body=markdown)
def test_any_note_builds_a_word_document_or_exits_2(meta: dict, body: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = _folder(Path(tmp), meta, body)
        result = CliRunner().invoke(cli, ["build", str(folder), "-o", f"{tmp}/out", "-f",
                                          "docx", "-c", "5.2"])
        assert result.exit_code in (0, 2), result.output
        assert "Traceback" not in result.output
        if result.exit_code == 0:
            assert (Path(tmp) / "out" / "P-1" / "P-1_435_5.2.docx").stat().st_size > 0
        else:
            assert len(result.stderr.strip().splitlines()) == 1


def test_control_characters_reach_the_pdf_safely(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"type": "session", "mentee": "A"},
                     "I listened.\x01\x02 \u202e reversed \ufeff zero\u200bwidth " + "é" * 50)
    result = build(folder, BuildOptions(out=tmp_path / "out", criteria=("5.2",)))
    assert all(p.stat().st_size > 0 for p in result.files)
