"""What python-docx adds to pandoc's Word document: styles, page, running text, keep
options, writing lines, table widths, the contents with PAGEREF fields, and the manifest.

Everything here finds its place by ids (bookmarks pandoc made from the HTML's ids), never
by the wording of a heading.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Emu, Length, Pt, RGBColor
from lxml.html import HtmlElement

from evidencegen.render.states import STATE_ORDER, STATES

NAVY, TEAL, GREY, BROWN = "123B5C", "2F8F83", "5B6670", "8A6D3B"
FONT = "Arial"
MANIFEST_NS = "urn:evidencegen:manifest:1"
MANIFEST_PART = "/customXml/item1.xml"
OWN_STYLES = {"Guidance", "Learner Text", "Witness Text", "Meta", "Placeholder", "Fill In",
              "Write Line", "Citation", "Table", "Table Grid", "First Paragraph",
              "Body Text", "Compact", "Block Text", "Definition Term", "Definition",
              "Source Code", "Verbatim Char", "Hyperlink", "Title", "Heading 1", "Heading 2",
              "Heading 3", "Heading 4", "Header", "Footer", "TOC Heading"}
# A criterion's state in Word: a character style each, in the design tokens' ink and fill,
# beside the symbol and words the templates give it (never colour alone).
STATE_STYLES = {s: "State " + s.replace("_", " ").title() for s in STATE_ORDER}
OWN_STYLES |= set(STATE_STYLES.values())
_SPACE = re.compile(r"\s+")
_WIDTH = re.compile(r"width:\s*([\d.]+)\s*(cm|mm)")


@dataclass
class Plan:
    """What prepare() learnt from the HTML for the finishing pass."""

    keep: list[str] = field(default_factory=list)  # bookmarks of keep-together blocks
    lines: dict[str, int] = field(default_factory=dict)  # writing-lines bookmarks
    contents: bool = False
    headings: list[tuple[str, str]] = field(default_factory=list)  # (id, text) of h2
    tables: list[HtmlElement] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)


@dataclass
class Running:
    header: list[str]
    footer: list[str]
    logo: tuple[Path, str] | None = None


# -- styles --------------------------------------------------------------------------------

def _hex(color: str) -> RGBColor:
    return RGBColor.from_string(color)


def _border(parent: Any, tag: str, sides: dict[str, tuple[str, int]]) -> None:
    old = parent.find(qn(tag))
    if old is not None:
        parent.remove(old)
    borders = OxmlElement(tag)
    for side, (color, size) in sides.items():
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(size))
        el.set(qn("w:space"), "4")
        el.set(qn("w:color"), color)
        borders.append(el)
    parent.append(borders)


def _shade(parent: Any, fill: str) -> None:
    old = parent.find(qn("w:shd"))
    if old is not None:
        parent.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    parent.append(shd)


def _style(doc: DocxDocument, name: str, size: float | None = None, color: str | None = None,
           italic: bool = False, base: str = "Normal",
           kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH) -> Any:
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, kind)
    if kind == WD_STYLE_TYPE.PARAGRAPH:
        style.base_style = styles[base]
    if size:
        style.font.size = Pt(size)
    style.font.italic = italic or None
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


def trim_styles(doc: DocxDocument) -> None:
    """python-docx's blank holds ~150 table styles nobody uses; pandoc reads every one."""
    root = doc.styles.element
    for style in list(root.findall(qn("w:style"))):
        sid = style.get(qn("w:styleId")) or ""
        if re.match(r"(Light|Medium|Dark|Colorful)", sid):
            root.remove(style)


