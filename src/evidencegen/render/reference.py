"""A centre's Word reference document, reduced to what it may give: its look.

A reference document lends its styles, numbering, page set-up, header and footer layout
and the logo they show. It is also a Word file someone typed into, so everything else is
dropped before a learner's document is made from it: the body, comments and their authors,
footnote and endnote text, document properties (core, extended and custom), custom XML
parts, the glossary (building blocks), the thumbnail, document variables, mail merge and
attached-template links, editing restrictions, and in the header and footer hidden text,
deleted text, comment marks, bindings to custom XML and fields other than page numbers.
Anything not on these lists is dropped too: parts are kept by an allowlist.

The file gets the same size and zip checks as a learner's Word note (docx_reader); a
damaged or oversized one is refused with one line naming it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from evidencegen.errors import LearnerError, NoteError

# The parts a reference document may keep, by the relationship that reaches them.
PACKAGE_RELS = {RT.OFFICE_DOCUMENT, RT.CORE_PROPERTIES}
DOCUMENT_RELS = {RT.STYLES, RT.NUMBERING, RT.SETTINGS, RT.FONT_TABLE, RT.THEME,
                 RT.WEB_SETTINGS, RT.HEADER, RT.FOOTER, RT.FOOTNOTES, RT.ENDNOTES}
PART_RELS = {RT.IMAGE, RT.HYPERLINK, RT.FONT}  # from headers, footers, numbering, fonts
SETTINGS_DROPPED = ("w:docVars", "w:attachedTemplate", "w:mailMerge", "w:documentProtection",
                    "w:writeProtection")
HIDDEN = ("w:vanish", "w:specVanish", "w:webHidden")
FIELDS_KEPT = {"PAGE", "NUMPAGES", "SECTIONPAGES"}
NOTE_SEPARATORS = {"separator", "continuationSeparator", "continuationNotice"}
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def open_reference(path: Path) -> DocxDocument:
    """The reference document, opened with the checks a learner's Word note gets."""
    from evidencegen.readers.wordxml import open_docx

    try:
        return open_docx(path)
    except NoteError as exc:
        raise LearnerError(f"the centre's Word reference document: {exc.message}",
                           path) from None


def _drop_rels(owner: Any, keep: set[str]) -> None:
    for rId, rel in list(owner.rels.items()):
        if rel.reltype not in keep:
            owner.rels.pop(rId)
            owner.rels._target_parts_by_rId.pop(rId, None)


def _remove(element: Any) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _hides(rpr: Any) -> bool:
    """Run properties that hide text (``<w:vanish/>``, unless switched off with val=0)."""
    for tag in HIDDEN:
        element = rpr.find(qn(tag))
        if element is not None and element.get(qn("w:val"), "1").lower() not in (
                "0", "false", "off"):
            return True
    return False


def _hidden_styles(doc: DocxDocument) -> set[str]:
    """Ids of styles that hide their text, directly or through the style they are based on."""
    styles = {s.get(qn("w:styleId")): s for s in doc.styles.element.findall(qn("w:style"))}

    def hides(style_id: str | None, depth: int = 0) -> bool:
        style = styles.get(style_id)
        if style is None or depth > 20:
            return False
        rpr = style.find(qn("w:rPr"))
        if rpr is not None and _hides(rpr):
            return True
        based = style.find(qn("w:basedOn"))
        return based is not None and hides(based.get(qn("w:val")), depth + 1)

    return {sid for sid in styles if sid and hides(sid)}


def _field_runs(paragraph: Any) -> list[Any]:
    """Runs of complex fields other than page numbers (their code and their shown result)."""
    doomed: list[Any] = []
    stack: list[tuple[list[Any], str]] = []
    for run in paragraph.iter(qn("w:r")):
        char = run.find(qn("w:fldChar"))
        kind = char.get(qn("w:fldCharType")) if char is not None else None
        if kind == "begin":
            stack.append(([], ""))
        if stack:
            runs, code = stack[-1]
            runs.append(run)
            instr = run.find(qn("w:instrText"))
            if instr is not None and instr.text:
                stack[-1] = (runs, code + instr.text)
        if kind == "end" and stack:
            runs, code = stack.pop()
            words = code.split()
            if not words or words[0].upper() not in FIELDS_KEPT:
                doomed.extend(runs)
    for runs, _ in stack:  # a field never closed: drop what it holds
        doomed.extend(runs)
    return doomed


