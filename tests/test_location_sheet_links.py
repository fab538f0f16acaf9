"""The evidence location sheet as a reader uses it: each cited section is a link into its
document (a Word bookmark, a PDF named destination), its pages are said to be the PDF's,
and each Word document's contents shows the PDF's pages until Word counts its own."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from lxml import etree
from pypdf import PdfReader

from evidencegen.cli import cli

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}
SHEET = "L4-017_435_evidence-location"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("sheet")
    out = {}
    for name, formats in (("both", []), ("docx", ["-f", "docx"])):
        result = CliRunner().invoke(cli, ["build", str(SAMPLES / "complete"), "-o",
                                          str(root / name), *formats])
        assert result.exit_code == 0, result.output
        out[name] = root / name / "L4-017"
    return out


def _xml(path: Path, part: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(path) as zf:
        return etree.fromstring(zf.read(part))


def _links(path: Path) -> list[tuple[str, str]]:
    """(shown text, target) of each hyperlink in a Word document's body."""
    rels = {r.get("Id"): r.get("Target") for r in _xml(path, "word/_rels/document.xml.rels")}
    return [("".join(h.itertext()), rels[h.get(f"{{{R}}}id")])
            for h in _xml(path).iter(f"{{{W}}}hyperlink") if h.get(f"{{{R}}}id")]


def _bookmarks(path: Path) -> set[str]:
    return {b.get(f"{{{W}}}name") for b in _xml(path).iter(f"{{{W}}}bookmarkStart")}


def _contents(path: Path) -> list[tuple[str, str]]:
    """(bookmark, shown value) of each PAGEREF field, in order."""
    found, current = [], None
    for el in _xml(path).iter(f"{{{W}}}instrText", f"{{{W}}}t", f"{{{W}}}fldChar"):
        if el.tag == f"{{{W}}}instrText" and "PAGEREF" in (el.text or ""):
            current = [el.text.split()[1], ""]
        elif el.tag == f"{{{W}}}t" and current is not None:
            current[1] += el.text or ""
        elif el.tag == f"{{{W}}}fldChar" and current is not None \
                and el.get(f"{{{W}}}fldCharType") == "end":
            found.append(tuple(current))
            current = None
    return found


@pytest.mark.parametrize("build", ["both", "docx"])
def test_word_sheet_links_each_section_to_its_bookmark_in_the_word_document(
        built, build) -> None:
    folder = built[build]
    links = _links(folder / f"{SHEET}.docx")
    assert ("Evidence map", "L4-017_435_5.2.docx#sec-evidence-map") in links
    assert ("The models in your words", "L4-017_435_1.1.docx#sec-comparison-table") in links
    assert len(links) >= 6
    for _, target in links:
        file, anchor = target.split("#")
        assert re.fullmatch(r"L4-017_435_\d\.\d\.docx", file)  # relative, beside the sheet
        assert anchor in _bookmarks(folder / file), target


def test_word_contents_fields_point_at_bookmarks_of_the_same_document(built) -> None:
    for build in ("both", "docx"):
        path = built[build] / "L4-017_435_5.2.docx"
        fields = _contents(path)
        assert [b for b, _ in fields][:2] == ["sec-evidence-map", "sec-sessions"]
        assert {b for b, _ in fields} <= _bookmarks(path)


def test_word_contents_shows_the_pdf_pages_when_a_pdf_was_laid_out(built) -> None:
    for ac in ("1.1", "5.2"):
        shown = dict(_contents(built["both"] / f"L4-017_435_{ac}.docx"))
        reader = PdfReader(built["both"] / f"L4-017_435_{ac}.pdf")
        for mark, value in shown.items():
            dest = reader.named_destinations[mark.removeprefix("sec-")]
            assert value == str(reader.get_destination_page_number(dest) + 1), mark
        assert len(set(shown.values())) > 1  # not every section on one page
        assert set(dict(_contents(built["docx"] / f"L4-017_435_{ac}.docx")).values()) == {
            "\u2013"}  # no PDF: a dash until Word counts the pages


def test_sheet_says_whose_pages_it_cites(built) -> None:
    def text(path: Path) -> str:
        return " ".join("".join(_xml(path).itertext()).split()).replace("\xa0", " ")

    both, only = text(built["both"] / f"{SHEET}.docx"), text(built["docx"] / f"{SHEET}.docx")
    assert "Page numbers are those of the PDF edition" in both
    assert re.search(r"Evidence map \(PDF p\. \d", both)
    assert "the pages of each section are in its document's contents" in only
    assert "PDF p." not in only


def test_pdf_sheet_links_each_section_to_its_named_destination(built) -> None:
    folder = built["both"]
    uris = [a.get_object()["/A"]["/URI"] for page in PdfReader(folder / f"{SHEET}.pdf").pages
            for a in page.get("/Annots") or [] if "/A" in a.get_object()]
    assert "L4-017_435_5.2.pdf#nameddest=evidence-map" in uris
    for uri in uris:
        file, anchor = uri.split("#nameddest=")
        assert re.fullmatch(r"L4-017_435_\d\.\d\.pdf", file), uri  # relative, no file: URL
        assert anchor in PdfReader(folder / file).named_destinations, uri
