"""The same inputs, options and version give byte-identical DOCX and PDF files."""

from __future__ import annotations

import datetime as dt
import time
import zipfile
from pathlib import Path

import docx
from conftest import SAMPLES
from pypdf import PdfReader

from evidencegen.api import BuildOptions, build


def _build(out: Path) -> dict[str, bytes]:
    result = build(SAMPLES / "part-way", BuildOptions(out=out))
    return {p.name: p.read_bytes() for p in result.files}


def test_two_builds_are_byte_identical(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # 2026-09-21
    first = _build(tmp_path / "a")
    time.sleep(1.1)  # a clock that has moved on must not show in the files
    second = _build(tmp_path / "b")
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], name


def test_source_date_epoch_sets_every_timestamp(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    result = build(SAMPLES / "part-way", BuildOptions(out=tmp_path))
    stamp = dt.datetime.fromtimestamp(1790000000, tz=dt.timezone.utc)
    path = next(p for p in result.files if p.suffix == ".docx")
    with zipfile.ZipFile(path) as zf:
        assert {i.date_time for i in zf.infolist()} == {
            (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)}
    assert docx.Document(str(path)).core_properties.created == stamp
    pdf = next(p for p in result.files if p.suffix == ".pdf")
    assert PdfReader(str(pdf)).metadata["/CreationDate"].startswith("D:20260921")
    facts = docx.Document(str(path)).tables[0]
    assert "21 September 2026" in {r.cells[0].text: r.cells[1].text for r in facts.rows}[
        "Generated"]