def _clean_story(root: Any, hidden_styles: set[str], rel_ids: set[str]) -> None:
    """A header, footer, or footnote: no hidden, deleted or bound text, no comments, fields
    only for page numbers, and nothing pointing at a part that was dropped."""
    for tag in ("w:del", "w:moveFrom", "w:commentRangeStart", "w:commentRangeEnd",
                "w:commentReference", "w:dataBinding", "w:permStart", "w:permEnd"):
        for element in list(root.iter(qn(tag))):
            _remove(element) if tag != "w:commentReference" else _remove(element.getparent())
    for run in list(root.iter(qn("w:r"))):
        rpr = run.find(qn("w:rPr"))
        style = rpr.find(qn("w:rStyle")) if rpr is not None else None
        if rpr is not None and (_hides(rpr) or (style is not None
                                                and style.get(qn("w:val")) in hidden_styles)):
            _remove(run)
    for p in list(root.iter(qn("w:p"))):
        ppr = p.find(qn("w:pPr"))
        style = ppr.find(qn("w:pStyle")) if ppr is not None else None
        if style is not None and style.get(qn("w:val")) in hidden_styles:
            for child in [c for c in p if c.tag != qn("w:pPr")]:
                p.remove(child)
        for run in _field_runs(p):
            _remove(run)
    for simple in list(root.iter(qn("w:fldSimple"))):
        words = (simple.get(qn("w:instr")) or "").split()
        if not words or words[0].upper() not in FIELDS_KEPT:
            _remove(simple)
    for element in list(root.iter()):
        if any(k.startswith(f"{{{_R_NS}}}") and v not in rel_ids
               for k, v in element.attrib.items()):
            run = next((a for a in element.iterancestors(qn("w:r"))), None)
            _remove(run if run is not None else element)


def _clean_notes(root: Any) -> None:
    """Footnotes and endnotes: only Word's separator notes stay."""
    for note in list(root):
        if note.get(qn("w:type")) not in NOTE_SEPARATORS:
            root.remove(note)


def _xml_of(part: Any) -> Any:
    element = getattr(part, "_element", None)
    if element is not None:
        return element
    return etree.fromstring(part.blob)


def _store(part: Any, root: Any) -> None:
    if getattr(part, "_element", None) is None:
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    standalone=True)


def style_only(doc: DocxDocument) -> None:
    """Reduce an opened reference document, in place, to what the module docstring lists."""
    package = doc.part.package
    _drop_rels(package, PACKAGE_RELS)
    _drop_rels(doc.part, DOCUMENT_RELS)
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    core = doc.core_properties._element  # evidencegen sets the properties it wants
    for child in list(core):
        core.remove(child)
    hidden_styles = _hidden_styles(doc)
    for rel in list(doc.part.rels.values()):
        part = rel.target_part
        if rel.reltype == RT.SETTINGS:
            for tag in SETTINGS_DROPPED:
                for element in part.element.findall(qn(tag)):
                    part.element.remove(element)
            _drop_rels(part, set())
        elif rel.reltype in (RT.HEADER, RT.FOOTER, RT.FOOTNOTES, RT.ENDNOTES):
            _drop_rels(part, PART_RELS)
            root = _xml_of(part)
            if rel.reltype in (RT.FOOTNOTES, RT.ENDNOTES):
                _clean_notes(root)
            _clean_story(root, hidden_styles, set(part.rels))
            _store(part, root)
        else:
            _drop_rels(part, PART_RELS)
    for tag in HIDDEN:  # styles that hide text would hide the learner's words
        for element in list(doc.styles.element.iter(qn(tag))):
            _remove(element)
