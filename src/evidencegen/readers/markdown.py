"""Markdown and plain-text notes (and .odt/.rtf, converted to Markdown first).

Front matter is read strictly: broken YAML stops the build with its line. The body becomes
blocks (see ``structure``) with the line each starts on, and HTML with raw HTML escaped.
"""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt
from markupsafe import Markup

from evidencegen.errors import NoteError
from evidencegen.inputs import (
    clean_text,
    read_decoded,
)
from evidencegen.models import Note
from evidencegen.privacy import Finding, Guard
from evidencegen.readers.common import (
    blocks_html,
    date_from_name,
    note_title,
    note_type,
    split_front_matter,
    yaml_safe,
)
from evidencegen.schema import (
    FRONT_MATTER_VERBATIM,
    FrontMatter,
    validate,
)
from evidencegen.structure import (
    body_references,
    markdown_blocks,
    merge_references,
    text_blocks,
)
from evidencegen.text import word_count
from evidencegen.yamlio import KeyLines, load_yaml

MARKDOWN_SUFFIXES = {".md", ".markdown", ".odt", ".rtf"}  # .odt and .rtf: converted first


def _markdown() -> MarkdownIt:
    # Raw HTML is text, never markup; images are never fetched (a note is data, not a page).
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_inline", "html_block"])
    md.enable("table")  # learners compare models in tables; cells are escaped like the rest
    # A note's own headings sit under the document's headings (h1-h3), so they become h4.
    md.add_render_rule("heading_open", lambda *a, **k: '<h4 class="note-heading">')
    md.add_render_rule("heading_close", lambda *a, **k: "</h4>\n")
    return md


_MD = _markdown()


def read_note(path: Path, folder: Path, guard: Guard | None = None) -> Note:
    """Read one note; its type and date come from front matter, else folder and file name.

    With a guard, personal data is redacted from the text before anything else sees it.
    An .odt or .rtf note is converted to Markdown first (see ``convert``): its line numbers
    are lines of the converted text, one paragraph a line.
    """
    if path.suffix.lower() in (".odt", ".rtf"):
        from evidencegen.convert import to_markdown

        text, encoding = clean_text(to_markdown(path), path), None
    else:
        decoded = read_decoded(path)
        text, encoding = decoded.text, decoded.encoding
    fm_text, body, offset = split_front_matter(text, path)
    rel = path.relative_to(folder).as_posix()
    findings: list[Finding] = []
    if guard is not None:
        guard = guard.discover([body])
        rel, findings = guard.redact_path(rel)
        if fm_text is not None:
            fm_text, found = guard.redact(fm_text, rel, 2)
            fm_text = yaml_safe(fm_text)
            findings += found
        body, found = guard.redact(body, rel, offset + 1)
        findings += found
    fm: FrontMatter | None = None
    lines: KeyLines = {}
    if fm_text is not None:
        data, lines = load_yaml(fm_text, path, NoteError, line_offset=1,
                                verbatim=FRONT_MATTER_VERBATIM)
        fm = validate(FrontMatter, data, lines, path, NoteError, first_line=1)
    rel_parts = path.relative_to(folder).parts
    is_markdown = path.suffix.lower() in MARKDOWN_SUFFIXES
    blocks = markdown_blocks(_MD.parse(body), offset) if is_markdown else text_blocks(body, offset)
    html = Markup(_MD.render(body)) if is_markdown else blocks_html(blocks)
    date = fm.date if fm and fm.date else date_from_name(path)
    author = fm.author if fm else None
    title = note_title(fm, blocks, path)
    if guard is not None and not (fm and fm.title) and not any(
            b.kind == "heading" for b in blocks):
        title = guard.clean(title, file_name=True)  # from the file name, already reported
    return Note(
        path=path,
        rel=rel,
        type=(fm.type if fm and fm.type else note_type(rel_parts)),
        title=title,
        date=date,
        mentee=fm.mentee if fm else None,
        duration=fm.duration if fm else None,
        mode=fm.mode if fm else None,
        criteria=tuple(fm.criteria) if fm else (),
        criteria_line=lines.get(("criteria",), 1),
        author_name=author.name if author else None,
        author_role=author.role if author else None,
        references=merge_references(fm.references if fm else (), body_references(blocks)),
        blocks=tuple(blocks),
        html=html,
        words=sum(word_count(b.text) for b in blocks if b.kind != "heading"),
        findings=tuple(findings),
        encoding=encoding,
    )
