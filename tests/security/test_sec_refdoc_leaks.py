"""A centre's Word reference document lends its look only: nothing typed into it, hidden in it
or attached to it reaches a learner's document, and a broken one is refused in one line."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import note
from docx.oxml import parse_xml

from evidencegen.cli import cli

SESSION = note({"type": "session", "date": "2026-04-01", "mentee": "Mentee A"},
               "I listened to her and asked open questions about her goals.")
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SECRET = "PLANTED-SECRET-7731"
Parts = dict[str, bytes]


def _add_part(parts: Parts, name: str, content_type: str, reltype: str, xml: str,
              owner: str = "word/_rels/document.xml.rels", target: str | None = None) -> None:
    parts[name] = xml.encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'
    ).encode()
    rels = parts[owner].decode()
    parts[owner] = rels.replace("</Relationships>", (
        f'<Relationship Id="rIdPlanted{len(parts)}" Type="{reltype}" '
        f'Target="{target or name}"/></Relationships>')).encode()


def _header_xml(parts: Parts, inner: str) -> None:
    """Add ``inner`` (runs) to the header's first paragraph."""
    name = next(n for n in parts if n.startswith("word/header"))
    xml = parts[name].decode()
    end = xml.index("</w:p>")
    parts[name] = (xml[:end] + inner + xml[end:]).encode()


def make_reference(path: Path, doc_edit: Callable[[docx.document.Document], None] | None = None,
                   zip_edit: Callable[[Parts], None] | None = None) -> Path:
    doc = docx.Document()
    doc.add_paragraph(f"Body text of the reference {SECRET}-body")
    doc.sections[0].header.paragraphs[0].text = "Test Centre header"
    doc.sections[0].footer.paragraphs[0].text = "Test Centre footer"
    doc.styles["Heading 1"].font.color.rgb = docx.shared.RGBColor(0x7A, 0x1E, 0x5A)
    if doc_edit is not None:
        doc_edit(doc)
    buf = io.BytesIO()
    doc.save(buf)
    with zipfile.ZipFile(buf) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    if zip_edit is not None:
        zip_edit(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def centre_with(tmp_path: Path, reference: Callable[[Path], object]) -> Path:
    folder = tmp_path / "centre"
    folder.mkdir()
    reference(folder / "reference.docx")
    (folder / "centre.yaml").write_text("name: Test Centre\nword_reference: reference.docx\n")
    return folder / "centre.yaml"


def build(learner_dir, tmp_path: Path, centre: Path) -> tuple[object, Path]:
    folder = learner_dir({"sessions/2026-04-01-a.md": SESSION})
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(out), "-c", "5.2",
                                      "-f", "docx", "--centre", str(centre)])
    return result, out


def output_parts(out: Path) -> Parts:
    path = next(out.rglob("*_5.2.docx"))
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _comment(doc) -> None:
    doc.add_comment(doc.paragraphs[0].runs, text=f"Met - signed off {SECRET}",
                    author="Assessor Name", initials="AN")


def _core(doc) -> None:
    props = doc.core_properties
    props.category = f"{SECRET}-category"
    props.keywords = f"{SECRET}-keywords"
    props.subject = f"{SECRET}-subject"
    props.comments = f"{SECRET}-description"
    props.identifier = f"{SECRET}-identifier"
    props.version = f"{SECRET}-version"
    props.content_status = f"{SECRET}-status"
    props.author = f"{SECRET}-author"


def _custom_properties(parts: Parts) -> None:
    _add_part(parts, "docProps/custom.xml",
              "application/vnd.openxmlformats-officedocument.custom-properties+xml",
              "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
              "custom-properties",
              '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
              'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
              '2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" '
              f'pid="2" name="Learner"><vt:lpwstr>{SECRET}</vt:lpwstr></property></Properties>',
              owner="_rels/.rels")


def _custom_xml(parts: Parts) -> None:
    _add_part(parts, "customXml/item1.xml", "application/xml",
              "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml",
              f"<learner><name>{SECRET}</name></learner>", target="../customXml/item1.xml")


def _hidden_run(parts: Parts) -> None:
    _header_xml(parts, f"<w:r {W}><w:rPr><w:vanish/></w:rPr><w:t>{SECRET}</w:t></w:r>")


