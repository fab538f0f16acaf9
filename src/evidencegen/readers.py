"""Read a learner folder: learner.yaml and every note under it, with line numbers kept.

Reading is strict and happens before anything is written: a note that cannot be read stops
the build with its file and line, so no document is ever made from half the evidence.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from evidencegen.errors import LearnerError, NoteError
from evidencegen.inputs import (
    NOTE_SUFFIXES,
    OWN_DOCUMENT,
    RESERVED_FILES,
    InputWarning,
    same_mentees,
    scan,
    sift,
)
from evidencegen.limits import NOTE, too_large
from evidencegen.privacy import Finding, Guard
from evidencegen.schema import (
    FRONT_MATTER_VERBATIM,
    LEARNER_VERBATIM,
    Decision,
    Declaration,
    FrontMatter,
    LearnerFile,
    parse_date,
    validate,
)
from evidencegen.structure import (
    Block,
    Sentence,
    body_references,
    markdown_blocks,
    merge_references,
    text_blocks,
)
from evidencegen.text import word_count
from evidencegen.yamlio import KeyLines, load_yaml

__all__ = ["NOTE_SUFFIXES", "RESERVED_FILES", "Block", "InputWarning", "Learner", "Note",
           "Sentence"]
MARKDOWN_SUFFIXES = {".md", ".markdown", ".odt", ".rtf"}  # .odt and .rtf: converted first
MAX_LINE_CHARS = 20_000  # a paragraph of 20,000 characters is already 3,000 words
_FOLDER_TYPES = {
    "session": "session", "sessions": "session",
    "observation": "observation", "observations": "observation",
    "witness": "witness", "witnesses": "witness", "testimony": "witness",
    "testimonies": "witness",
    "reflection": "reflection", "reflections": "reflection",
    "knowledge": "knowledge", "reading": "knowledge", "research": "knowledge",
}
_DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


@dataclass(frozen=True)
class Note:
    path: Path
    rel: str  # path inside the learner folder, with forward slashes
    type: str
    title: str
    date: dt.date | None
    mentee: str | None
    duration: str | None
    mode: str | None
    criteria: tuple[str, ...]
    criteria_line: int
    author_name: str | None
    author_role: str | None
    references: tuple[str, ...]
    blocks: tuple[Block, ...]
    html: Markup
    words: int
    findings: tuple[Finding, ...] = ()

    @property
    def sentences(self) -> list[Sentence]:
        return [s for b in self.blocks for s in b.sentences]


@dataclass(frozen=True)
class Learner:
    folder: Path
    name: str
    learner_id: str
    centre: str | None
    assessor: str | None
    employer: str | None
    programme_start: dt.date | None
    criteria: str | None
    mentees: tuple[str, ...]
    declaration: Declaration | None
    notes: tuple[Note, ...] = field(default=())
    feedback: dict[str, Decision] = field(default_factory=dict)
    feedback_lines: dict[str, int] = field(default_factory=dict)
    privacy: tuple[Finding, ...] = ()
    warnings: tuple[InputWarning, ...] = ()  # files and notes that count for nothing, and why


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


def read_text(path: Path, error: type[NoteError] | type[LearnerError] = NoteError) -> str:
    """Read UTF-8 text; a file saved in another encoding is named with the first bad line."""
    try:
        if path.stat().st_size > NOTE.bytes():
            raise error(too_large(NOTE, "this file") + "; split it into several notes", path)
        raw = path.read_bytes()
    except OSError as exc:
        raise error(f"cannot read this file: {exc.strerror}", path) from None
    if b"\x00" in raw[:8192]:
        raise error("this is not a text file (it looks like a binary file)", path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(
            "this file is not saved as UTF-8 text; save it again as UTF-8 "
            "(in Word: Save As, Plain Text, Unicode UTF-8)",
            path,
            line,
        ) from None
    return clean_text(text, path, error)


def clean_text(text: str, path: Path,
               error: type[NoteError] | type[LearnerError] = NoteError) -> str:
    """Unix line ends, no control characters, and no line too long to be a paragraph."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # control characters (pasted from other programs) cannot go into a Word document
    text = _CONTROL.sub("", text)
    if len(text.encode("utf-8")) > NOTE.bytes():
        raise error(too_large(NOTE, "this note's text") + "; split it into several notes",
                    path)
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise error(f"line {number} is longer than {MAX_LINE_CHARS:,} characters; "
                        "break it into paragraphs", path, number)
    return text


