"""Hostile and very large inputs: how long each takes to read, or to refuse.

Run:  python benchmarks/bench_bounds.py [-n 2000]

- finding the learners of a cohort of N generated learner folders (each with notes in
  sub-folders), with the walk in use and with the earlier one (every learner.yaml found
  with rglob, then compared with every learner found before it), then reading every
  learner.yaml for ids that clash;
- reading a 2 MB note written one sentence per line (the note size limit raised for it);
- reading Word files whose table rows all merge upward (3 columns x 1,500 rows, and one
  column x 3,000 rows, each under 40 KB);
- refusing a 1.2 MB .docx whose headers claim 1 KB for a part that inflates to 1 GB.

Figures go in README's Speed section; tests check behaviour only.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import struct
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from evidencegen.batch import _duplicates, find_learners
from evidencegen.errors import NoteError
from evidencegen.limits import check_zip
from evidencegen.readers.docx import read_docx
from evidencegen.readers.markdown import read_note


def timed(what: str, fn: Callable[[], object]) -> object:
    t = time.perf_counter()
    result = fn()
    print(f"{what:<58} {time.perf_counter() - t:8.2f} s")
    return result


def old_find_learners(cohort: Path) -> list[Path]:
    """The walk before: rglob everything, then test each folder against all found."""
    found: list[Path] = []
    for path in sorted(cohort.rglob("learner.yaml")):
        rel = path.relative_to(cohort).parts
        if any(part.startswith(".") for part in rel):
            continue
        if any(path.parent.is_relative_to(f) for f in found):
            continue
        found.append(path.parent)
    return found


def make_cohort(root: Path, n: int) -> None:
    for i in range(n):
        folder = root / f"group-{i % 20:02d}" / f"learner-{i:04d}"
        (folder / "sessions").mkdir(parents=True)
        (folder / "reading").mkdir()
        (folder / "learner.yaml").write_text(f"name: Learner {i}\nlearner_id: SYN-{i:04d}\n")
        for s in range(4):
            (folder / "sessions" / f"2026-04-0{s + 1}.md").write_text("I listened to her.\n")
        (folder / "reading" / "models.md").write_text("Coaching is slow.\n")


def merged_docx(path: Path, columns: int, rows: int) -> Path:
    d = docx.Document()
    d.add_paragraph("My reflection.")
    t = d.add_table(rows=rows, cols=columns)
    for r, tr in enumerate(t._tbl.tr_lst):
        for tc in tr.tc_lst:
            merge = OxmlElement("w:vMerge")
            if r == 0:
                merge.set(qn("w:val"), "restart")
            tc.get_or_add_tcPr().append(merge)
    d.save(path)
    return path


def lying_docx(path: Path, real: int, claimed: int) -> Path:
    buf = io.BytesIO()
    docx.Document().save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            out.writestr(item.filename, src.read(item))
        with out.open("word/lie.xml", "w") as fh:
            for _ in range(real // (1 << 20)):
                fh.write(b"\0" * (1 << 20))
    data = bytearray(path.read_bytes())
    crc = zlib.crc32(b"\0" * claimed)
    name = b"word/lie.xml"
    local = data.rindex(b"PK\x03\x04", 0, data.index(name))
    struct.pack_into("<L", data, local + 14, crc)
    struct.pack_into("<L", data, local + 22, claimed)
    central = data.index(name, data.index(b"PK\x01\x02")) - 46
    struct.pack_into("<L", data, central + 16, crc)
    struct.pack_into("<L", data, central + 24, claimed)
    path.write_bytes(bytes(data))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="learners in the cohort")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_cohort(root / "cohort", args.n)
        found = timed(f"find_learners, {args.n} learners", lambda: find_learners(root / "cohort"))
        before = timed(f"the earlier walk, {args.n} learners",
                       lambda: old_find_learners(root / "cohort"))
        assert found == before and len(found) == args.n
        clashes = timed(f"reading their ids, checking for clashes ({args.n})",
                        lambda: _duplicates(found))  # type: ignore[arg-type]
        assert clashes == {}

        lines, size = [], 0
        while size < 2 * 1024 * 1024:
            lines.append(f"I listened to her and we agreed plan {len(lines)}.")
            size += len(lines[-1]) + 1
        note = root / "long.txt"
        note.write_text("\n".join(lines) + "\n")
        os.environ["EVIDENCEGEN_MAX_NOTE_MB"] = "3"
        read = timed("2 MB note, one sentence per line (parse only)",
                     lambda: read_note(note, root))
        assert len(read.sentences) == len(lines)  # type: ignore[attr-defined]
        del os.environ["EVIDENCEGEN_MAX_NOTE_MB"]

        for columns, rows in ((3, 1500), (1, 3000)):
            path = merged_docx(root / f"merged-{columns}.docx", columns, rows)
            kb = path.stat().st_size // 1024
            timed(f"Word table {columns} x {rows}, every row merged up ({kb} KB)",
                  lambda p=path: read_docx(p, root))

        liar = lying_docx(root / "liar.docx", real=1 << 30, claimed=1024)
        mb = liar.stat().st_size / (1 << 20)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        def refuse() -> str:
            try:
                check_zip(liar, "Word", NoteError)
            except NoteError as exc:
                return exc.message
            raise AssertionError("the lying zip was accepted")

        message = timed(f"refusing a {mb:.1f} MB .docx claiming 1 KB, inflating to 1 GB", refuse)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  {message}")
        print(f"  peak memory {peak:.0f} MB before, {after:.0f} MB after")


if __name__ == "__main__":
    main()
