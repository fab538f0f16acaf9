"""Centre branding from centre.yaml, in both formats, with colours kept readable."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
from click.testing import CliRunner, Result
from conftest import SAMPLES
from pypdf import PdfReader

from evidencegen.branding import accessible, contrast
from evidencegen.cli import cli

RIVERSIDE = SAMPLES / "centres" / "riverside" / "centre.yaml"


def test_a_colour_that_fails_wcag_aa_is_darkened_until_it_passes() -> None:
    assert contrast("#E0559F", "#FFFFFF") < 4.5
    darker = accessible("#E0559F")
    assert contrast(darker, "#FFFFFF") >= 4.5
    assert accessible("#123B5C") == "#123B5C"  # already fine: unchanged


def _without_reference(tmp_path: Path) -> Path:
    centre = tmp_path / "centre"
    centre.mkdir()
    shutil.copy(RIVERSIDE.parent / "logo.png", centre / "logo.png")
    text = RIVERSIDE.read_text().replace("word_reference: reference.docx", "")
    (centre / "centre.yaml").write_text(text)
    return centre / "centre.yaml"


def test_branding_reaches_both_formats(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(SAMPLES / "complete"), "-o", str(tmp_path),
                                      "-c", "5.2", "--centre", str(_without_reference(tmp_path))])
    assert result.exit_code == 0, result.output
    d = docx.Document(str(tmp_path / "L4-017" / "L4-017_435_5.2.docx"))
    header = d.sections[0].header
    assert "Riverside Skills Academy" in header.paragraphs[0].text
    assert header._element.xpath(".//wp:docPr[@descr='Riverside Skills Academy logo']")
    assert "centre 000456" in d.sections[0].footer.paragraphs[0].text
    colour = str(d.styles["Heading 1"].font.color.rgb)
    assert colour == accessible("#E0559F").lstrip("#")
    assert d.styles["Normal"].font.name == "DejaVu Serif"
    pdf = PdfReader(str(tmp_path / "L4-017" / "L4-017_435_5.2.pdf"))
    text = pdf.pages[0].extract_text()
    assert "Riverside Skills Academy" in text and "centre 000456" in text
    images = pdf.pages[0]["/Resources"]["/XObject"]
    assert any(x.get_object()["/Subtype"] == "/Image" for x in images.values())


def test_batch_ignores_a_centre_yaml_in_the_cohort_folder(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    shutil.copytree(SAMPLES / "part-way", cohort / "part-way")
    shutil.copy(RIVERSIDE, cohort / "centre.yaml")
    shutil.copy(RIVERSIDE.parent / "logo.png", cohort / "logo.png")
    shutil.copy(RIVERSIDE.parent / "reference.docx", cohort / "reference.docx")
    result = CliRunner().invoke(cli, ["batch", str(cohort), "-o", str(tmp_path / "out"),
                                      "-f", "docx", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "centre.yaml is not used" in result.stderr  # anyone who writes there could set it
    d = docx.Document(str(tmp_path / "out" / "L4-023" / "L4-023_435_5.2.docx"))
    assert "Riverside Skills Academy" not in d.sections[0].header.paragraphs[0].text


def _build_with_centre(tmp_path: Path, centre_yaml: str) -> Result:
    """build part-way with a centre.yaml of this text, into tmp_path/o."""
    bad = tmp_path / "centre.yaml"
    bad.write_text(centre_yaml)
    return CliRunner().invoke(cli, ["build", str(SAMPLES / "part-way"), "-o",
                                    str(tmp_path / "o"), "--centre", str(bad)])


def test_bad_centre_yaml_names_the_line(tmp_path: Path) -> None:
    result = _build_with_centre(tmp_path, "name: X\ncolour: pink\n")
    assert result.exit_code == 2
    assert "centre.yaml:2:" in result.stderr and "colour like #1F5073" in result.stderr
    result = _build_with_centre(tmp_path, "name: X\nlogo: ../../etc/passwd\n")
    assert result.exit_code == 2 and "centre.yaml:2:" in result.stderr


def test_a_centres_word_document_gives_styles_page_header_and_footer(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(SAMPLES / "complete"), "-o", str(tmp_path),
                                      "-c", "5.2", "-f", "docx", "--centre", str(RIVERSIDE)])
    assert result.exit_code == 0, result.output
    d = docx.Document(str(tmp_path / "L4-017" / "L4-017_435_5.2.docx"))
    section = d.sections[0]
    assert round(section.page_width.cm, 1) == 21.0  # A4, not the reference's US Letter
    assert "L4-017" in section.header.paragraphs[0].text  # the tool's text, not the reference's
    assert "Riverside reference footer" not in section.footer.paragraphs[0].text
    assert section.footer.paragraphs[0].text.endswith("Page 1 of 1")
    # the running lines fit one line each, as in the PDF, whatever the reference's sizes
    assert d.styles["Header"].font.size.pt == d.styles["Footer"].font.size.pt == 8
    header = section.header.paragraphs[0].text
    assert header.endswith("\u2026") and len(header) <= section.page_width.pt / 4.4
    assert str(d.styles["Heading 1"].font.color.rgb) == "7A1E5A"
    assert d.styles["Normal"].font.name == "Georgia"
    texts = [p.text for p in d.paragraphs]
    assert "This text is from the reference and must not appear." not in texts
    assert texts[0].startswith("5.2 Use mentoring techniques")
    assert "Guidance" in {p.style.name for p in d.paragraphs}  # evidencegen's own styles added


def _paper_of(folder: Path, stem: str) -> tuple[tuple[int, int], tuple[str, str]]:
    """The PDF's first page in points and the Word section's w:pgSz in twips."""
    from docx.oxml.ns import qn

    box = PdfReader(folder / f"{stem}.pdf").pages[0].mediabox
    size = docx.Document(str(folder / f"{stem}.docx")).sections[0]._sectPr.find(qn("w:pgSz"))
    return (round(float(box.width)), round(float(box.height))), (size.get(qn("w:w")),
                                                                  size.get(qn("w:h")))


def _build(tmp_path: Path, *extra: str) -> Path:
    result = CliRunner().invoke(cli, ["build", str(SAMPLES / "complete"), "-o", str(tmp_path),
                                      "-c", "5.2", *extra])
    assert result.exit_code == 0, result.output
    return tmp_path / "L4-017"


def test_paper_is_a4_in_both_formats_by_default(tmp_path: Path) -> None:
    folder = _build(tmp_path / "plain")
    assert _paper_of(folder, "L4-017_435_5.2") == ((595, 842), ("11906", "16838"))
    assert _paper_of(folder, "L4-017_435_evidence-location") == ((595, 842),
                                                                 ("11906", "16838"))
    branded = _build(tmp_path / "riverside", "--centre", str(RIVERSIDE))  # Letter reference
    assert _paper_of(branded, "L4-017_435_5.2") == ((595, 842), ("11906", "16838"))


def test_a_letter_centre_gets_letter_in_both_formats(tmp_path: Path) -> None:
    centre = tmp_path / "centre"
    shutil.copytree(RIVERSIDE.parent, centre)
    (centre / "centre.yaml").write_text(RIVERSIDE.read_text() + "paper: letter\n")
    folder = _build(tmp_path / "out", "--centre", str(centre / "centre.yaml"))
    for stem in ("L4-017_435_5.2", "L4-017_435_evidence-location"):
        assert _paper_of(folder, stem) == ((612, 792), ("12240", "15840"))


def test_a_paper_centre_yaml_does_not_know_is_one_line_naming_it(tmp_path: Path) -> None:
    result = _build_with_centre(tmp_path, "name: X\npaper: A5\n")
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "centre.yaml:2:" in result.stderr and "A4 or Letter" in result.stderr
    assert not (tmp_path / "o").exists()