def _inside(path: Path, folder: Path, error: type[NoteError] | type[LearnerError]) -> None:
    """A file that is a link to somewhere outside the learner folder is refused."""
    if path.is_symlink() and not path.resolve().is_relative_to(folder.resolve()):
        raise error("this is a link to a file outside the learner folder; copy the file "
                    "into the folder instead", path)


def read_learner_file(folder: Path) -> LearnerFile:
    path = folder / "learner.yaml"
    if not folder.is_dir():
        raise LearnerError("this folder does not exist", folder)
    if not path.is_file():
        raise LearnerError(
            "no learner.yaml here: is this a learner folder? "
            "(run 'evidencegen init FOLDER' to start one)",
            folder,
        )
    _inside(path, folder, LearnerError)
    text = read_text(path, LearnerError)
    data, lines = load_yaml(text, path, LearnerError, verbatim=LEARNER_VERBATIM)
    if data is None:
        raise LearnerError("learner.yaml is empty: it needs at least name and learner_id", path)
    return validate(LearnerFile, data, lines, path, LearnerError)


def _split_front_matter(text: str, path: Path) -> tuple[str | None, str, int]:
    """Return (front matter text or None, body, number of lines before the body)."""
    if path.suffix.lower() not in {".md", ".markdown"} or not text.startswith("---\n"):
        return None, text, 0
    lines = text.split("\n")
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 1
    raise NoteError(
        "the front matter that starts with --- on line 1 has no closing --- line", path, 1
    )


def _note_type(rel_parts: tuple[str, ...]) -> str:
    for folder in reversed(rel_parts[:-1]):
        kind = _FOLDER_TYPES.get(folder.lower())
        if kind:
            return kind
    return "reflection"


def blocks_html(blocks: Iterable[Block]) -> Markup:
    """HTML for notes that are not Markdown (text, Word): escaped paragraphs and headings."""
    return Markup("".join(
        f'<h4 class="note-heading">{escape(b.text)}</h4>\n' if b.kind == "heading"
        else f"<p>{escape(b.text)}</p>\n" for b in blocks))


def date_from_name(path: Path) -> dt.date | None:
    """The date a file name starts with (2026-09-03-catch-up.md), or None."""
    m = _DATED_NAME.match(path.name)
    if m is None:
        return None
    try:
        return parse_date(m.group(1))
    except ValueError as exc:
        raise NoteError(f"the date in this file's name: {exc}", path) from None


def _title(fm: FrontMatter | None, blocks: list[Block], path: Path) -> str:
    if fm is not None and fm.title:
        return fm.title
    heading = next((b.text for b in blocks if b.kind == "heading"), None)
    if heading:
        return heading
    stem = _DATED_NAME.sub("", path.stem).strip("-_ ") or path.stem
    return stem.replace("-", " ").replace("_", " ").capitalize()


def read_note(path: Path, folder: Path, guard: Guard | None = None) -> Note:
    """Read one note; its type and date come from front matter, else folder and file name.

    With a guard, personal data is redacted from the text before anything else sees it.
    An .odt or .rtf note is converted to Markdown first (see ``convert``): its line numbers
    are lines of the converted text, one paragraph a line.
    """
    if path.suffix.lower() in (".odt", ".rtf"):
        from evidencegen.convert import to_markdown

        text = clean_text(to_markdown(path), path)
    else:
        text = read_text(path)
    findings: list[Finding] = []
    if guard is not None:
        text, findings = guard.redact(text, path.relative_to(folder).as_posix())
    fm_text, body, offset = _split_front_matter(text, path)
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
    return Note(
        path=path,
        rel="/".join(rel_parts),
        type=(fm.type if fm and fm.type else _note_type(rel_parts)),
        title=_title(fm, blocks, path),
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
    )