def setup_styles(doc: DocxDocument, colour: str = NAVY, font: str = FONT) -> None:
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
        style.paragraph_format.keep_with_next = True
    for name in ("Body Text", "First Paragraph", "Compact"):
        _style(doc, name, base="Normal")
    doc.styles["Compact"].paragraph_format.space_after = Pt(2)
    _style(doc, "Block Text", italic=True).paragraph_format.left_indent = Cm(0.6)
    _style(doc, "Definition Term").font.bold = True
    _style(doc, "Definition").paragraph_format.left_indent = Cm(0.6)
    code = _style(doc, "Source Code", 9)
    _set_font(code, "Courier New")
    _set_font(_style(doc, "Verbatim Char", kind=WD_STYLE_TYPE.CHARACTER), "Courier New")
    link = _style(doc, "Hyperlink", color="1F5C99", kind=WD_STYLE_TYPE.CHARACTER)
    link.font.underline = True
    guidance = _style(doc, "Guidance", 9, "3C4A57", italic=True)
    _shade(guidance.element.get_or_add_pPr(), "EEF2F6")
    _border(guidance.element.get_or_add_pPr(), "w:pBdr",
            {s: ("C9D3DC", 4) for s in ("top", "left", "bottom", "right")})
    for name, bar in (("Learner Text", TEAL), ("Witness Text", BROWN)):
        style = _style(doc, name, 10)
        style.paragraph_format.left_indent = Cm(0.3)
        _border(style.element.get_or_add_pPr(), "w:pBdr", {"left": (bar, 18)})
    _style(doc, "Meta", 8.5, GREY)
    _style(doc, "Placeholder", 10, GREY, italic=True)
    fill = _style(doc, "Fill In", 10)
    fill.paragraph_format.space_before = Pt(14)
    _border(fill.element.get_or_add_pPr(), "w:pBdr", {"bottom": ("8795A1", 4)})
    lines = _style(doc, "Write Line", 10)
    lines.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    lines.paragraph_format.line_spacing = Cm(0.9)
    lines.paragraph_format.space_after = Pt(0)
    _border(lines.element.get_or_add_pPr(), "w:pBdr",
            {"bottom": ("8795A1", 4), "between": ("8795A1", 4)})
    for name in ("Header", "Footer"):
        doc.styles[name].font.size = Pt(8)
        doc.styles[name].font.color.rgb = _hex(GREY)
    cite = _style(doc, "Citation", 7.5, GREY, kind=WD_STYLE_TYPE.CHARACTER)
    cite.font.italic = None
    for state, name in STATE_STYLES.items():
        badge = _style(doc, name, color=STATES[state]["ink"].lstrip("#"),
                       kind=WD_STYLE_TYPE.CHARACTER)
        badge.font.bold = True
        _shade(badge.element.get_or_add_rPr(), STATES[state]["bg"].lstrip("#").upper())
    table = _style(doc, "Table", kind=WD_STYLE_TYPE.TABLE)
    table.base_style = doc.styles["Table Grid"]


def add_own_styles_only(doc: DocxDocument) -> None:
    """For a centre's reference document: keep its styles, add only evidencegen's own."""
    have = {s.name for s in doc.styles}
    scratch = Document()
    trim_styles(scratch)
    setup_styles(scratch)
    for style in scratch.styles:
        if style.name not in have and style.name in OWN_STYLES:
            doc.styles.element.append(style.element)


# -- the HTML side -------------------------------------------------------------------------

def inline_runs(el: HtmlElement) -> list[str]:
    """The running header's or footer's text, one string (the logo is placed apart)."""
    text = _SPACE.sub(" ", el.text_content()).strip()
    return [text] if text else []


def logo_of(header: HtmlElement, allowed: tuple[Path, ...]) -> tuple[Path, str] | None:
    """The centre's logo, only from the centre's own folder."""
    from urllib.parse import unquote, urlsplit

    for img in header.iter("img"):
        src = img.get("src", "")
        if not src.startswith("file://"):
            continue
        path = Path(unquote(urlsplit(src).path)).resolve()
        if path.is_file() and any(path.is_relative_to(a.resolve()) for a in allowed):
            return path, img.get("alt", "")
    return None