def _hidden_style(doc) -> None:
    style = doc.styles.add_style("Quiet", docx.enum.style.WD_STYLE_TYPE.CHARACTER)
    style.font.hidden = True
    doc.sections[0].header.paragraphs[0].add_run(SECRET, style="Quiet")


def _deleted_text(parts: Parts) -> None:
    _header_xml(parts, f'<w:del {W} w:id="9" w:author="x"><w:r><w:delText>{SECRET}'
                       "</w:delText></w:r></w:del>")


def _field(parts: Parts) -> None:
    _header_xml(parts, (
        f'<w:r {W}><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r {W}><w:instrText> DOCPROPERTY Learner </w:instrText></w:r>'
        f'<w:r {W}><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r {W}><w:t>{SECRET}</w:t></w:r>"
        f'<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>'
        f'<w:fldSimple {W} w:instr=" INCLUDETEXT &quot;/etc/passwd&quot; ">'
        f"<w:r><w:t>{SECRET}-include</w:t></w:r></w:fldSimple>"))


def _footnote(parts: Parts) -> None:
    _add_part(parts, "word/footnotes.xml",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
              "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes",
              f'<w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r>'
              '<w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r>'
              f"<w:t>{SECRET}</w:t></w:r></w:p></w:footnote></w:footnotes>",
              target="footnotes.xml")


def _doc_vars(parts: Parts) -> None:
    xml = parts["word/settings.xml"].decode()
    parts["word/settings.xml"] = xml.replace("</w:settings>", (
        f'<w:docVars><w:docVar w:name="learner" w:val="{SECRET}"/></w:docVars>'
        "</w:settings>")).encode()


def _app_properties(parts: Parts) -> None:
    xml = parts["docProps/app.xml"].decode()
    parts["docProps/app.xml"] = xml.replace("</Properties>", (
        f"<Company>{SECRET}</Company><Manager>{SECRET}</Manager></Properties>")).encode()


def _thumbnail(parts: Parts) -> None:
    _add_part(parts, "docProps/thumbnail.jpeg", "image/jpeg",
              "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
              f"JFIF{SECRET}", owner="_rels/.rels")


def _body_table_and_section_text(doc) -> None:
    doc.add_table(rows=1, cols=1).cell(0, 0).text = SECRET
    doc.add_heading(SECRET, level=1)


LEAKS = {
    "body text and tables": (_body_table_and_section_text, None),
    "comments part": (_comment, None),
    "core properties": (_core, None),
    "custom properties": (None, _custom_properties),
    "custom XML part": (None, _custom_xml),
    "hidden run in the header": (None, _hidden_run),
    "text in a hidden style": (_hidden_style, None),
    "deleted text in the header": (None, _deleted_text),
    "fields other than page numbers": (None, _field),
    "footnote text": (None, _footnote),
    "document variables": (None, _doc_vars),
    "company and manager": (None, _app_properties),
    "thumbnail": (None, _thumbnail),
}


@pytest.mark.parametrize("kind", list(LEAKS))
def test_planted_data_in_the_reference_never_reaches_the_learners_document(
        learner_dir, tmp_path, kind) -> None:
    doc_edit, zip_edit = LEAKS[kind]
    centre = centre_with(tmp_path, lambda p: make_reference(p, doc_edit, zip_edit))
    with zipfile.ZipFile(tmp_path / "centre" / "reference.docx") as zf:  # really planted
        assert any(SECRET.encode() in zf.read(n) for n in zf.namelist())
    result, out = build(learner_dir, tmp_path, centre)
    assert result.exit_code in (0, 1), result.output
    parts = output_parts(out)
    leaked = [name for name, data in parts.items() if SECRET.encode() in data]
    assert leaked == [], f"{kind} leaked into {leaked}"
    manifest = {"customXml/item1.xml", "customXml/itemProps1.xml",
                "customXml/_rels/item1.xml.rels"}  # evidencegen's own manifest, nothing else
    assert parts["customXml/item1.xml"].startswith(b'<?xml version="1.0" encoding="UTF-8" '
                                                   b'standalone="yes"?>\n<manifest xmlns="urn:')
    assert not any(n.startswith(("customXml/", "docProps/custom", "docProps/thumbnail",
                                 "word/comments")) for n in set(parts) - manifest)
    d = docx.Document(io.BytesIO(_rezip(parts)))
    # the reference's header text is a placeholder: the tool's running header replaces it
    assert d.sections[0].header.paragraphs[0].text.startswith("Test Centre · Test Learner")
    assert str(d.styles["Heading 1"].font.color.rgb) == "7A1E5A"  # the look is kept
    assert d.paragraphs[0].text.startswith("5.2 ")  # the learner's document, from the top


