"""The documents: what a learner and an assessor see in Word and in the PDF."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from conftest import note
from pypdf import PdfReader

from evidencegen.api import BuildOptions, build

SESSION_BODY = """
I **paraphrased** what she had told me so she knew I had understood.
We agreed to meet every other Tuesday.

- I praised her for leading the huddle.
- <script>alert(1)</script>
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("render")
    folder = root / "learner"
    (folder / "sessions").mkdir(parents=True)
    (folder / "reading").mkdir()
    (folder / "learner.yaml").write_text(
        "name: Ada Example\nlearner_id: L4-100\ncentre: Example Centre\nmentees: [Mentee A]\n"
        "declaration:\n  signed: true\n  date: 2026-05-01\n")
    (folder / "sessions/2026-04-01-a.md").write_text(note(
        {"type": "session", "date": "2026-04-01", "mentee": "Mentee A", "duration": "45 minutes",
         "mode": "virtual"}, SESSION_BODY))
    (folder / "sessions/2026-04-20-b.md").write_text(note(
        {"type": "session", "date": "2026-04-20", "mentee": "Mentee A"},
        "I listened while she explained the rota clash."))
    (folder / "reading/models.md").write_text(note(
        {"type": "knowledge", "references": ["Example, A. (2024) Mentoring. Leeds."]},
        "## Peer mentoring\nColleagues help each other. One benefit is shared experience. "
        "However, friends may avoid hard truths.\n"))
    out = root / "out"
    build(folder, BuildOptions(out=out))
    build(folder, BuildOptions(out=root / "final", final=True))
    return {"draft": out / "L4-100", "final": root / "final" / "L4-100"}


def docx_text(path: Path) -> tuple[docx.document.Document, str]:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return d, "\n".join(parts)


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_output_files_carry_learner_unit_and_criterion(built) -> None:
    names = sorted(p.name for p in built["draft"].iterdir())
    assert names == ["L4-100_435_1.1.docx", "L4-100_435_1.1.pdf", "L4-100_435_5.2.docx",
                     "L4-100_435_5.2.pdf", "L4-100_435_evidence-location.docx",
                     "L4-100_435_evidence-location.pdf", "coverage.json"]