def manifest_of(root: HtmlElement) -> dict[str, Any]:
    """The document's structure by id: what read-back and the location sheet use."""
    body = root.find("body")
    assert body is not None
    files = {li.get("data-source"): li.get("data-file", "")
             for li in body.xpath("//*[@data-source][@data-file][not(@data-evidence)]")}
    evidence = []
    for el in body.xpath("//*[@data-evidence]"):
        holder = next(iter(el.xpath("ancestor::*[@data-element][1]")), None)
        section = next(iter(el.xpath("ancestor::*[@data-section][1]/@data-section")), "")
        evidence.append({
            "id": el.get("id", ""), "source": el.get("data-source", ""),
            "file": el.get("data-file") or files.get(el.get("data-source"), ""),
            "line": int(el.get("data-line", "0") or 0) if (el.get("data-line") or "").isdigit()
            else 0,
            "element": holder.get("data-element", "") if holder is not None else "",
            "element_name": holder.get("data-element-name", "") if holder is not None else "",
            "section": section})
    texts = [{"id": el.get("id", ""), "type": el.get("data-note-type", ""),
              "title": el.get("data-title", ""), "date": el.get("data-date", ""),
              "mentee": el.get("data-mentee", ""), "file": el.get("data-file", "")}
             for el in body.xpath("//*[@data-learner-text]")]
    title = root.findtext(".//title") or ""
    crit = re.search(r" AC (\d+(?:\.\d+)+)", title)
    fields = {el.get("data-field"): el.get("id") for el in body.xpath("//tr[@data-field][@id]")}
    return {"version": 1, "document": body.get("data-document", ""),
            "form": body.get("data-form", ""), "fields": fields,
            "criterion": body.get("data-criterion") or (crit.group(1) if crit else ""),
            "learner_id": body.get("data-learner-id", ""),
            "learner_name": body.get("data-learner-name", ""),
            "declared": body.get("data-declared") == "yes",
            "template": body.get("data-template", ""),
            "references": [el.get("id", "") for el in body.xpath("//*[@data-references]")],
            "sections": [s.get("data-section") for s in body.xpath("//*[@data-section]")],
            "learner_text": texts, "evidence": evidence}


# -- the Word side -------------------------------------------------------------------------

def _fld(paragraph: Any, instr: str, shown: str) -> None:
    """A complex field (begin, code, separate, result, end): Word and LibreOffice update it."""
    def run(*children: Any) -> Any:
        r = OxmlElement("w:r")
        for child in children:
            r.append(child)
        paragraph._p.append(r)
        return r

    def char(kind: str) -> Any:
        c = OxmlElement("w:fldChar")
        c.set(qn("w:fldCharType"), kind)
        return c

    run(char("begin"))
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instr} "
    run(code)
    run(char("separate"))
    text = OxmlElement("w:t")
    text.text = shown
    run(text)
    run(char("end"))


def _clear_story(story: Any) -> Any:
    """A reference's header or footer, its text and fields gone (pictures stay)."""
    paragraphs = story.paragraphs
    for p in paragraphs:
        for child in list(p._p):
            if child.tag == qn("w:pPr"):
                continue
            if child.tag == qn("w:r") and child.find(".//" + qn("w:drawing")) is not None:
                continue
            p._p.remove(child)
    for table in list(story._element.findall(qn("w:tbl"))):
        story._element.remove(table)
    for p in paragraphs[1:]:
        if p._p.find(".//" + qn("w:drawing")) is None:
            p._p.getparent().remove(p._p)
    return story.paragraphs[0]


def text_width(section: Section) -> Length:
    """The width between a section's margins (a page size or margin left unset counts 0)."""
    return Emu((section.page_width or 0) - (section.left_margin or 0)
               - (section.right_margin or 0))


