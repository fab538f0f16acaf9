"""Word documents from the same HTML the PDF is laid out from.

A centre edits one template and both formats change. The converter knows a small, documented
set of elements and classes (README, "Customising templates") and maps each to a real Word
style, so the learner can go on editing the draft in Word with its Styles pane.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import lxml.html
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from lxml.html import HtmlElement

from evidencegen.docx_reader import OUTPUT_MARK

HEADINGS = {"h1": "Title", "h2": "Heading 1", "h3": "Heading 2", "h4": "Heading 3",
            "h5": "Heading 4", "h6": "Heading 4"}
CLASS_STYLES = {"guidance": "Guidance", "learner": "Learner Text", "witness": "Witness Text",
                "session-facts": "Meta", "empty": "Placeholder", "fill-in": "Fill In"}
NAVY, TEAL, GREY, BROWN = "123B5C", "2F8F83", "5B6670", "8A6D3B"
FONT = "Arial"
OWN_STYLES = {"Guidance", "Learner Text", "Witness Text", "Meta", "Placeholder", "Fill In",
              "Table Text", "Learner Table Text", "Citation", "Table Grid", "List Bullet",
              "List Number", "List Bullet 2", "List Bullet 3", "List Number 2",
              "List Number 3", "Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4",
              "Quote", "Header", "Footer"}
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _hex(color: str) -> RGBColor:
    return RGBColor.from_string(color)


def _set_border(ppr_or_tcpr: Any, tag: str, sides: dict[str, tuple[str, int]]) -> None:
    borders = OxmlElement(tag)
    for side, (color, size) in sides.items():
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(size))
        el.set(qn("w:space"), "4")
        el.set(qn("w:color"), color)
        borders.append(el)
    ppr_or_tcpr.append(borders)


def _shade(parent: Any, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    parent.append(shd)


def _paragraph_style(doc: DocxDocument, name: str, size: float, color: str | None = None,
                     italic: bool = False, base: str = "Normal") -> Any:
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(
        name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base]
    style.font.size = Pt(size)
    style.font.italic = italic
    if color:
        style.font.color.rgb = _hex(color)
    return style


def _set_font(style: Any, name: str) -> None:
    """Name the font outright: the blank template's theme fonts would otherwise win."""
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)


def _add_own_styles_only(doc: DocxDocument) -> None:
    """For a centre's reference document: keep its styles, add only evidencegen's own."""
    have = {s.name for s in doc.styles}
    scratch = Document()
    _setup_styles(scratch)
    for style in scratch.styles:
        if style.name not in have and style.name in OWN_STYLES:
            doc.styles.element.append(style.element)


def _setup_styles(doc: DocxDocument, colour: str = NAVY, font: str = FONT) -> None:
    normal = doc.styles["Normal"]
    _set_font(normal, font)
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(4)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-GB")
    rpr.append(lang)
    for name, size in (("Title", 20), ("Heading 1", 14), ("Heading 2", 11.5), ("Heading 3", 10.5),
                       ("Heading 4", 10)):
        style = doc.styles[name]
        _set_font(style, font)
        style.font.size = Pt(size)
        style.font.color.rgb = _hex(colour)
        style.paragraph_format.space_before = Pt(12 if name == "Heading 1" else 8)
    guidance = _paragraph_style(doc, "Guidance", 9, "3C4A57", italic=True)
    _shade(guidance.element.get_or_add_pPr(), "EEF2F6")
    _set_border(guidance.element.get_or_add_pPr(), "w:pBdr",
                {s: ("C9D3DC", 4) for s in ("top", "left", "bottom", "right")})
    learner = _paragraph_style(doc, "Learner Text", 10)
    learner.paragraph_format.left_indent = Cm(0.3)
    _set_border(learner.element.get_or_add_pPr(), "w:pBdr", {"left": (TEAL, 18)})
    witness = _paragraph_style(doc, "Witness Text", 10)
    witness.paragraph_format.left_indent = Cm(0.3)
    _set_border(witness.element.get_or_add_pPr(), "w:pBdr", {"left": (BROWN, 18)})
    _paragraph_style(doc, "Meta", 8.5, GREY)
    _paragraph_style(doc, "Placeholder", 10, GREY, italic=True)
    fill = _paragraph_style(doc, "Fill In", 10)
    fill.paragraph_format.space_before = Pt(14)
    _set_border(fill.element.get_or_add_pPr(), "w:pBdr", {"bottom": ("8795A1", 4)})
    _paragraph_style(doc, "Table Text", 8.5)
    in_table = _paragraph_style(doc, "Learner Table Text", 8.5, base="Learner Text")
    in_table.paragraph_format.left_indent = Cm(0.15)
    for name in ("Header", "Footer"):
        doc.styles[name].font.size = Pt(8)
        doc.styles[name].font.color.rgb = _hex(GREY)
    cite = doc.styles.add_style("Citation", WD_STYLE_TYPE.CHARACTER)
    cite.font.size = Pt(7.5)
    cite.font.color.rgb = _hex(GREY)


