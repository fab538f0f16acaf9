"""Word and PDF made from one HTML say the same: her own text and every quotation in both."""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections import Counter
from pathlib import Path

import docx
import pytest
from conftest import SAMPLES
from docx.oxml.ns import qn
from pypdf import PdfReader

from evidencegen.api import BuildOptions, build
from evidencegen.render.layout import read_manifest

PLANTED = """---
type: session
date: 2026-09-20
mentee: Mentee R
duration: 30 minutes
mode: face-to-face
criteria: [5.2]
---
I listened to R and paraphrased what she said about the **kestrelword** calls, and we
agreed to meet again in two weeks. I praised her *ploverword* handling of the missed call.

- first point about the rota
  - nested point about the wrenword travel
    - third level about the finchword car
- second point

1. numbered stepone lapwingword
2. numbered steptwo

| Call | What happened |
|------|---------------|
| Morning | heronword was late |
| Evening | swiftword went well |

> She said: "the curlewword calls are the hardest."

```
code block with dunlinword inside
```

See [the agency's linnetword policy](https://example.org/policy) and `snipeword` too.
"""
PLANTED_WORDS = ["kestrelword", "ploverword", "wrenword", "finchword", "lapwingword",
                 "heronword", "swiftword", "curlewword", "dunlinword", "linnetword",
                 "snipeword"]


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    return [w for w in re.sub(r"[^\w']+", " ", text.lower()).split() if w]


def docx_regions(path: Path) -> tuple[dict, dict[str, str]]:
    """The manifest, and the text inside each bookmark, in document order (tables too)."""
    d = docx.Document(str(path))
    manifest = read_manifest(d)
    assert manifest is not None
    texts: dict[str, list[str]] = {}
    open_: dict[str, str] = {}
    body = d.element.body
    for el in body.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd"), qn("w:t"), qn("w:tab")):
        if el.tag == qn("w:bookmarkStart"):
            open_[el.get(qn("w:id"))] = el.get(qn("w:name"))
            texts.setdefault(el.get(qn("w:name")), [])
        elif el.tag == qn("w:bookmarkEnd"):
            open_.pop(el.get(qn("w:id")), None)
        else:
            for name in open_.values():
                texts[name].append(el.text or " ")
    return manifest, {k: " ".join(v) for k, v in texts.items()}


def docx_all_text(path: Path) -> str:
    d = docx.Document(str(path))
    return " ".join(t.text or "" for t in d.element.body.iter(qn("w:t")))


def pdf_text(path: Path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("parity")
    folders = {name: SAMPLES / name for name in ("complete", "part-way", "just-started")}
    planted = out / "learners" / "planted"
    shutil.copytree(SAMPLES / "part-way", planted)
    (planted / "sessions" / "2026-09-20-every-construct.md").write_text(PLANTED)
    folders["planted"] = planted
    return {name: build(folder, BuildOptions(out=out / name, formats=("docx", "pdf"))).folder
            for name, folder in folders.items()}


@pytest.mark.parametrize("sample", ["complete", "part-way", "just-started", "planted"])
def test_her_text_and_every_quotation_are_in_both_word_and_pdf(built, sample: str) -> None:
    documents = sorted(built[sample].glob("*.docx"))
    assert len(documents) >= 3  # 1.1, 5.2 and the location sheet
    for path in documents:
        manifest, regions = docx_regions(path)
        pdf = Counter(words(pdf_text(path.with_suffix(".pdf"))))
        pdf_flat = " ".join(words(pdf_text(path.with_suffix(".pdf"))))
        for entry in manifest["learner_text"]:
            mine = Counter(words(regions[entry["id"]]))
            if not entry["file"]:  # a space left for her to write in, empty in both
                assert not mine, (path.name, entry["id"])
                continue
            assert mine, (path.name, entry["id"])
            missing = mine - pdf
            assert not missing, (path.name, entry["id"], missing)
        for item in manifest["evidence"]:
            quote = " ".join(words(regions[item["id"]]))
            assert quote and quote in pdf_flat, (path.name, item["id"], quote)
        word_all = Counter(words(docx_all_text(path)))
        for entry in manifest["learner_text"]:  # and the PDF's passages are all in Word
            assert not Counter(words(regions[entry["id"]])) - word_all


def test_planted_note_with_every_markdown_construct_survives_into_both(built) -> None:
    path = built["planted"] / "L4-023_435_5.2.docx"
    word = words(docx_all_text(path))
    pdf = words(pdf_text(path.with_suffix(".pdf")))
    for token in PLANTED_WORDS:
        assert token in word, token
        assert token in pdf, token
    d = docx.Document(str(path))
    levels = {int(v) for v in d.element.body.xpath(".//w:numPr/w:ilvl/@w:val")}
    assert {0, 1, 2} <= levels  # the nested list keeps its three levels in Word
    table = next(t for t in d.tables if t.rows[0].cells[0].text == "Call")
    assert table.rows[1].cells[1].text == "heronword was late"