def read_feedback(folder: Path) -> tuple[dict[str, Decision], dict[str, int]]:
    """The assessor's decisions, per criterion, from feedback.yaml (absent: none yet)."""
    path = folder / "feedback.yaml"
    if not path.is_file():
        return {}, {}
    data, lines = load_yaml(read_text(path, LearnerError), path, LearnerError)
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise LearnerError("feedback.yaml should list criteria, e.g. '5.2:' with a decision "
                           "under it", path, 1)
    decisions: dict[str, Decision] = {}
    where: dict[str, int] = {}
    for key, entry in data.items():
        ac = str(key)
        sub = {k[1:]: v for k, v in lines.items() if k and k[0] == key}
        line = lines.get((key,), 1)
        if not isinstance(entry, dict):
            raise LearnerError(f"'{ac}' should have decision, date, assessor and comments "
                               "on the lines below it", path, line)
        decisions[ac] = validate(Decision, entry, sub, path, LearnerError, first_line=line)
        where[ac] = line
    return decisions, where


def read_any(path: Path, folder: Path, guard: Guard | None = None,
              own_documents: bool = True) -> tuple[Note, ...] | None:
    """The notes in one file; None for a document evidencegen made, unless
    ``own_documents`` (checking one draft the learner edited)."""
    if path.suffix.lower() == ".docx":
        from evidencegen.docx_reader import read_docx

        notes = read_docx(path, folder, own_documents)
        if notes is None:
            return None
        return tuple(redact_note(n, guard) for n in notes) if guard else tuple(notes)
    return (read_note(path, folder, guard),)


def redact_note(note: Note, guard: Guard) -> Note:
    """Redact a note already split into blocks (Word files), keeping paragraph numbers.

    Each sentence is redacted on its own line; the block's label, context and header
    repeat text found elsewhere, so they are redacted without a second finding.
    """
    def clean(text: str) -> str:
        return guard.redact(text, note.rel)[0]

    blocks, findings = [], []
    for b in note.blocks:
        sentences = []
        for s in b.sentences:
            text, found = guard.redact(s.text, note.rel, s.line)
            findings.extend(found)
            sentences.append(Sentence(text, s.line) if found else s)
        new = replace(b, text=clean(b.text), sentences=tuple(sentences),
                      label=clean(b.label) if b.label else None,
                      context=tuple(clean(c) for c in b.context),
                      header=clean(b.header) if b.header else None)
        blocks.append(new if new != b else b)
    if not findings and all(n is o for n, o in zip(blocks, note.blocks, strict=True)):
        return note
    return replace(note, blocks=tuple(blocks), html=blocks_html(blocks),
                   findings=tuple(findings))