def _running(doc: DocxDocument, running: Running, own: bool, page: tuple[Any, Any]) -> None:
    for name in ("Header", "Footer"):  # one line each, the page fields included
        doc.styles[name].font.size = RUNNING_SIZE
    for section in doc.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = page
        if own:
            section.left_margin = section.right_margin = Cm(1.8)
            section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
        stories = [(section.header, section.footer)]
        if section.different_first_page_header_footer:
            stories.append((section.first_page_header, section.first_page_footer))
        if doc.settings.odd_and_even_pages_header_footer:
            stories.append((section.even_page_header, section.even_page_footer))
        width = text_width(section)
        for header, footer in stories:
            header.is_linked_to_previous = False
            footer.is_linked_to_previous = False
            p = _clear_story(header)
            p.style = doc.styles["Header"]
            if running.logo and own:
                run = p.add_run()
                run.add_picture(str(running.logo[0]), height=Cm(1.0))
                shapes = p._p.xpath(".//wp:docPr")
                if shapes:
                    shapes[-1].set("descr", running.logo[1])
                p.add_run("  ")
            p.add_run(_one_line(" ".join(running.header), width)).font.size = RUNNING_SIZE
            p = _clear_story(footer)
            p.style = doc.styles["Footer"]
            p.add_run(_one_line(" ".join(running.footer), width, room=14)).font.size = \
                RUNNING_SIZE
            for stop in (4680, 9360):  # Word's Footer style's own stops would come first
                p.paragraph_format.tab_stops.add_tab_stop(stop * 635, WD_TAB_ALIGNMENT.CLEAR)
            p.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
            p.add_run("\tPage ").font.size = RUNNING_SIZE
            _fld(p, "PAGE", "1")
            p.add_run(" of ").font.size = RUNNING_SIZE
            _fld(p, "NUMPAGES", "1")


RUNNING_SIZE = Pt(8)


def _one_line(text: str, width: Any, room: int = 0) -> str:
    """The running text cut with an ellipsis to what one line of 8 pt holds (as the PDF's
    header is), whatever the size a centre's reference document gives its Header style.
    An average character of 8 pt text is taken as 4.4 pt wide; ``room`` keeps characters
    free for what follows on the line ("Page 1 of 3")."""
    fits = int(width.pt / 4.4) - room
    return text if len(text) <= fits else text[: max(fits - 1, 1)].rstrip() + "\u2026"


def _ppr(p: Any) -> Any:
    return p.get_or_add_pPr()


def _flag(parent: Any, tag: str) -> None:
    if parent.find(qn(tag)) is None:
        parent.append(OxmlElement(tag))
    _order(parent)


_PPR_ORDER = ["w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
              "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd",
              "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
              "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
              "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
              "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
              "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
              "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
              "w:pPrChange"]
_TRPR_ORDER = ["w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore",
               "w:wAfter", "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing",
               "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange"]


def _order(parent: Any) -> None:
    """Children in the order the schema wants (Word refuses a file otherwise)."""
    order = _PPR_ORDER if parent.tag == qn("w:pPr") else _TRPR_ORDER
    rank = {qn(t): i for i, t in enumerate(order)}
    children = sorted(parent, key=lambda c: rank.get(c.tag, len(rank)))
    for child in children:
        parent.append(child)


def _keep_headings(body: Any, heading_ids: set[str]) -> None:
    for p in body.iter(qn("w:p")):
        ppr = p.pPr
        if ppr is not None and ppr.pStyle is not None and ppr.pStyle.val in heading_ids:
            _flag(ppr, "w:keepNext")


ROW_MAX_CM = 6.0  # a taller row may split: LibreOffice loses a tall unsplittable row


def row_height_cm(tr: Any) -> float:
    """A rough height for a row (10 pt text, about 4.5 characters a centimetre)."""
    tallest = 0.0
    for tc in tr.findall(qn("w:tc")):
        tcw = tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
        width = int(tcw.get(qn("w:w"), "0")) / 567 if tcw is not None and tcw.get(
            qn("w:type")) == "dxa" else 4.0
        per_line = max(width * 4.5, 8.0)
        lines = sum(math.ceil(max(len("".join(t.text or "" for t in p.iter(qn("w:t")))), 1)
                              / per_line) for p in tc.iter(qn("w:p")))
        tallest = max(tallest, lines * 0.5 + 0.2)
    return tallest