def test_docx_has_her_text_real_styles_and_the_evidence_table(built) -> None:
    d, text = docx_text(built["draft"] / "L4-100_435_5.2.docx")
    styles = {p.style.name for p in d.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Guidance", "Learner Text"} <= styles
    assert d.element.body.xpath(".//w:numPr")  # her lists stay Word lists
    assert "I paraphrased what she had told me so she knew I had understood." in text
    assert "<script>alert(1)</script>" in text  # raw HTML shown as text
    para = next(p for p in d.paragraphs if p.text.startswith("I paraphrased"))
    assert para.style.name == "Learner Text"
    assert any(r.bold and r.text == "paraphrased" for r in para.runs)
    evidence = next(t for t in d.tables if t.rows[0].cells[0].text == "Technique")
    assert [c.text for c in evidence.rows[0].cells] == ["Technique", "Sessions",
                                                        "Example from your notes"]
    techniques = [r.cells[0].text for r in evidence.rows[1:]]
    assert techniques == ["Active listening", "Regular meetings", "Positive reinforcement"]
    assert evidence.columns[2].width > evidence.columns[1].width  # quote column is wide
    assert evidence.rows[0]._tr.xpath("./w:trPr/w:tblHeader")  # header repeats on each page
    props = d.core_properties
    assert props.author == "Ada Example"
    assert "5.2" in props.title and "L4-100" in props.title
    assert "Unit 435" in props.subject
    section = d.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    assert "L4-100" in section.header.paragraphs[0].text
    fields = [i.strip() for i in section.footer._element.xpath(".//w:instrText/text()")]
    assert fields == ["PAGE", "NUMPAGES"]


def test_pdf_shows_criterion_her_text_pages_and_metadata(built) -> None:
    path = built["draft"] / "L4-100_435_5.2.pdf"
    text = pdf_text(path)
    assert "Use mentoring techniques in order to maintain a working relationship" in text
    assert "I paraphrased what she had told me" in text
    assert "Page 1 of" in text
    reader = PdfReader(str(path))
    assert reader.pages[0].mediabox.width == pytest.approx(595.3, abs=1)  # A4
    assert reader.metadata.title.startswith("L4-100 Unit 435 AC 5.2")
    assert reader.metadata.author == "Ada Example"
    top = reader.outline[0]
    assert top["/Title"] == (
        "5.2 Use mentoring techniques in order to maintain a working relationship with the mentee")
    titles = [o["/Title"] for o in reader.outline[1] if isinstance(o, dict)]
    assert titles[:2] == ["Evidence map", "Session records"]


def test_1_1_documents_hold_one_card_per_model_and_references(built) -> None:
    d, text = docx_text(built["draft"] / "L4-100_435_1.1.docx")
    paras = [p.text for p in d.paragraphs]
    card = paras[paras.index("Peer mentoring"):]
    strengths, limitations = card.index("Strengths"), card.index("Limitations")
    assert any("One benefit is shared experience. (Reading note 1, line 6)" in p
               for p in card[strengths:limitations])
    assert any("However, friends may avoid hard truths." in p for p in card[limitations:])
    assert "reading/models.md" in text  # the file, named once in the sources list
    assert "Example, A. (2024) Mentoring. Leeds." in text
    assert "Still missing" in text


def test_word_count_counts_her_own_words(built) -> None:
    _, text = docx_text(built["draft"] / "L4-100_435_5.2.docx")
    assert "39 words" in text  # 31 + 8 in the two sessions; the reading note is 1.1's


def test_final_drops_guidance_and_still_missing(built) -> None:
    d, text = docx_text(built["final"] / "L4-100_435_5.2.docx")
    assert "Guidance" not in {p.style.name for p in d.paragraphs}
    assert "Still missing" not in text and "About this draft" not in text
    assert "Authenticity declaration" in text and "Assessor decision" in text
    assert "Still missing" not in pdf_text(built["final"] / "L4-100_435_5.2.pdf")
    assert "Still missing" in pdf_text(built["draft"] / "L4-100_435_5.2.pdf")


def test_coverage_json_shape(built) -> None:
    data = json.loads((built["draft"] / "coverage.json").read_text())
    assert data["learner"] == {"id": "L4-100", "name": "Ada Example"}
    assert data["unit"]["number"] == "435"
    by_id = {c["id"]: c for c in data["criteria"]}
    c52 = by_id["5.2"]
    assert c52["status"] == "ready"
    assert c52["title"].startswith("Use mentoring techniques")
    assert any(e["element"] == "active_listening" and e["source"] == "sessions/2026-04-01-a.md"
               and e["line"] == 8 for e in c52["evidence"])
    assert by_id["1.1"]["status"] == "in_progress"
    assert by_id["1.1"]["gaps"]
    assert len(by_id) == 22  # every criterion listed for the unit


def test_docx_opens_as_a_zip_word_document(built) -> None:
    data = (built["draft"] / "L4-100_435_1.1.docx").read_bytes()
    assert data[:2] == b"PK"
    docx.Document(io.BytesIO(data))


def test_docx_contents_gives_each_section_a_page_reference_word_updates(built) -> None:
    d = docx.Document(str(built["draft"] / "L4-100_435_5.2.docx"))
    instr = [i.strip() for i in d.element.body.xpath(".//w:instrText/text()")]
    marks = set(d.element.body.xpath(".//w:bookmarkStart/@w:name"))
    refs = [i.split()[1] for i in instr if i.startswith("PAGEREF")]
    assert refs[:2] == ["sec-evidence-map", "sec-sessions"] and set(refs) <= marks
    assert not any(i.startswith("TOC") for i in instr)  # no "Right-click to update"
    assert d.settings.element.xpath("./w:updateFields/@w:val") == ["true"]
    assert any(p.text == "Contents" for p in d.paragraphs)


def test_evidence_location_sheet_gives_document_sections_and_pages(built) -> None:
    d = docx.Document(str(built["draft"] / "L4-100_435_evidence-location.docx"))
    table = next(t for t in d.tables if t.rows[0].cells[0].text == "AC")
    rows = {r.cells[0].text: r for r in table.rows[1:]}
    assert len(rows) == 22
    evidence = rows["5.2"].cells[3].text.replace("\xa0", " ")
    assert "L4-100_435_5.2.docx: Evidence map (PDF p. 1" in evidence
    assert "Session records (PDF p. " in evidence
    assert "sessions/2026-04-01-a.md" in evidence
    assert rows["5.2"].cells[2].text == "\u25cf Ready for assessment"  # symbol and words
    assert rows["4.1"].cells[3].text == "No evidence yet."
    # the page numbers are the PDF's own
    reader = PdfReader(str(built["draft"] / "L4-100_435_5.2.pdf"))
    session_page = next(i for i, p in enumerate(reader.pages, 1)
                        if "Session records" in p.extract_text())
    assert f"Session records (PDF p. {session_page}" in evidence