_WIDTH = re.compile(r"width:\s*([\d.]+)\s*(cm|mm)")


def _width(el: HtmlElement) -> Cm | None:
    """A column width from the cell's inline style (the same value the PDF uses)."""
    m = _WIDTH.search(el.get("style", ""))
    if not m:
        return None
    value = float(m.group(1))
    return Cm(value if m.group(2) == "cm" else value / 10)


def _field(paragraph: Paragraph, instr: str, placeholder: str) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), f" {instr} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


class _Cellish:
    """Lets a table cell be filled like a document: its first, empty paragraph is reused."""

    def __init__(self, cell: _Cell):
        self.cell = cell
        self.used = False

    def add_paragraph(self) -> Paragraph:
        if not self.used:
            self.used = True
            return self.cell.paragraphs[0]
        return self.cell.add_paragraph()


class _Converter:
    def __init__(self, doc: DocxDocument, colour: str = NAVY):
        self.doc = doc
        self.colour = colour
        # python-docx finds a style by scanning every style on each use; look ids up once.
        self.ids = {s.name: s.style_id for s in doc.styles}

    def para(self, box: Any, style: str | None) -> Paragraph:
        p = box.add_paragraph()
        if style and style in self.ids:
            p._p.get_or_add_pPr().style = self.ids[style]
        return p

    # -- inline ------------------------------------------------------------------------
    def inline(self, p: Paragraph, el: HtmlElement, fmt: dict[str, bool] | None = None) -> None:
        fmt = fmt or {}
        self._text(p, el.text, fmt, el)
        for child in el:
            if not isinstance(child.tag, str):
                self._text(p, child.tail, fmt, el)
                continue
            tag, cls = child.tag, child.get("class", "")
            if tag == "br":
                (p.runs[-1] if p.runs else p.add_run()).add_break()
            elif tag in ("ul", "ol", "p", "div", "table"):
                pass  # block content in an inline context is handled by the caller
            else:
                sub = dict(fmt)
                if tag in ("strong", "b"):
                    sub["bold"] = True
                elif tag in ("em", "i"):
                    sub["italic"] = True
                elif tag == "code":
                    sub["code"] = True
                elif "cite" in cls.split():
                    sub["cite"] = True
                self.inline(p, child, sub)
            self._text(p, child.tail, fmt, el)

    def _text(self, p: Paragraph, text: str | None, fmt: dict[str, bool], el: HtmlElement) -> None:
        if not text:
            return
        text = _SPACE.sub(" ", _CONTROL.sub("", text))
        if not p.text:
            text = text.lstrip()
        if not text:
            return
        run = p.add_run(text)
        if fmt.get("cite") and "Citation" in self.ids:
            run._r.get_or_add_rPr().style = self.ids["Citation"]
        run.bold = fmt.get("bold") or None
        run.italic = fmt.get("italic") or None
        if fmt.get("code"):
            run.font.name = "Courier New"

    # -- blocks ------------------------------------------------------------------------
    def blocks(self, el: HtmlElement, box: Any, style: str | None = None, level: int = 0) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                continue
            tag = child.tag
            classes = child.get("class", "").split()
            own = next((CLASS_STYLES[c] for c in classes if c in CLASS_STYLES), None)
            if tag in HEADINGS:
                self.inline(self.para(box, HEADINGS[tag]), child)
            elif tag == "p":
                name = own or style
                if isinstance(box, _Cellish) and name in ("Learner Text", None):
                    name = "Learner Table Text" if name else "Table Text"
                self.inline(self.para(box, name), child)
            elif tag in ("ul", "ol"):
                self.list(child, box, level, style)
            elif tag == "blockquote":
                self.blocks(child, box, "Quote", level)
            elif tag == "table":
                self.table(child, box)
            elif tag in ("div", "section", "article", "main", "body"):
                self.blocks(child, box, own or style, level)
            elif tag == "hr":
                self.para(box, style)
            elif tag == "nav" and "toc" in classes and not isinstance(box, _Cellish):
                self.toc(box)

    def toc(self, box: Any) -> None:
        """A contents field Word fills in (References > Update Table, or F9)."""
        title = self.para(box, "Meta")
        title.add_run("Contents").bold = True
        p = self.para(box, None)
        _field(p, 'TOC \\o "1-3" \\h \\z \\u',
               "Right-click here and choose Update Field to list the contents with page "
               "numbers.")

    def list(self, el: HtmlElement, box: Any, level: int, style: str | None) -> None:
        base = "List Bullet" if el.tag == "ul" else "List Number"
        name = base if level == 0 else f"{base} {min(level + 1, 3)}"
        for li in el.iterchildren("li"):
            p = self.para(box, name)
            if style == "Learner Text":
                p.paragraph_format.left_indent = Cm(0.9 + 0.6 * level)
            self.inline(p, li)
            for sub in li:
                if sub.tag == "p":
                    self.inline(p, sub) if not p.text else self.inline(
                        self.para(box, style), sub)
                elif sub.tag in ("ul", "ol"):
                    self.list(sub, box, level + 1, style)

    def table(self, el: HtmlElement, box: Any) -> None:
        rows = el.xpath("./thead/tr|./tbody/tr|./tr")
        if not rows:
            return
        ncols = max(sum(int(c.get("colspan", 1)) for c in r.xpath("./th|./td")) for r in rows)
        parent = box.cell if isinstance(box, _Cellish) else self.doc
        table = parent.add_table(rows=len(rows), cols=ncols)
        if "Table Grid" in self.ids:
            table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths: dict[int, Cm] = {}
        for r, tr in enumerate(rows):
            header_row = tr.getparent().tag == "thead"
            if "tall" in tr.get("class", "").split():
                table.rows[r].height = Cm(3.0)
            elif "sign" in el.get("class", "").split():
                table.rows[r].height = Cm(0.9)
            if header_row:
                trpr = table.rows[r]._tr.get_or_add_trPr()
                repeat = OxmlElement("w:tblHeader")
                repeat.set(qn("w:val"), "true")
                trpr.append(repeat)
            col = 0
            for cell_el in tr.xpath("./th|./td"):
                span = int(cell_el.get("colspan", 1))
                cell = table.cell(r, col)
                if span > 1:
                    cell = cell.merge(table.cell(r, col + span - 1))
                if (width := _width(cell_el)) is not None and span == 1:
                    widths.setdefault(col, width)
                self.cell(cell_el, cell, header_row, "evidence" in el.get("class", ""))
                col += span
        for col, width in widths.items():
            table.columns[col].width = width
            for row in table.rows:
                row.cells[col].width = width
        self.para(box, "Meta") if not isinstance(box, _Cellish) else None

    def cell(self, el: HtmlElement, cell: _Cell, header_row: bool, small: bool) -> None:
        box = _Cellish(cell)
        tcpr = cell._tc.get_or_add_tcPr()
        style = "Table Text" if small else None
        if el.tag == "th":
            _shade(tcpr, self.colour if header_row else "EEF3F7")
        has_blocks = any(isinstance(c.tag, str) and c.tag in ("p", "ul", "ol", "div", "table")
                         for c in el)
        if has_blocks:
            self.blocks(el, box, style)
        p = self.para(box, style) if not box.used else None
        if p is not None:
            self.inline(p, el)
        if el.tag == "th":
            for para in cell.paragraphs:
                for run in para.runs:
                    run.bold = True
                    if header_row:
                        run.font.color.rgb = _hex("FFFFFF")