def _rows(body: Any) -> None:
    """Rows never split across pages, unless too tall for a page (they would be cut off)."""
    for tr in body.iter(qn("w:tr")):
        if row_height_cm(tr) < ROW_MAX_CM:
            _flag(tr.get_or_add_trPr(), "w:cantSplit")


def _between(body: Any, name: str) -> list[Any]:
    """The body-level elements inside bookmark ``name`` (pandoc brackets divs this way)."""
    start = next((b for b in body.iter(qn("w:bookmarkStart")) if b.get(qn("w:name")) == name),
                 None)
    if start is None:
        return []
    ident = start.get(qn("w:id"))
    top = start
    while top.getparent() is not body:
        top = top.getparent()
    out: list[Any] = []
    node = top
    while node is not None:
        out.append(node)
        ends = [e for e in node.iter(qn("w:bookmarkEnd")) if e.get(qn("w:id")) == ident]
        if ends or (node.tag == qn("w:bookmarkEnd") and node.get(qn("w:id")) == ident):
            break
        node = node.getnext()
    return [n for n in out if n.tag in (qn("w:p"), qn("w:tbl"))]


def _keep_together(body: Any, names: list[str]) -> None:
    for name in names:
        blocks = _between(body, name)
        paragraphs: list[Any] = []
        for block in blocks:
            if block.tag == qn("w:p"):
                paragraphs.append(block)
            else:
                rows = block.findall(qn("w:tr"))
                for tr in rows:
                    paragraphs.extend(tr.iter(qn("w:p")))
        for p in paragraphs[:-1]:
            _flag(_ppr(p), "w:keepNext")
        for p in paragraphs:
            _flag(_ppr(p), "w:keepLines")


def _tables(doc: DocxDocument, tables: list[HtmlElement], colour: str) -> None:
    """Widths, header shading and row heights from the HTML table each Word table came from."""
    words = list(doc.element.body.iter(qn("w:tbl")))
    for html, tbl in zip(tables, words, strict=False):
        classes = html.get("class", "").split()
        html_rows = html.xpath("./thead/tr|./tbody/tr|./tr|./tfoot/tr")
        widths: dict[int, int] = {}
        for tr_html, tr in zip(html_rows, tbl.findall(qn("w:tr")), strict=False):
            trpr = tr.get_or_add_trPr()
            in_head = tr_html.getparent().tag == "thead"
            if in_head:
                _flag(trpr, "w:tblHeader")
            height = 3.0 if "tall" in tr_html.get("class", "").split() else (
                0.9 if "sign" in classes else 0)
            if height:
                h = OxmlElement("w:trHeight")
                h.set(qn("w:val"), str(int(Cm(height).twips)))
                h.set(qn("w:hRule"), "atLeast")
                trpr.append(h)
                _order(trpr)
            col = 0
            for cell_html, tc in zip(tr_html.xpath("./th|./td"), tr.findall(qn("w:tc")),
                                     strict=False):
                span = int(cell_html.get("colspan", "1") or 1)
                m = _WIDTH.search(cell_html.get("style", ""))
                if m and span == 1:
                    value = float(m.group(1)) / (1 if m.group(2) == "cm" else 10)
                    widths.setdefault(col, int(Cm(value).twips))
                if cell_html.tag == "th":
                    tcpr = tc.get_or_add_tcPr()
                    _shade(tcpr, colour if in_head else "EEF3F7")
                    for r in tc.iter(qn("w:r")):
                        rpr = r.get_or_add_rPr()
                        rpr.insert(0, OxmlElement("w:b"))
                        if in_head:
                            c = OxmlElement("w:color")
                            c.set(qn("w:val"), "FFFFFF")
                            rpr.append(c)
                col += span
        grid = tbl.find(qn("w:tblGrid"))
        if widths and grid is not None:
            cols = grid.findall(qn("w:gridCol"))
            for i, gc in enumerate(cols):
                if i in widths:
                    gc.set(qn("w:w"), str(widths[i]))
            tblpr = tbl.find(qn("w:tblPr"))
            tblw = tblpr.find(qn("w:tblW")) if tblpr is not None else None
            if tblw is not None and len(widths) == len(cols):
                tblw.set(qn("w:type"), "dxa")
                tblw.set(qn("w:w"), str(sum(widths.values())))
            for tr in tbl.findall(qn("w:tr")):
                col = 0
                for tc in tr.findall(qn("w:tc")):
                    tcpr = tc.get_or_add_tcPr()
                    span = tc.grid_span
                    if span == 1 and col in widths:
                        tcpr.width = widths[col] * 635  # twips to EMU
                    col += span


