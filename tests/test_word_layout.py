"""Each layout rule of the Word documents, checked on the document's XML."""

from __future__ import annotations

import datetime as dt
import io
import json

import docx
import pytest
from conftest import SAMPLES
from docx.oxml.ns import qn

from evidencegen.errors import RenderError
from evidencegen.render.docx import render_docx
from evidencegen.render.layout import read_manifest

WHEN = dt.datetime(2026, 10, 1, 12)
PAGE = """<!DOCTYPE html><html><head><title>L4-1 Unit 435 AC 5.2</title></head>
<body data-document="criterion" data-criterion="5.2" data-learner-id="L4-1">
<header class="running">Ada (L4-1) running header</header>
<footer class="running">Level 4 Diploma footer</footer>
<h1>5.2 Use techniques</h1>
<nav class="toc"></nav>
<section data-section="sessions"><h2 id="sessions">Session records</h2>
<div class="learner" data-learner-text data-note-type="session" data-date="2026-04-14"
 data-mentee="Mentee J" data-file="sessions/a.md"><p>I listened to J.</p></div>
<p class="learner quote" data-file="sessions/a.md" data-line="9">She said thank you.
<span class="cite">[Session 14 Apr 2026, line 9]</span></p>
<table><thead><tr><th style="width: 4cm">A</th><th style="width: 13cm">B</th></tr></thead>
<tbody><tr><td>one</td><td>two</td></tr><tr><td>three</td><td>four</td></tr></tbody></table>
</section>
<h2 id="declaration">Authenticity declaration</h2>
<div data-keep="together" id="decision"><p>Decision first line</p>
<table class="sign"><tbody><tr><th>Signature</th><td>&nbsp;</td></tr>
<tr><th>Date</th><td>&nbsp;</td></tr></tbody></table></div>
<div class="write-lines" data-lines="5"></div>
<ol class="sources"><li id="src-1" data-source="src-1" data-file="sessions/a.md">Session 14 Apr
2026</li></ol>
</body></html>"""


@pytest.fixture(scope="module")
def doc() -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(PAGE, WHEN)))


def paragraph(doc, text: str):
    """The last paragraph starting with ``text`` (after the contents' entries)."""
    return [p for p in doc.element.body.iter(qn("w:p"))
            if "".join(t.text or "" for t in p.iter(qn("w:t"))).startswith(text)][-1]


def test_headings_are_kept_with_what_follows(doc) -> None:
    for text in ("5.2 Use techniques", "Session records", "Authenticity declaration"):
        assert paragraph(doc, text).pPr.find(qn("w:keepNext")) is not None, text


def test_every_table_row_is_kept_on_one_page(doc) -> None:
    rows = list(doc.element.body.iter(qn("w:tr")))
    assert len(rows) == 5
    assert all(tr.trPr.find(qn("w:cantSplit")) is not None for tr in rows)
    assert rows[0].trPr.find(qn("w:tblHeader")) is not None  # the header row repeats


def test_a_keep_together_block_is_chained_to_its_last_paragraph(doc) -> None:
    start = paragraph(doc, "Decision first line")
    cells = [p for tbl in doc.element.body.iter(qn("w:tbl"))
             for p in tbl.iter(qn("w:p")) if "Signature" in "".join(
                 t.text or "" for t in tbl.iter(qn("w:t")))]
    chain = [start, *cells]
    assert all(p.pPr.find(qn("w:keepNext")) is not None for p in chain[:-1])
    assert all(p.pPr.find(qn("w:keepLines")) is not None for p in chain)


def test_writing_lines_stay_ruled_lines_of_fixed_height(doc) -> None:
    lines = [p for p in doc.paragraphs if p.style.name == "Write Line"]
    assert len(lines) == 5
    style = doc.styles["Write Line"]
    assert round(style.paragraph_format.line_spacing.cm, 2) == 0.9
    assert style.paragraph_format.line_spacing_rule == 4  # exactly
    borders = style.element.pPr.find(qn("w:pBdr"))
    assert {c.tag.split("}")[1] for c in borders} == {"bottom", "between"}


def test_page_is_a4_with_the_tools_header_and_page_numbers(doc) -> None:
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert section.header.paragraphs[0].text == "Ada (L4-1) running header"
    footer = section.footer
    assert footer.paragraphs[0].text.startswith("Level 4 Diploma footer\tPage ")
    assert [i.strip() for i in footer._element.xpath(".//w:instrText/text()")] == [
        "PAGE", "NUMPAGES"]


def test_ids_become_bookmarks_and_the_manifest_lists_them(doc) -> None:
    names = set(doc.element.body.xpath(".//w:bookmarkStart/@w:name"))
    assert {"ev-1", "src-1", "sec-sessions", "text-1", "decision"} <= names
    manifest = read_manifest(doc)
    assert manifest is not None
    assert (manifest["criterion"], manifest["learner_id"], manifest["document"]) == (
        "5.2", "L4-1", "criterion")
    assert manifest["evidence"] == [{"id": "ev-1", "source": "", "file": "sessions/a.md",
                                     "line": 9, "element": "", "element_name": "",
                                     "section": "sessions"}]
    assert manifest["learner_text"][0]["mentee"] == "Mentee J"
    json.dumps(manifest)


def test_contents_are_pageref_fields_word_updates_on_open(doc) -> None:
    instr = [i.strip() for i in doc.element.body.xpath(".//w:instrText/text()")]
    assert instr == ["PAGEREF sec-sessions \\h", "PAGEREF sec-declaration \\h"]
    names = set(doc.element.body.xpath(".//w:bookmarkStart/@w:name"))
    assert {"sec-sessions", "sec-declaration"} <= names
    # each target marks the heading's own text, inside its paragraph: a bookmark spanning
    # the whole section is one LibreOffice cannot resolve
    for name in ("sec-sessions", "sec-declaration"):
        [start] = doc.element.body.xpath(f".//w:bookmarkStart[@w:name='{name}']")
        assert start.getparent().tag.endswith("}p")
    assert doc.settings.element.xpath("./w:updateFields/@w:val") == ["true"]


def test_an_element_the_converter_does_not_know_stops_the_document() -> None:
    with pytest.raises(RenderError, match="<video>"):
        render_docx(PAGE.replace("<h1>", "<video>clip</video><h1>"), WHEN)


def test_a_centre_reference_keeps_a4_and_loses_its_placeholder_header_and_footer() -> None:
    reference = SAMPLES / "centres" / "riverside" / "reference.docx"
    doc = docx.Document(io.BytesIO(render_docx(PAGE, WHEN, reference=reference)))
    section = doc.sections[0]
    assert round(section.page_width.cm, 1) == 21.0
    assert section.header.paragraphs[0].text == "Ada (L4-1) running header"
    assert "Riverside reference footer" not in section.footer.paragraphs[0].text


def test_same_html_gives_the_same_bytes() -> None:
    assert render_docx(PAGE, WHEN) == render_docx(PAGE, WHEN)