def _header_footer(doc: DocxDocument, root: HtmlElement, conv: _Converter,
                   images: tuple[Path, ...] = ()) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    header = root.find(".//header")
    if header is not None:
        p = section.header.paragraphs[0]
        p.style = doc.styles["Header"]
        for img in header.iter("img"):
            path = _image(img.get("src", ""), images)
            if path is not None:  # only a logo from the centre's own folder
                p.add_run().add_picture(str(path), height=Cm(1.0))
                p.add_run("  ")
                shapes = p._p.xpath(".//wp:docPr")
                if shapes:
                    shapes[-1].set("descr", img.get("alt", ""))
        conv.inline(p, header)
        header.getparent().remove(header)
    footer = root.find(".//footer")
    p = section.footer.paragraphs[0]
    p.style = doc.styles["Footer"]
    if footer is not None:
        conv.inline(p, footer)
        footer.getparent().remove(footer)
    p.paragraph_format.tab_stops.add_tab_stop(Cm(17.4), WD_TAB_ALIGNMENT.RIGHT)
    p.add_run("\tPage ")
    _field(p, "PAGE", "1")
    p.add_run(" of ")
    _field(p, "NUMPAGES", "1")


@lru_cache(maxsize=8)
def _styled_blank(colour: str = NAVY, font: str = FONT) -> bytes:
    """A blank document with evidencegen's styles, made once per process and branding."""
    doc = Document()
    _setup_styles(doc, colour, font)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _image(src: str, allowed: tuple[Path, ...]) -> Path | None:
    if not src.startswith("file://"):
        return None
    from urllib.parse import unquote, urlsplit

    path = Path(unquote(urlsplit(src).path)).resolve()
    if path.is_file() and any(path.is_relative_to(a.resolve()) for a in allowed):
        return path
    return None