def _contents(doc: DocxDocument, headings: list[tuple[str, str]], marks: dict[str, str],
              pages: dict[str, int]) -> None:
    """The contents: each section with a PAGEREF field to its heading's bookmark.

    A field shows the value saved with it until it is updated. That value is the section's
    page in the PDF laid out from the same HTML when one was (else "\u2013"), so the
    contents reads sensibly at once; Word's own pagination may differ (other fonts and
    line breaking), and ``updateFields`` makes Word recount every field when the file
    opens (LibreOffice recounts them itself).
    """
    body = doc.element.body
    blocks = _between(body, "contents")
    if not blocks:
        return
    title = blocks[0]
    for r in title.iter(qn("w:r")):
        r.get_or_add_rPr().insert(0, OxmlElement("w:b"))
    from docx.text.paragraph import Paragraph

    anchor = title
    section = doc.sections[0]
    width = text_width(section)
    for ident, text in headings:
        if ident not in marks:
            continue
        new = OxmlElement("w:p")
        anchor.addnext(new)
        anchor = new
        p = Paragraph(new, doc._body)
        if "Meta" in [s.name for s in doc.styles]:
            p.style = doc.styles["Meta"]
        p.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT,
                                                  WD_TAB_LEADER.DOTS)
        p.add_run(f"{text}\t")
        shown = pages.get(ident)
        _fld(p, f"PAGEREF {marks[ident]} \\h", str(shown) if shown else "\u2013")
    update_fields_on_open(doc)


def heading_mark(ident: str) -> str:
    """The bookmark a heading with id ``ident`` has in the Word document: what the contents'
    PAGEREF fields and the location sheet's links point at."""
    return ident if ident.startswith("sec-") else f"sec-{ident}"


def _heading_marks(body: Any, idents: list[str]) -> dict[str, str]:
    """A bookmark ``sec-ID`` around each heading's own text, for PAGEREF to point at (or
    the section's own ``sec-ID`` bookmark when the heading's id is its section's name)."""
    starts = {b.get(qn("w:name")): b for b in body.iter(qn("w:bookmarkStart"))}
    next_id = max((int(b.get(qn("w:id"), "0")) for b in starts.values()), default=0) + 1
    marks: dict[str, str] = {}
    for ident in idents:
        start = starts.get(ident)
        if start is None:
            continue
        name = heading_mark(ident)
        heading = start.getnext()
        while heading is not None and heading.tag != qn("w:p"):
            heading = heading.getnext()
        if heading is None:
            continue
        ppr = heading.find(qn("w:pPr"))
        if name in starts and name != ident:
            # the section's own bookmark, which begins at this heading: it now spans the
            # heading alone, as the others do (LibreOffice loses some that span a section)
            begin = starts[name]
            after = begin.getnext()
            while after is not None and after.tag == qn("w:bookmarkStart"):
                after = after.getnext()
            ident_of = begin.get(qn("w:id"))
            end = next((e for e in body.iter(qn("w:bookmarkEnd"))
                        if e.get(qn("w:id")) == ident_of), None)
            if begin.getparent() is body and after is heading and end is not None:
                (ppr.addnext(begin) if ppr is not None else heading.insert(0, begin))
                heading.append(end)
            marks[ident] = name
            continue
        if name != ident:
            begin, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
            begin.set(qn("w:id"), str(next_id))
            begin.set(qn("w:name"), name)
            end.set(qn("w:id"), str(next_id))
            (ppr.addnext(begin) if ppr is not None else heading.insert(0, begin))
            heading.append(end)
            next_id += 1
        marks[ident] = name
    return marks


