"""Small files, long runs: every hostile input ends in exit 0 or one line naming the file.

Zip bombs (honest and lying), oversized images and parts, Word tables whose rows all merge
upward, cells spanning a billion columns, over-long ids and names, limits changed by their
environment variables. Speed is measured in benchmarks/bench_bounds.py, not here.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from evidencegen.cli import cli
from evidencegen.errors import NoteError
from evidencegen.limits import check_zip
from evidencegen.readers.markdown import read_note

LEARNER = "name: Test Learner\nlearner_id: L4-001\nmentees: [Mentee A]\n"


def learner(tmp_path: Path, yaml: str = LEARNER) -> Path:
    folder = tmp_path / "learner"
    folder.mkdir(exist_ok=True)
    (folder / "learner.yaml").write_text(yaml)
    return folder


def check(path: Path) -> Result:
    return CliRunner().invoke(cli, ["check", str(path)])


def assert_refused(result: Result, *fragments: str) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "unexpected error" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def assert_read(result: Result) -> None:
    assert result.exit_code == 0, result.output
    assert "unexpected error" not in result.output


def docx_bytes(text: str = "I listened to her and we agreed a plan.") -> bytes:
    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph(text)
    d.save(buf)
    return buf.getvalue()


def repack(path: Path, extra: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as src, \
            zipfile.ZipFile(path, "w", method) as out:
        for item in src.infolist():
            out.writestr(item.filename, src.read(item))
        for name, data in extra.items():
            out.writestr(name, data)
    return path


def lying_zip(path: Path, real: int, claimed: int) -> Path:
    """A .docx with a part whose headers claim ``claimed`` bytes (and the CRC of that many
    zeros) while its deflate stream inflates to ``real`` bytes."""
    repack(path, {})
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/lie.xml", b"\0" * real)
    data = bytearray(path.read_bytes())
    crc = zlib.crc32(b"\0" * claimed)
    name = b"word/lie.xml"
    local = data.index(b"PK\x03\x04" + data[data.index(name) - 26:data.index(name) - 4])
    struct.pack_into("<L", data, local + 14, crc)
    struct.pack_into("<L", data, local + 22, claimed)
    central = data.index(b"PK\x01\x02", local)
    while data[central + 46:central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<L", data, central + 16, crc)
    struct.pack_into("<L", data, central + 24, claimed)
    path.write_bytes(bytes(data))
    return path


def test_a_zip_that_lies_about_its_sizes_is_refused_without_inflating_it(tmp_path) -> None:
    folder = learner(tmp_path)
    bomb = lying_zip(folder / "liar.docx", real=300 * 1024 * 1024, claimed=1024)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    with zipfile.ZipFile(bomb) as zf:  # the headers say the whole file is small
        assert sum(i.file_size for i in zf.infolist()) < 1024 * 1024
    line = assert_refused(check(folder), "liar.docx", "refused")
    assert "word/lie.xml" in line and "EVIDENCEGEN_MAX_PART_MB" in line


def test_a_part_that_inflates_to_another_size_than_it_claims_is_refused(tmp_path) -> None:
    folder = learner(tmp_path)
    lying_zip(folder / "short.docx", real=4096, claimed=1024)
    assert_refused(check(folder), "short.docx", "not the size it claims")


def test_check_zip_stops_at_the_running_limit(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("EVIDENCEGEN_MAX_UNPACKED_MB", "1")
    path = repack(tmp_path / "a.docx", {f"word/p{i}.xml": b"x" * 400_000 for i in range(3)})
    with pytest.raises(NoteError, match="this Word file unpacked is larger than 1 MB"):
        check_zip(path, "Word", NoteError)


def test_an_honest_part_over_the_part_limit_is_refused(tmp_path) -> None:
    folder = learner(tmp_path)
    repack(folder / "big.docx", {"word/padding.xml": b" " * (21 * 1024 * 1024)})
    assert_refused(check(folder), "big.docx", "a part of this Word file (word/padding.xml)",
                   "larger than 20 MB")


def test_an_image_over_the_image_limit_is_refused_naming_it(tmp_path) -> None:
    folder = learner(tmp_path)
    repack(folder / "photo.docx", {"word/media/image1.png": b"\x89PNG" + b"\0" * 21 * 1024 * 1024})
    assert_refused(check(folder), "photo.docx", "an image of this Word file",
                   "word/media/image1.png", "EVIDENCEGEN_MAX_IMAGE_MB")


def test_the_image_limit_is_changed_by_its_variable(tmp_path, monkeypatch) -> None:
    folder = learner(tmp_path)
    repack(folder / "photo.docx", {"word/media/image1.png": b"\x89PNG" + b"\0" * 300_000})
    assert_read(check(folder))
    monkeypatch.setenv("EVIDENCEGEN_MAX_IMAGE_MB", "0.1")
    assert_refused(check(folder), "photo.docx", "larger than 0.1 MB")


def test_a_zip_of_ten_thousand_parts_is_refused(tmp_path) -> None:
    folder = learner(tmp_path)
    repack(folder / "many.docx", {f"word/x{i}.xml": b"" for i in range(10_001)},
           zipfile.ZIP_STORED)
    assert_refused(check(folder), "many.docx", "10,0", "parts")


def test_a_part_compressed_with_bzip2_is_refused(tmp_path) -> None:
    folder = learner(tmp_path)
    repack(folder / "bz.docx", {"word/extra.xml": b"<x/>" * 100}, zipfile.ZIP_BZIP2)
    assert_refused(check(folder), "bz.docx", "compression")


def test_a_damaged_deflate_stream_is_refused(tmp_path) -> None:
    folder = learner(tmp_path)
    path = repack(folder / "broken.docx", {"word/extra.xml": b"<x>hello</x>" * 5000})
    data = bytearray(path.read_bytes())
    at = data.index(b"word/extra.xml") + len("word/extra.xml")
    data[at + 10:at + 60] = b"\xff" * 50
    path.write_bytes(bytes(data))
    assert_refused(check(folder), "broken.docx")


def test_an_odt_bomb_is_refused(tmp_path) -> None:
    folder = learner(tmp_path)
    with zipfile.ZipFile(folder / "bomb.odt", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", b"<x/>")
        zf.writestr("Pictures/huge.png", b"\0" * (25 * 1024 * 1024))
    assert_refused(check(folder), "bomb.odt", "an image", "Pictures/huge.png")


def merged_table(path: Path, columns: int, rows: int, first_row_continues: bool = False) -> Path:
    """A table whose cells, below the first row, all continue the cell above (vMerge)."""
    d = docx.Document()
    d.add_paragraph("My reflection on mentoring.")
    t = d.add_table(rows=rows, cols=columns)
    for r, tr in enumerate(t._tbl.tr_lst):
        for c, tc in enumerate(tr.tc_lst):
            if r == 0:
                run = OxmlElement("w:r")
                text = OxmlElement("w:t")
                text.text = f"Coaching column {c} is slow"
                run.append(text)
                tc.p_lst[0].append(run)
            merge = OxmlElement("w:vMerge")
            if r == 0 and not first_row_continues:
                merge.set(qn("w:val"), "restart")
            tc.get_or_add_tcPr().append(merge)
    d.save(path)
    return path


def test_a_wide_table_whose_rows_all_merge_upward_is_read(tmp_path) -> None:
    folder = learner(tmp_path)
    path = merged_table(folder / "merged.docx", 3, 1500)
    assert path.stat().st_size < 64 * 1024
    assert_read(check(folder))


def test_a_one_column_table_merged_3000_rows_deep_is_read_without_recursion(tmp_path) -> None:
    folder = learner(tmp_path)
    merged_table(folder / "tall.docx", 1, 3000)
    assert_read(check(folder))


def test_a_merged_cell_counts_once_not_once_per_row(tmp_path) -> None:
    from evidencegen.readers.docx import read_docx

    folder = learner(tmp_path)
    path = merged_table(folder / "m.docx", 2, 50)
    (note,) = read_docx(path, folder)
    cells = [b for b in note.blocks if b.kind == "table_cell"]
    assert len([b for b in cells if "column 1" in b.text]) <= 1


def test_a_first_row_that_continues_nothing_is_read(tmp_path) -> None:
    folder = learner(tmp_path)
    merged_table(folder / "odd.docx", 2, 10, first_row_continues=True)
    assert_read(check(folder))


def test_a_cell_spanning_a_billion_columns_is_read(tmp_path) -> None:
    folder = learner(tmp_path)
    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "Model"
    t.cell(1, 0).text = "Coaching is slow."
    span = OxmlElement("w:gridSpan")
    span.set(qn("w:val"), "1000000000")
    t._tbl.tr_lst[1].tc_lst[0].get_or_add_tcPr().append(span)
    d.save(folder / "span.docx")
    assert_read(check(folder))


def test_word_text_beyond_the_note_limit_is_refused(tmp_path, monkeypatch) -> None:
    folder = learner(tmp_path)
    d = docx.Document()
    for _ in range(400):
        d.add_paragraph("I listened to her and we agreed a plan for the rota. " * 5)
    d.save(folder / "long.docx")
    monkeypatch.setenv("EVIDENCEGEN_MAX_NOTE_MB", "0.05")
    assert_refused(check(folder), "long.docx", "the text of this Word file",
                   "EVIDENCEGEN_MAX_NOTE_MB")


def test_a_note_one_sentence_per_line_keeps_every_line_number(tmp_path) -> None:
    lines = [f"I listened to her for the {i}th time." for i in range(1, 12_001)]
    path = tmp_path / "long.txt"
    path.write_text("\n".join(lines) + "\n")
    note = read_note(path, tmp_path)
    assert [s.line for s in note.sentences] == list(range(1, 12_001))


def test_a_note_over_the_limit_is_refused_naming_the_variable(tmp_path, monkeypatch) -> None:
    folder = learner(tmp_path)
    (folder / "big.md").write_text("I listened to her.\n" * 2000)
    assert_read(check(folder))
    monkeypatch.setenv("EVIDENCEGEN_MAX_NOTE_MB", "0.02")
    assert_refused(check(folder), "big.md", "larger than 0.02 MB", "EVIDENCEGEN_MAX_NOTE_MB")


def test_a_limit_that_is_not_a_number_is_one_line(tmp_path, monkeypatch) -> None:
    folder = learner(tmp_path)
    (folder / "a.md").write_text("I listened to her.\n")
    monkeypatch.setenv("EVIDENCEGEN_MAX_NOTE_MB", "lots")
    assert_refused(check(folder), "EVIDENCEGEN_MAX_NOTE_MB", "not a number")


@pytest.mark.parametrize(("field", "value", "most"), [
    ("learner_id", "A" * 500, 64),
    ("name", "B" * 500, 100),
    ("assessor", "C" * 500, 100),
    ("centre", "D" * 500, 200),
])
def test_an_over_long_field_in_learner_yaml_is_refused(tmp_path, field, value, most) -> None:
    yaml = LEARNER.replace(f"{field}: ", f"{field}: {value}\n#") if field in LEARNER \
        else LEARNER + f"{field}: {value}\n"
    folder = learner(tmp_path, yaml)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(out), "-f", "docx"])
    assert_refused(result, "learner.yaml:", f"'{field}' is longer than {most} characters")
    assert not out.exists() or not any(out.rglob("*.docx"))


@pytest.mark.parametrize("text", [
    "[" * 50_000, "> " * 50_000, "*" * 19_000, "- " * 9_000 + "x",
    "\n".join(" " * i + "- item" for i in range(0, 2000, 2)),
    "|a|b|\n|-|-|\n" + "|x|y|\n" * 5000,
])
def test_pathological_markdown_is_read_or_refused_in_one_line(tmp_path, text) -> None:
    folder = learner(tmp_path)
    (folder / "odd.md").write_text(text)
    result = check(folder)
    assert result.exit_code in (0, 2), result.output
    assert "unexpected error" not in result.output and "Traceback" not in result.output


def test_front_matter_nested_ten_thousand_deep_is_one_line(tmp_path) -> None:
    folder = learner(tmp_path)
    (folder / "deep.md").write_text("---\ntitle: " + "[" * 10_000 + "\n---\nHello.\n")
    assert_refused(check(folder), "deep.md")


@pytest.mark.parametrize("front", ["? k: 2026-04-01\n", "? [a, b]\n: 1\n", "{[x]: 1}\n"])
def test_front_matter_with_a_field_name_that_is_not_a_word_is_one_line(tmp_path, front) -> None:
    folder = learner(tmp_path)
    (folder / "odd.md").write_text(f"---\n{front}---\nHello.\n")
    assert_refused(check(folder), "odd.md")


def test_each_merged_cell_is_read_once_and_gives_its_rows_their_context(tmp_path) -> None:
    from evidencegen.readers.docx import read_docx

    folder = learner(tmp_path)
    d = docx.Document()
    rows = 200
    t = d.add_table(rows=rows + 1, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Model", "Point"
    for r, tr in enumerate(t._tbl.tr_lst[1:]):
        first, second = tr.tc_lst
        merge = OxmlElement("w:vMerge")
        if r % 2 == 0:
            merge.set(qn("w:val"), "restart")
            first.p_lst[0].append(OxmlElement("w:r"))
            text = OxmlElement("w:t")
            text.text = f"Model {r}"
            first.p_lst[0][-1].append(text)
        first.get_or_add_tcPr().append(merge)
        second.p_lst[0].append(OxmlElement("w:r"))
        text = OxmlElement("w:t")
        text.text = f"Point {r}."
        second.p_lst[0][-1].append(text)
    d.save(folder / "grid.docx")
    (note,) = read_docx(folder / "grid.docx", folder)
    cells = [b for b in note.blocks if b.kind == "table_cell"]
    models = [b.text for b in cells if b.column == 0]
    assert models == [f"Model {r}" for r in range(0, rows, 2)]  # once each, none lost
    points = {b.text: b.context[-1] for b in cells if b.column == 1}
    assert points == {f"Point {r}.": f"Model {r - r % 2}" for r in range(rows)}
