"""Property-based fuzzing: whatever a learner folder holds, `check` ends in exit 0 or in
one line naming the file (exit 2) — never a traceback, never "unexpected error".

Generated Markdown notes, front matter, learner.yaml files, Word documents built from
generated paragraphs, tables and merges, and byte-level mutations of a valid Word file.
The examples are derandomised so CI is reproducible; EVIDENCEGEN_FUZZ_EXAMPLES sets how
many each test tries (default 40, which keeps the file well under a minute).
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import docx
from click.testing import CliRunner, Result
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidencegen.cli import cli

EXAMPLES = int(os.environ.get("EVIDENCEGEN_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
LEARNER = "name: Test Learner\nlearner_id: L4-001\nmentees: [Mentee A]\n"

# Markdown's own punctuation, YAML's, line breaks and a few awkward characters
MARKUP = st.sampled_from([*"#*_-+>|`[]()!:\n\t -=@\"'{}&,.?0123456789",
                          "\n\n", "---\n", "```", "| a | b |\n|---|---|\n", "\u00a0",
                          "\u200b", "\ufeff", "\r", "e.g. ", "Mr. ", " I listened. ", "\U0001f600"])
WORDS = st.sampled_from(["I", "listened", "to", "her", "and", "we", "agreed", "a", "plan",
                         "Coaching", "is", "slow.", "Weaknesses:", "Mentee", "A", "praised",
                         "References", "Egan", "(2014)", "not", "would", "models"])
TEXT = st.lists(st.one_of(MARKUP, WORDS, st.text(max_size=6)), max_size=120).map("".join)


def outcome(files: dict[str, bytes | str], learner_yaml: str = LEARNER) -> Result:
    """Run `check` on a fresh learner folder holding ``files``."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "learner"
        folder.mkdir()
        (folder / "learner.yaml").write_text(learner_yaml, encoding="utf-8")
        for rel, data in files.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, str):
                path.write_text(data, encoding="utf-8", newline="")
            else:
                path.write_bytes(data)
        return CliRunner().invoke(cli, ["check", str(folder)])


def assert_handled(result: Result, *names: str) -> None:
    """Exit 0, or exit 2 with one line that names the file."""
    assert result.exit_code in (0, 2), (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    assert "unexpected error" not in result.output
    if result.exit_code == 2:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert any(name in lines[0] for name in names), lines[0]


@FUZZ
@given(body=TEXT)
def test_fuzzed_markdown_note_is_read_or_refused(body: str) -> None:
    assert_handled(outcome({"sessions/2026-04-01-note.md": body}), "2026-04-01-note.md")


@FUZZ
@given(body=TEXT)
def test_fuzzed_text_note_is_read_or_refused(body: str) -> None:
    assert_handled(outcome({"reading/note.txt": body}), "note.txt")


YAML_VALUES = st.one_of(
    st.sampled_from(["2026-04-01", "2026-02-31", "01/04/2026", "[5.2, 1.1]", "5.10", "yes",
                     "null", "~", "{a: 1}", "[", "]", "*a", "&a x", "!!python/object:os.system",
                     "'unterminated", '"x', "- a\n- b", "|\n  block", "0x1F", "1e400", "",
                     "session", "virtual", "45", "-1", "Mentee A", "Egan, G. (2014)"]),
    WORDS, st.text(max_size=12))
KEYS = st.sampled_from(["type", "date", "mentee", "duration", "mode", "criteria", "author",
                        "references", "title", "nmae", "date ", "- x", "? k", "<<", "author.name"])


@FUZZ
@given(entries=st.lists(st.tuples(KEYS, YAML_VALUES, st.sampled_from(["", "  ", "\t"])),
                        max_size=8),
       body=TEXT)
def test_fuzzed_front_matter_is_read_or_refused(entries, body: str) -> None:
    front = "".join(f"{indent}{key}: {value}\n" for key, value, indent in entries)
    note = f"---\n{front}---\n{body}"
    assert_handled(outcome({"sessions/note.md": note}), "note.md")


LEARNER_KEYS = st.sampled_from(["name", "learner_id", "centre", "assessor", "employer",
                                "programme_start", "criteria", "mentees", "declaration",
                                "private_names", "unknown", "learner_id "])


@FUZZ
@given(entries=st.lists(st.tuples(LEARNER_KEYS, st.one_of(YAML_VALUES,
                                                          st.text(min_size=60, max_size=600))),
                        max_size=8))
def test_fuzzed_learner_yaml_is_read_or_refused(entries) -> None:
    yaml = "".join(f"{key}: {value}\n" for key, value in entries)
    result = outcome({"reading/a.txt": "Coaching is slow.\n"}, learner_yaml=yaml)
    assert_handled(result, "learner.yaml", "learner")


CELL = st.one_of(WORDS, st.text(max_size=20))
TABLE = st.tuples(
    st.integers(1, 4),  # columns
    st.lists(st.lists(st.tuples(CELL, st.sampled_from(["", "restart", "continue"]),
                                st.integers(1, 3)), min_size=1, max_size=4),
             min_size=1, max_size=12))
BLOCK = st.one_of(
    st.tuples(st.just("p"), CELL, st.sampled_from(["Normal", "Heading 1", "Heading 2", "Title",
                                                  "List Bullet", "List Number 2", "Quote"])),
    st.tuples(st.just("t"), TABLE, st.just("")))


def word_file(blocks) -> bytes:
    """A Word document from generated paragraphs and tables with merged cells."""
    d = docx.Document()
    for kind, content, style in blocks:
        if kind == "p":
            d.add_paragraph("".join(ch for ch in content if ch.isprintable()), style=style)
            continue
        columns, rows = content
        t = d.add_table(rows=len(rows), cols=columns)
        for tr, cells in zip(t._tbl.tr_lst, rows, strict=True):
            for tc, (text, merge, span) in zip(tr.tc_lst, cells, strict=False):
                run = OxmlElement("w:r")
                value = OxmlElement("w:t")
                value.text = "".join(ch for ch in text if ch.isprintable())
                run.append(value)
                tc.p_lst[0].append(run)
                pr = tc.get_or_add_tcPr()
                if merge:
                    vmerge = OxmlElement("w:vMerge")
                    if merge == "restart":
                        vmerge.set(qn("w:val"), "restart")
                    pr.append(vmerge)
                if span > 1:
                    grid = OxmlElement("w:gridSpan")
                    grid.set(qn("w:val"), str(span))
                    pr.append(grid)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@FUZZ
@given(blocks=st.lists(BLOCK, max_size=8))
def test_fuzzed_word_structure_is_read_or_refused(blocks) -> None:
    assert_handled(outcome({"reflections/work.docx": word_file(blocks)}), "work.docx")


VALID = word_file([("p", "Coaching is slow.", "Heading 1"),
                   ("t", (2, [[("Model", "", 1), ("Why", "", 1)],
                              [("Coaching", "restart", 1), ("It is slow.", "", 1)],
                              [("", "continue", 1), ("It is cheap.", "", 1)]]), ""),
                   ("p", "I listened to her.", "Normal")])


@FUZZ
@given(edits=st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255),
                                st.sampled_from(["set", "cut", "insert"])),
                      min_size=1, max_size=6))
def test_byte_mutated_word_file_is_read_or_refused(edits) -> None:
    data = bytearray(VALID)
    for at, value, how in edits:
        at %= max(1, len(data))
        if how == "set":
            data[at] = value
        elif how == "cut":
            del data[at:at + value]
        else:
            data[at:at] = bytes([value]) * 8
    assert_handled(outcome({"reflections/work.docx": bytes(data)}), "work.docx")