def update_fields_on_open(doc: DocxDocument) -> None:
    """Word updates PAGEREF and page-count fields when the document opens."""
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is None:
        flag = OxmlElement("w:updateFields")
        flag.set(qn("w:val"), "true")
        settings.append(flag)


def finish(doc: DocxDocument, plan: Plan, running: Running, colour: str,
           page: tuple[Any, Any], own: bool = True, pages: dict[str, int] | None = None) -> None:
    """Everything pandoc cannot do; every h2 gets its ``sec-ID`` bookmark (heading_mark).

    ``pages`` (h2 id -> page in the PDF of the same HTML) fills the contents' page fields.
    """
    body = doc.element.body
    headings = {s.style_id for s in doc.styles
                if s.type == WD_STYLE_TYPE.PARAGRAPH and s.name
                and (s.name.startswith("Heading") or s.name == "Title")}
    _running(doc, running, own, page)
    _keep_headings(body, headings)
    _tables(doc, plan.tables, colour)
    _rows(body)
    _keep_together(body, plan.keep)
    marks = _heading_marks(body, [ident for ident, _ in plan.headings])
    if plan.contents:
        _contents(doc, plan.headings, marks, pages or {})


def write_manifest(doc: DocxDocument, manifest: dict[str, Any]) -> None:
    """The manifest as a custom XML part, which Word and LibreOffice keep when they save."""
    from xml.sax.saxutils import escape

    text = json.dumps(manifest, ensure_ascii=False, sort_keys=True)
    blob = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<manifest xmlns="'
            f'{MANIFEST_NS}">{escape(text)}</manifest>').encode()
    guid = hashlib.sha256(blob).hexdigest().upper()
    item_id = f"{{{guid[:8]}-{guid[8:12]}-{guid[12:16]}-{guid[16:20]}-{guid[20:32]}}}"
    props = (f'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<ds:datastoreItem '
             f'ds:itemID="{item_id}" xmlns:ds="http://schemas.openxmlformats.org/officeDocument/'
             f'2006/customXml"><ds:schemaRefs/></ds:datastoreItem>').encode()
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):  # pandoc's own (empty) custom properties
        if rel.reltype == RT.CUSTOM_PROPERTIES:
            package.rels.pop(rel_id)
            package.rels._target_parts_by_rId.pop(rel_id, None)
    for rel_id, rel in list(doc.part.rels.items()):  # pandoc's empty comments part
        if rel.reltype == RT.COMMENTS and b"<w:comment " not in rel.target_part.blob:
            doc.part.drop_rel(rel_id)
    item = Part(PackURI(MANIFEST_PART), "application/xml", blob, package)
    prop_part = Part(PackURI("/customXml/itemProps1.xml"),
                     "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
                     props, package)
    item.relate_to(prop_part, RT.CUSTOM_XML_PROPS)
    doc.part.relate_to(item, RT.CUSTOM_XML)


def read_manifest(doc: DocxDocument) -> dict[str, Any] | None:
    """The manifest of an evidencegen document, or None (a learner's own Word file)."""
    from lxml import etree

    for rel in doc.part.rels.values():
        if rel.reltype != RT.CUSTOM_XML or rel.is_external:
            continue
        try:
            root = etree.fromstring(rel.target_part.blob)
        except etree.XMLSyntaxError:
            continue
        if root.tag == f"{{{MANIFEST_NS}}}manifest":
            try:
                found = json.loads(root.text or "")
            except ValueError:
                return None
            return found if isinstance(found, dict) else None
    return None