def read_document(path: Path) -> Learner:
    """One submitted document as a learner with a single note.

    The learner's details come from the learner.yaml of the folder the document sits in, if
    any; otherwise the document stands alone, named after its file. A draft evidencegen made
    is read here (learners edit drafts and check them), though never as part of a folder.
    """
    path = path.resolve()
    if path.suffix.lower() not in NOTE_SUFFIXES:
        allowed = ", ".join(sorted(NOTE_SUFFIXES))
        raise NoteError(f"evidencegen reads {allowed} files, not '{path.suffix}'", path)
    home = next((p for p in path.parents if (p / "learner.yaml").is_file()), None)
    decisions: dict[str, Decision] = {}
    if path.suffix.lower() == ".docx":
        from evidencegen.docx_reader import comment_decisions

        decisions = comment_decisions(path)
    if home is not None:
        learner = read_learner(home, exclude=())
        rel = path.relative_to(home).as_posix()
        mine = tuple(w for w in learner.warnings if w.path == rel and w.message != OWN_DOCUMENT)
        notes = tuple(n for n in learner.notes if n.path == path)
        if not notes and not mine:
            notes, _ = same_mentees(read_any(path, home) or (), learner.mentees)
        return replace(learner, notes=notes, feedback={**decisions, **learner.feedback},
                       warnings=mine)
    kept, warnings = sift(path.name, read_any(path, path.parent, Guard({})) or ())
    notes, _ = same_mentees(kept, ())
    name, learner_id, declaration = path.stem, path.stem, None
    if path.suffix.lower() == ".docx":
        from evidencegen.docx_reader import draft_identity

        if (who := draft_identity(path)) is not None:
            name, learner_id = who.name, who.learner_id
            declaration = Declaration(signed=True) if who.declared else None
    return Learner(folder=path.parent, name=name, learner_id=learner_id, centre=None,
                   assessor=None, employer=None, programme_start=None, criteria=None,
                   mentees=tuple(sorted({n.mentee for n in notes if n.mentee})),
                   declaration=declaration, notes=notes, feedback=decisions,
                   privacy=tuple(f for n in notes for f in n.findings),
                   warnings=tuple(warnings))


def _notes(folder: Path, exclude: tuple[Path, ...], guard: Guard, keep: tuple[Path, ...]
           ) -> tuple[list[Note], list[InputWarning]]:
    """Every note that counts, and a warning for every file or note that does not."""
    paths, warnings = scan(folder, exclude, keep)
    notes: list[Note] = []
    for path in paths:
        _inside(path, folder, NoteError)
        rel = path.relative_to(folder).as_posix()
        found = read_any(path, folder, guard, own_documents=False)
        if found is None:
            warnings.append(InputWarning(rel, None, OWN_DOCUMENT))
            continue
        kept, dropped = sift(rel, found)
        notes.extend(kept)
        warnings.extend(dropped)
    return notes, sorted(warnings, key=lambda w: w.path)


def read_learner(folder: Path, exclude: tuple[Path, ...] = ()) -> Learner:
    """Read learner.yaml and every note; raise on the first thing that cannot be read.

    Notes that count for nothing (no text, the untouched examples, evidencegen's own
    documents) are left out and named in ``warnings``, as is every file that is not read.
    """
    folder = folder.resolve() if folder.exists() else folder
    info = read_learner_file(folder)
    guard = Guard(dict(info.private_names))
    own_criteria = folder / info.criteria if info.criteria else None
    keep = (own_criteria,) if own_criteria is not None and own_criteria.is_file() else ()
    found, warnings = _notes(folder, exclude, guard, keep)
    notes, mentees = same_mentees(found, info.mentees)
    feedback, feedback_lines = read_feedback(folder)
    findings = [f for n in notes for f in n.findings]
    fields = {}
    for key in ("centre", "assessor", "employer"):
        value = getattr(info, key)
        if value:
            value, found_here = guard.redact(value, "learner.yaml")
            findings.extend(found_here)
        fields[key] = value
    for ac, decision in list(feedback.items()):
        if decision.comments:
            comments, found_here = guard.redact(decision.comments, "feedback.yaml",
                                                feedback_lines.get(ac, 1))
            findings.extend(found_here)
            feedback[ac] = decision.model_copy(update={"comments": comments})
    return Learner(
        folder=folder,
        name=info.name,
        learner_id=info.learner_id,
        centre=fields["centre"],
        assessor=fields["assessor"],
        employer=fields["employer"],
        programme_start=info.programme_start,
        criteria=info.criteria,
        mentees=mentees,
        declaration=info.declaration,
        notes=notes,
        feedback=feedback,
        feedback_lines=feedback_lines,
        privacy=tuple(findings),
        warnings=tuple(warnings),
    )
