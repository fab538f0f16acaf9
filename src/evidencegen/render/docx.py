"""Word documents from the same HTML the PDF is laid out from, converted by pandoc.

A centre edits one template and both formats change. pandoc (shipped by pypandoc-binary)
converts every element a template or a learner's Markdown can produce, with a reference
document for the styles: evidencegen's own, or the centre's emptied by render/reference.py.
python-docx then finishes what pandoc cannot: the running header and footer, page set-up,
keep options, writing lines, table widths and shading, the contents with PAGEREF fields,
properties and the manifest that lets a draft edited in Word be read back by its ids
(render/layout.py holds the Word XML helpers).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import lxml.html
from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Cm, Inches
from lxml.html import HtmlElement

from evidencegen.errors import RenderError
from evidencegen.readers.wordxml import OUTPUT_MARK
from evidencegen.render import layout
from evidencegen.render.layout import FONT, NAVY, STATE_STYLES

# Classes of the templates' HTML and the Word style each becomes (README, "Customising
# templates"): a paragraph style on a block, a character style on an inline element.
CLASS_STYLES = {"guidance": "Guidance", "learner": "Learner Text", "witness": "Witness Text",
                "session-facts": "Meta", "empty": "Placeholder", "fill-in": "Fill In"}
CHAR_STYLES = {"cite": "Citation"}
# pandoc keeps ids on headings, divs and spans only; these get a div around them instead.
WRAP_OUTSIDE = {"p", "blockquote", "pre", "table", "ul", "ol", "dl", "hr"}
WRAP_INSIDE = {"li", "td", "th", "dt", "dd"}
BLOCK = {"div", "section", "article", "main", "nav", "aside", "header", "footer", "figure",
         "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "dl", "dt",
         "dd", "blockquote", "pre", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
         "caption", "colgroup", "col", "hr", "address", "details", "summary"}
INLINE = {"span", "strong", "b", "em", "i", "u", "s", "del", "ins", "sub", "sup", "a", "br",
          "code", "abbr", "cite", "q", "small", "mark", "kbd", "samp", "var", "time", "dfn",
          "bdi", "bdo", "wbr", "data"}
KNOWN = BLOCK | INLINE | {"html", "head", "body", "title", "meta", "link", "style", "img"}
PAGE_A4 = (Cm(21.0), Cm(29.7))
PAGES = {"A4": PAGE_A4, "Letter": (Inches(8.5), Inches(11))}  # centre.yaml's paper
TIMEOUT_SECONDS = 60


def _pandoc() -> str:
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError) as exc:
        raise RenderError(f"Word documents need pandoc, which is missing ({exc}); reinstall "
                          "evidencegen, or build with -f pdf") from None


@lru_cache(maxsize=8)
def _styled_blank(colour: str = NAVY, font: str = FONT) -> bytes:
    """A blank document with evidencegen's styles, made once per process and branding."""
    doc = Document()
    layout.trim_styles(doc)
    layout.setup_styles(doc, colour, font)
    for rel_id, rel in list(doc.part.rels.items()):  # 440 KB pandoc would read for nothing
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rel_id)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@lru_cache(maxsize=4)
def _reference_blank(path: Path, mtime_ns: int, size: int) -> bytes:
    """A centre's own Word document, emptied (render/reference.py): its look, and no text."""
    from evidencegen.errors import LearnerError
    from evidencegen.render.reference import open_reference, style_only

    doc = open_reference(path)
    try:
        style_only(doc)
        layout.add_own_styles_only(doc)
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


_REFERENCE_FILES: dict[bytes, str] = {}


def _reference_file(data: bytes) -> str:
    """The reference document as a file pandoc can read, written once per process."""
    key = data
    if key not in _REFERENCE_FILES:
        folder = tempfile.mkdtemp(prefix="evidencegen-ref-")
        path = os.path.join(folder, "reference.docx")
        with open(path, "wb") as fh:
            fh.write(data)
        _REFERENCE_FILES[key] = path
    return _REFERENCE_FILES[key]


def _meta(root: HtmlElement, name: str) -> str:
    found = root.xpath(f"//meta[@name='{name}']/@content")
    return str(found[0]) if found else ""


def _created(root: HtmlElement) -> dt.datetime | None:
    """The template's fixed creation time (the same one the PDF carries)."""
    value = _meta(root, "dcterms.created")
    try:
        return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ") if value else None
    except ValueError:
        return None


def _wrap(el: HtmlElement, attrs: dict[str, str], outside: bool) -> HtmlElement:
    """A div carrying ``attrs`` around ``el`` (outside) or around its content (inside)."""
    div = lxml.html.Element("div", attrs)
    if outside:
        el.addprevious(div)
        div.tail, el.tail = el.tail, None
        div.append(el)
    else:
        div.text, el.text = el.text, None
        for child in list(el):
            div.append(child)
        el.append(div)
    return div