def _rezip(parts: Parts) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_a_met_comment_in_the_reference_does_not_pass_check_strict(learner_dir,
                                                                   tmp_path) -> None:
    centre = centre_with(tmp_path, lambda p: make_reference(p, _comment))
    _, out = build(learner_dir, tmp_path, centre)
    draft = next(out.rglob("*_5.2.docx"))
    checked = CliRunner().invoke(cli, ["check", str(draft), "-c", "5.2", "--strict",
                                       "--format", "json"])
    assert checked.exit_code == 1, checked.output  # not signed off: the comment is gone
    assert '"signed_off"' not in checked.stdout and "Assessor Name" not in checked.stdout


def test_page_number_fields_in_the_reference_footer_are_kept(learner_dir, tmp_path) -> None:
    def page_field(parts: Parts) -> None:
        name = next(n for n in parts if n.startswith("word/footer"))
        xml = parts[name].decode()
        end = xml.index("</w:p>")
        parts[name] = (xml[:end] + f'<w:fldSimple {W} w:instr=" PAGE "><w:r><w:t>1</w:t>'
                       "</w:r></w:fldSimple>" + xml[end:]).encode()

    centre = centre_with(tmp_path, lambda p: make_reference(p, None, page_field))
    result, out = build(learner_dir, tmp_path, centre)
    assert result.exit_code in (0, 1), result.output
    footer = next(v for k, v in output_parts(out).items() if k.startswith("word/footer"))
    assert b"<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>" in footer
    assert b"Test Centre footer" not in footer  # replaced by the tool's footer


def _not_a_zip(path: Path) -> None:
    path.write_bytes(b"this is not a Word document at all" * 10)


def _no_document_part(path: Path) -> None:
    make_reference(path, None, lambda parts: parts.pop("word/document.xml"))


def _broken_styles(path: Path) -> None:
    make_reference(path, None, lambda parts: parts.__setitem__("word/styles.xml", b"<w:styl"))


def _oversized(path: Path) -> None:
    with path.open("wb") as fh:
        fh.truncate(51 * 1024 * 1024)  # sparse: costs no disk


def _zip_bomb(path: Path) -> None:
    parts: Parts = {}
    make_reference(path)
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
        with zf.open("word/media/padding.bin", "w") as fh:
            block = bytes(1024 * 1024)
            for _ in range(210):
                fh.write(block)


DAMAGED = {"not a zip": _not_a_zip, "no document part": _no_document_part,
           "broken styles XML": _broken_styles, "larger than 50 MB": _oversized,
           "zip bomb": _zip_bomb}


@pytest.mark.parametrize("kind", list(DAMAGED))
def test_a_damaged_or_oversized_reference_is_refused_in_one_line(learner_dir, tmp_path,
                                                                 kind) -> None:
    centre = centre_with(tmp_path, DAMAGED[kind])
    result, out = build(learner_dir, tmp_path, centre)
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and "reference.docx" in lines[0], lines
    assert "unexpected error" not in result.output and "Traceback" not in result.output
    assert not out.exists() or not any(p.is_file() for p in out.rglob("*"))


def test_the_reference_is_parsed_xml_not_trusted_markup() -> None:
    """The hidden-style check reads styles with the same parser Word files get elsewhere."""
    element = parse_xml(f'<w:rPr {W}><w:vanish w:val="0"/></w:rPr>')
    from evidencegen.render.reference import _hides

    assert not _hides(element)
    assert _hides(parse_xml(f"<w:rPr {W}><w:vanish/></w:rPr>"))