def _created(root: HtmlElement) -> dt.datetime | None:
    """The template's fixed creation time (the same one the PDF carries)."""
    value = _meta(root, "dcterms.created")
    try:
        return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ") if value else None
    except ValueError:
        return None


def _meta(root: HtmlElement, name: str) -> str:
    found = root.xpath(f"//meta[@name='{name}']/@content")
    return str(found[0]) if found else ""


@lru_cache(maxsize=4)
def _reference_blank(path: Path, mtime_ns: int, size: int) -> bytes:
    """A centre's own Word document, emptied (render/reference.py): its look, and no text."""
    from evidencegen.errors import LearnerError
    from evidencegen.render.reference import open_reference, style_only

    doc = open_reference(path)
    try:
        style_only(doc)
        _add_own_styles_only(doc)
        buf = io.BytesIO()
        doc.save(buf)
    except Exception as exc:  # lxml and python-docx raise many kinds on a strange file
        raise LearnerError(f"the centre's Word reference document cannot be used "
                           f"({type(exc).__name__}); save it again from Word as .docx",
                           path) from None
    return buf.getvalue()


def reference_blank(path: Path) -> bytes:
    """The emptied reference document, made once per process for each version of the file."""
    try:
        info = path.stat()
    except OSError as exc:
        from evidencegen.errors import LearnerError

        raise LearnerError(f"cannot read the centre's Word reference document: "
                           f"{exc.strerror}", path) from None
    return _reference_blank(path, info.st_mtime_ns, info.st_size)


def render_docx(html: str, generated: dt.datetime,
                transform: Callable[[DocxDocument], None] | None = None,
                images: tuple[Path, ...] = (), reference: Path | None = None) -> bytes:
    """Convert a rendered evidence template to a .docx, returned as bytes."""
    root = lxml.html.document_fromstring(html)
    colour = _meta(root, "evidencegen-colour").lstrip("#").upper() or NAVY
    if not re.fullmatch(r"[0-9A-F]{6}", colour):
        colour = NAVY
    font = _meta(root, "evidencegen-font") or FONT
    if reference is not None:
        doc = Document(io.BytesIO(reference_blank(reference)))
        conv = _Converter(doc, colour)
        for element in root.xpath("//header|//footer"):  # the reference's own are kept
            element.getparent().remove(element)
    else:
        doc = Document(io.BytesIO(_styled_blank(colour, font)))
        conv = _Converter(doc, colour)
        _header_footer(doc, root, conv, images or ())
    body = root.find("body")
    # python-docx's blank document starts with no paragraphs; everything goes after.
    conv.blocks(body if body is not None else root, doc)
    props = doc.core_properties
    title = root.findtext(".//title") or ""
    props.title = title
    props.author = _meta(root, "author")
    props.subject = _meta(root, "description")
    props.keywords = _meta(root, "keywords")
    props.comments = _meta(root, "generator")
    props.content_status = OUTPUT_MARK  # never read back as a note (docx_reader)
    props.language = "en-GB"
    props.last_modified_by = "evidencegen"
    props.created = props.modified = _created(root) or generated
    props.revision = 1
    if transform is not None:
        transform(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip(buf.getvalue(), _created(root) or generated)


def _fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same document gives the same bytes: every ZIP entry gets one fixed timestamp."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item))
    return out.getvalue()