def prepare(root: HtmlElement) -> layout.Plan:
    """Make the HTML say, in terms pandoc keeps, what python-docx must finish afterwards.

    Ids move to where pandoc writes them as bookmarks; classes become Word styles; each
    keep-together block and writing-lines box gets a bookmark; the contents box is
    marked. An element neither converter knows stops the document (RenderError) rather
    than being dropped.
    """
    plan = layout.Plan()
    body = root.find("body")
    if body is None:
        raise RenderError("the template gave no <body>")
    for el in list(body.iter()):
        if not isinstance(el.tag, str):
            continue
        if el.tag not in KNOWN:
            raise RenderError(f"the Word converter does not know the <{el.tag}> element "
                              "(README, 'Customising templates')")
    quotes = body.xpath("//*[@data-evidence or contains(concat(' ', @class, ' '), ' quote ')]")
    for n, el in enumerate(quotes):
        if not el.get("id"):
            el.set("id", el.get("data-evidence") or f"ev-{n + 1}")
        el.set("data-evidence", el.get("id", ""))
    for n, el in enumerate(body.xpath("//*[@data-learner-text]")):
        if not el.get("id"):
            el.set("id", f"text-{n + 1}")
    plan.manifest = layout.manifest_of(root)
    for el in list(body.iter("img")):  # a picture in a note: its description, never dropped
        alt = el.get("alt") or "picture"
        span = lxml.html.Element("span")
        span.text = f"[{alt}]"
        span.tail = el.tail
        el.getparent().replace(el, span)
    for el in list(body.iter()):
        if not isinstance(el.tag, str):
            continue
        classes = el.get("class", "").split()
        style = next((CLASS_STYLES[c] for c in classes if c in CLASS_STYLES), None)
        char = next((CHAR_STYLES[c] for c in classes if c in CHAR_STYLES), None)
        if style and el.tag == "p":
            _wrap(el, {"data-custom-style": style}, outside=True)
        elif style and el.tag in ("div", "section"):
            el.set("data-custom-style", style)
        elif char and el.tag == "span":
            el.set("data-custom-style", char)
        elif el.tag == "span" and "state" in classes and el.get("data-state") in STATE_STYLES:
            el.set("data-custom-style", STATE_STYLES[el.get("data-state", "")])
    for n, el in enumerate(list(body.xpath("//*[@data-keep='together']"))):
        if not el.get("id"):
            el.set("id", f"keep-{n + 1}")
        plan.keep.append(el.get("id", ""))
    for n, el in enumerate(list(body.xpath("//div[contains(concat(' ', @class, ' '), "
                                           "' write-lines ')]"))):
        lines = el.get("data-lines", "4")
        count = int(lines) if lines.isdigit() else 4
        name = el.get("id") or f"lines-{n + 1}"
        el.set("id", name)
        el.set("data-custom-style", "Write Line")
        for child in list(el):
            el.remove(child)
        el.text = None
        for _ in range(min(max(count, 1), 60)):
            p = lxml.html.Element("p")
            p.text = "\u00a0"
            el.append(p)
        plan.lines[name] = count
    for el in list(body.xpath("//section[@data-section]")):
        name = f"sec-{el.get('data-section')}"
        if el.get("id") and el.get("id") != name:
            anchor = lxml.html.Element("div", {"id": name})
            el.insert(0, anchor)
            anchor.text = None
        else:
            el.set("id", name)
    for el in list(body.xpath("//*[@id]")):
        if el.tag in WRAP_OUTSIDE or el.tag in WRAP_INSIDE:
            attrs = {k: v for k, v in el.attrib.items() if k == "id" or k.startswith("data-")}
            for k in attrs:
                del el.attrib[k]
            _wrap(el, attrs, outside=el.tag in WRAP_OUTSIDE)
        elif el.tag == "tr":
            cell = next(iter(el.xpath("./td|./th")), None)
            if cell is not None:
                _wrap(cell, {"id": el.attrib.pop("id")}, outside=False)
    for nav in list(body.xpath("//nav[contains(concat(' ', @class, ' '), ' toc ')]")):
        nav.getparent().replace(nav, lxml.html.fromstring(
            '<div id="contents" data-custom-style="Meta"><p>Contents</p></div>'))
        plan.contents = True
    plan.headings = [(h.get("id", ""), h.text_content().strip())
                     for h in body.iter("h2") if h.get("id")]
    plan.tables = list(body.iter("table"))
    return plan


def _convert(html: str, reference: bytes, when: dt.datetime) -> bytes:
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(int(when.replace(
        tzinfo=dt.timezone.utc).timestamp())))
    # the one h1 becomes the Title, h2 Heading 1 and so on (Word's outline, and read-back)
    command = [_pandoc(), "--sandbox", "--from", "html", "--to", "docx",
               "--shift-heading-level-by=-1",
               "--reference-doc", _reference_file(reference), "--output", "-"]
    try:
        done = subprocess.run(command, input=html.encode("utf-8"), capture_output=True,
                              timeout=TIMEOUT_SECONDS, check=False, env=env)
    except subprocess.TimeoutExpired:
        raise RenderError(f"pandoc took more than {TIMEOUT_SECONDS} seconds to write the "
                          "Word document") from None
    except OSError as exc:
        raise RenderError(f"cannot run pandoc to write the Word document: {exc.strerror}") \
            from None
    if done.returncode != 0:
        said = " ".join(done.stderr.decode("utf-8", "replace").split())[:200]
        raise RenderError(f"pandoc could not write the Word document ({said})")
    return done.stdout


_pool: tuple[int, ThreadPoolExecutor] | None = None


def _converter() -> ThreadPoolExecutor:
    """Threads that wait on pandoc, one pool per process (a pool inherited by a forked batch
    worker has no threads, so the worker makes its own)."""
    global _pool
    if _pool is None or _pool[0] != os.getpid():
        _pool = (os.getpid(), ThreadPoolExecutor(max_workers=2, thread_name_prefix="pandoc"))
    return _pool[1]


FinishDocx = Callable[[dict[str, int] | None], bytes]


def render_docx(html: str, generated: dt.datetime,
                transform: Callable[[DocxDocument], None] | None = None,
                images: tuple[Path, ...] = (), reference: Path | None = None,
                pages: dict[str, int] | None = None) -> bytes:
    """Convert a rendered evidence template to a .docx, returned as bytes.

    ``pages`` (an h2's id -> its page in the PDF laid out from the same HTML) becomes the
    shown value of the contents' page fields; see ``layout.finish``.
    """
    return start_docx(html, generated, transform, images, reference)(pages)


def start_docx(html: str, generated: dt.datetime,
               transform: Callable[[DocxDocument], None] | None = None,
               images: tuple[Path, ...] = (), reference: Path | None = None) -> FinishDocx:
    """Start pandoc on the document and return the function that finishes it.

    pandoc runs in its own process, so the caller lays out the PDF meanwhile and passes its
    pages to the finishing step: a build then costs the longer of the two, not their sum.
    """
    root = lxml.html.document_fromstring(html)
    colour = _meta(root, "evidencegen-colour").lstrip("#").upper() or NAVY
    if not re.fullmatch(r"[0-9A-F]{6}", colour):
        colour = NAVY
    font = _meta(root, "evidencegen-font") or FONT
    page = PAGES.get(_meta(root, "evidencegen-paper"), PAGE_A4)  # never the reference's size
    when = _created(root) or generated
    header = root.find(".//header")
    footer = root.find(".//footer")
    running = layout.Running(
        header=layout.inline_runs(header) if header is not None else [],
        footer=layout.inline_runs(footer) if footer is not None else [],
        logo=layout.logo_of(header, images) if header is not None else None)
    for element in (header, footer):
        if element is not None:
            element.getparent().remove(element)
    plan = prepare(root)
    meta = {name: _meta(root, name) for name in ("author", "description", "keywords",
                                                 "generator")}
    title = root.findtext(".//title") or ""
    head = root.find("head")
    for element in list(head if head is not None else []):
        if element.tag in ("title", "meta", "link", "style"):  # not shown as a title block
            head.remove(element)
    blank = reference_blank(reference) if reference is not None else _styled_blank(colour, font)
    converting = _converter().submit(_convert, lxml.html.tostring(root, encoding="unicode"),
                                     blank, when)

    def finish(pages: dict[str, int] | None = None) -> bytes:
        doc = Document(io.BytesIO(converting.result()))
        layout.finish(doc, plan, running, colour, page, own=reference is None, pages=pages)
        return _properties(doc, title, meta, when, transform, plan)

    return finish


def _properties(doc: DocxDocument, title: str, meta: dict[str, str], when: dt.datetime,
                transform: Callable[[DocxDocument], None] | None, plan: layout.Plan) -> bytes:
    """Document properties, the caller's mark and the manifest; the file's bytes."""
    props = doc.core_properties
    props.title = title
    props.author = meta["author"]
    props.subject = meta["description"]
    props.keywords = meta["keywords"]
    props.comments = meta["generator"]
    props.content_status = OUTPUT_MARK  # never read back as a note (docx_reader)
    props.language = "en-GB"
    props.last_modified_by = "evidencegen"
    props.created = props.modified = when
    props.revision = 1
    if transform is not None:
        transform(doc)
    layout.write_manifest(doc, plan.manifest)
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip(buf.getvalue(), when)


def _fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same document gives the same bytes: every ZIP entry gets one fixed timestamp."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in sorted(src.infolist(), key=lambda i: (i.filename != "[Content_Types].xml",
                                                          i.filename)):
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item))
    return out.getvalue()
