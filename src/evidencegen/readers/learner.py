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

from evidencegen.errors import EvidencegenError, LearnerError, NoteError
from evidencegen.inputs import (
    NOTE_SUFFIXES,
    OWN_DOCUMENT,
    RESERVED_FILES,
    Decoded,
    DecodeProblem,
    InputWarning,
    decode,
    same_mentees,
    scan,
    sift,
)
from evidencegen.limits import NOTE, too_large
from evidencegen.privacy import Finding, Guard, words_of
from evidencegen.privacy.folder import learner_guard, nearby_guard
from evidencegen.schema import (
    FRONT_MATTER_VERBATIM,
    LEARNER_VERBATIM,
    Countersign,
    Decision,
    Declaration,
    FrontMatter,
    LearnerFile,
    parse_date,
    validate,
)
from evidencegen.signing import SigningKey, Verification
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
    encoding: str | None = None  # the legacy encoding it was read in; None: UTF-8

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
    feedback: dict[str, Decision] = field(default_factory=dict)  # as written: claims
    feedback_lines: dict[str, int] = field(default_factory=dict)
    signatures: tuple[Verification, ...] = ()  # each decision and record, verified or not
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
    """A text file's text, in whatever encoding it was saved (see ``inputs.decode``)."""
    return read_decoded(path, error).text


def read_decoded(path: Path, error: type[NoteError] | type[LearnerError] = NoteError
                 ) -> Decoded:
    """A text file's cleaned text and the encoding it was read in: UTF-8 (with or without
    a byte order mark), UTF-16 with a mark, or a legacy single-byte encoding. A file in
    none of those is named with the first line that is not UTF-8 and what to do."""
    try:
        if path.stat().st_size > NOTE.bytes():
            raise error(too_large(NOTE, "this file") + "; split it into several notes", path)
        raw = path.read_bytes()
    except OSError as exc:
        raise error(f"cannot read this file: {exc.strerror}", path) from None
    try:
        decoded = decode(raw)
    except DecodeProblem as exc:
        raise error(exc.message, path, exc.line) from None
    return replace(decoded, text=clean_text(decoded.text, path, error))


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


_SIGNATORY = re.compile(r"\s*(?:expert\s+)?(?:witness|assessor|observer|signed|signature)"
                        r"(?:'s)?(?:\s+name)?\s*:?\s*$", re.IGNORECASE)
_BARE_REDACTION = re.compile(r"^(\s*(?:[\w-]+\s*:|-)\s+)(\[[^\]\n]*removed\][^\n]*)$",
                             re.MULTILINE)


def _yaml_safe(front_matter: str) -> str:
    """A value that now starts with "[... removed]" is quoted, so YAML reads it as text."""
    return _BARE_REDACTION.sub(lambda m: m.group(1) + '"' + m.group(2).replace('"', "'") + '"',
                               front_matter)


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

        text, encoding = clean_text(to_markdown(path), path), None
    else:
        decoded = read_decoded(path)
        text, encoding = decoded.text, decoded.encoding
    fm_text, body, offset = _split_front_matter(text, path)
    rel = path.relative_to(folder).as_posix()
    findings: list[Finding] = []
    if guard is not None:
        guard = guard.discover([body])
        rel, findings = guard.redact_path(rel)
        if fm_text is not None:
            fm_text, found = guard.redact(fm_text, rel, 2)
            fm_text = _yaml_safe(fm_text)
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
    title = _title(fm, blocks, path)
    if guard is not None and not (fm and fm.title) and not any(
            b.kind == "heading" for b in blocks):
        title = guard.clean(title, file_name=True)  # from the file name, already reported
    return Note(
        path=path,
        rel=rel,
        type=(fm.type if fm and fm.type else _note_type(rel_parts)),
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


RECORDS_KEY = "countersigned"  # feedback.yaml: records an assessor countersigned, by file


@dataclass(frozen=True)
class Feedback:
    """feedback.yaml as written: decisions by criterion, countersigned records by file."""

    decisions: dict[str, Decision] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    records: dict[str, Countersign] = field(default_factory=dict)


def read_feedback(folder: Path) -> Feedback:
    """The assessor's decisions and countersignatures from feedback.yaml (absent: none yet).

    Anyone who can write in the folder can write this file: what it says counts only once
    ``signing`` has verified it with the centre's key.
    """
    path = folder / "feedback.yaml"
    if not path.is_file():
        return Feedback()
    _inside(path, folder, LearnerError)
    data, lines = load_yaml(read_text(path, LearnerError), path, LearnerError)
    if data is None:
        return Feedback()
    if not isinstance(data, dict):
        raise LearnerError("feedback.yaml should list criteria, e.g. '5.2:' with a decision "
                           "under it", path, 1)
    decisions: dict[str, Decision] = {}
    where: dict[str, int] = {}
    records: dict[str, Countersign] = {}
    for key, entry in data.items():
        ac = str(key)
        sub = {k[1:]: v for k, v in lines.items() if k and k[0] == key}
        line = lines.get((key,), 1)
        if ac == RECORDS_KEY:
            if not isinstance(entry, dict):
                raise LearnerError(f"'{RECORDS_KEY}' should list record files, each with "
                                   "assessor, date, digest and signature", path, line)
            for rel, record in entry.items():
                rsub = {k[1:]: v for k, v in sub.items() if k and k[0] == rel}
                records[str(rel)] = validate(Countersign, record, rsub, path, LearnerError,
                                             first_line=sub.get((rel,), line))
            continue
        if not isinstance(entry, dict):
            raise LearnerError(f"'{ac}' should have decision, date, assessor and comments "
                               "on the lines below it", path, line)
        decisions[ac] = validate(Decision, entry, sub, path, LearnerError, first_line=line)
        where[ac] = line
    return Feedback(decisions, where, records)


def _decision_checks(folder: Path, learner_id: str, name: str, feedback: Feedback,
                     key: SigningKey | None) -> tuple[Verification, ...]:
    """Every decision in feedback.yaml, checked with the centre's key (none: all claims)."""
    from evidencegen.signing import verify_decision

    return tuple(verify_decision(key, folder, learner_id, name, ac, d)
                 for ac, d in feedback.decisions.items())


def _record_checks(folder: Path, learner_id: str, name: str, notes: Iterable[Note],
                   records: dict[str, Countersign], key: SigningKey | None
                   ) -> tuple[Verification, ...]:
    """Every observation or witness record among the notes, by file: countersigned or not."""
    from evidencegen.signing import verify_record

    found: dict[str, Note] = {}
    for n in notes:
        if n.type in ("observation", "witness"):
            found.setdefault(n.path.relative_to(folder).as_posix(), n)
    return tuple(verify_record(key, folder, learner_id, name, rel, n.type, records.get(rel),
                               n.author_name) for rel, n in sorted(found.items()))


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

    The people in the whole note are found first, so a name is taken out of every sentence
    it appears in. Each sentence is redacted on its own line; the block's label, context
    and header repeat text found elsewhere, so they are redacted without a second finding.
    The title (a Word note's first heading) and the file name are redacted too.
    """
    # a witness or assessor who signs may be named: the author, and a "Witness" table cell
    signed = words_of(note.author_name, *(b.text for b in note.blocks
                                          if b.context and _SIGNATORY.match(b.context[-1])))
    guard = replace(guard, keep=guard.keep | signed).discover([b.text for b in note.blocks])
    rel, findings = guard.redact_path(note.rel)
    clean = guard.clean

    blocks = []
    for b in note.blocks:
        sentences = []
        for s in b.sentences:
            text, found = guard.redact(s.text, rel, s.line)
            findings.extend(found)
            sentences.append(Sentence(text, s.line) if found else s)
        new = replace(b, text=clean(b.text), sentences=tuple(sentences),
                      label=clean(b.label) if b.label else None,
                      context=tuple(clean(c) for c in b.context),
                      header=clean(b.header) if b.header else None)
        blocks.append(new if new != b else b)
    title = clean(note.title, file_name=not any(b.kind == "heading" for b in blocks))
    mentee = clean(note.mentee) if note.mentee else None
    if (not findings and title == note.title and mentee == note.mentee
            and all(n is o for n, o in zip(blocks, note.blocks, strict=True))):
        return note
    return replace(note, rel=rel, title=title, mentee=mentee, blocks=tuple(blocks),
                   html=blocks_html(blocks), findings=tuple(findings))


def read_document(path: Path, key: SigningKey | None = None) -> Learner:
    """One submitted document as a learner with a single note.

    The learner's details come from the learner.yaml of the folder the document sits in, if
    any; otherwise the document stands alone, named after its file, and is guarded with the
    private names of learner folders beside it (see ``privacy.folder.nearby_guard``). A
    draft evidencegen made is read here (learners edit drafts and check them), though never
    as part of a folder.
    """
    path = path.resolve()
    if path.suffix.lower() not in NOTE_SUFFIXES:
        allowed = ", ".join(sorted(NOTE_SUFFIXES))
        raise NoteError(f"evidencegen reads {allowed} files, not '{path.suffix}'", path)
    home = next((p for p in path.parents if (p / "learner.yaml").is_file()), None)
    comments: tuple[Verification, ...] = ()
    if path.suffix.lower() == ".docx":
        from evidencegen.docx_reader import comment_decisions
        from evidencegen.signing import word_comment

        # a Word comment is a claim only: anyone holding the file can type "Met"
        comments = tuple(word_comment(ac, d) for ac, d in comment_decisions(path).items())
    if home is not None:
        learner = read_learner(home, exclude=(), key=key)
        guard = learner_guard(read_learner_file(home), scan(home)[0])
        rel = guard.redact_path(path.relative_to(home).as_posix())[0]
        mine = tuple(w for w in learner.warnings if w.path == rel and w.message != OWN_DOCUMENT)
        notes = tuple(n for n in learner.notes if n.path == path)
        privacy = learner.privacy
        if not notes and not mine:
            notes, _ = same_mentees(_guarded(path, home, guard, rel) or (), learner.mentees)
            privacy = (*privacy, *(f for n in notes for f in n.findings))
        records = _redact_signatures(_record_checks(home, learner.learner_id, learner.name,
                                                    notes, read_feedback(home).records, key),
                                     guard)
        decided = tuple(s for s in learner.signatures if s.kind == "decision")
        return replace(learner, notes=notes, signatures=decided + records + comments,
                       privacy=privacy, warnings=mine)
    name, learner_id, declaration = path.stem, path.stem, None
    if path.suffix.lower() == ".docx":
        from evidencegen.docx_reader import draft_identity

        if (who := draft_identity(path)) is not None:
            name, learner_id = who.name, who.learner_id
            declaration = Declaration(signed=True) if who.declared else None
    guard = nearby_guard(path, name)
    rel, named = guard.redact_path(path.name)
    if name == path.stem:
        name = learner_id = rel.removesuffix(path.suffix)
    kept, warnings = sift(rel, _guarded(path, path.parent, guard, rel) or ())
    notes, _ = same_mentees(kept, ())
    return Learner(folder=path.parent, name=name, learner_id=learner_id, centre=None,
                   assessor=None, employer=None, programme_start=None, criteria=None,
                   mentees=tuple(sorted({n.mentee for n in notes if n.mentee})),
                   declaration=declaration, notes=notes,
                   signatures=_redact_signatures(
                       _record_checks(path.parent, learner_id, name, notes, {}, key), guard)
                   + comments,
                   privacy=(*named, *(f for n in notes for f in n.findings if f.line)),
                   warnings=tuple(warnings))


def _guarded(path: Path, folder: Path, guard: Guard, rel: str, own_documents: bool = True
             ) -> tuple[Note, ...] | None:
    """The notes of one file read through the guard; an error names the file as redacted."""
    try:
        return read_any(path, folder, guard, own_documents)
    except EvidencegenError as exc:
        raise _redacted_error(exc, folder / rel, guard) from None


def _redacted_error(exc: EvidencegenError, where: Path, guard: Guard) -> EvidencegenError:
    """The same error naming the file by its redacted name, its message redacted too."""
    exc.path = where
    exc.message = guard.clean(exc.message)
    exc.args = (exc.message,)
    return exc


def _redact_signatures(found: tuple[Verification, ...], guard: Guard
                       ) -> tuple[Verification, ...]:
    """Verifications naming files by their redacted names (a file's name can hold a name)."""
    def clean(rel: str) -> str:
        return guard.redact_path(rel)[0]

    return tuple(replace(v, subject=v.subject if v.kind in ("decision", "word comment")
                         else clean(v.subject),
                         files=tuple((clean(p), d) for p, d in v.files)) for v in found)


def _redact_decisions(decisions: dict[str, Decision], guard: Guard, where: str,
                      lines: dict[str, int] | None = None
                      ) -> tuple[dict[str, Decision], list[Finding]]:
    """Assessor comments (feedback.yaml, Word comments) with people and identifiers out."""
    texts = [d.comments for d in decisions.values() if d.comments]
    if not texts:
        return decisions, []
    guard = guard.discover(texts)
    out, findings = dict(decisions), []
    for ac, decision in decisions.items():
        if decision.comments:
            comments, found = guard.redact(decision.comments, where, (lines or {}).get(ac, 1))
            findings += found
            out[ac] = decision.model_copy(update={"comments": comments})
    return out, findings


def _notes(folder: Path, guard: Guard, paths: list[Path], warnings: list[InputWarning]
           ) -> tuple[list[Note], list[InputWarning], list[Finding]]:
    """Every note that counts, a warning for every file or note that does not, and what
    the guard found in the names of files that are not read."""
    notes: list[Note] = []
    findings: list[Finding] = []
    for i, warning in enumerate(warnings):
        clean, found = guard.redact_path(warning.path)
        warnings[i] = replace(warning, path=clean)
        findings += found
    for path in paths:
        _inside(path, folder, NoteError)
        rel = path.relative_to(folder).as_posix()
        clean = guard.redact_path(rel)[0]
        found = _guarded(path, folder, guard, clean, own_documents=False)
        if found is None:
            warnings.append(InputWarning(clean, None, OWN_DOCUMENT))
            continue
        kept, dropped = sift(clean, found)
        notes.extend(kept)
        warnings.extend(dropped)
    return notes, sorted(warnings, key=lambda w: w.path), findings


def _key_lines(path: Path) -> dict[str, int]:
    """The line of each top-level key of a YAML file, for findings in its values."""
    lines: dict[str, int] = {}
    for number, text in enumerate(read_text(path, LearnerError).split("\n"), start=1):
        if m := re.match(r"([A-Za-z_]\w*)\s*:", text):
            lines.setdefault(m.group(1), number)
    return lines


def read_learner(folder: Path, exclude: tuple[Path, ...] = (),
                 key: SigningKey | None = None) -> Learner:
    """Read learner.yaml and every note; raise on the first thing that cannot be read.

    Notes that count for nothing (no text, the untouched examples, evidencegen's own
    documents) are left out and named in ``warnings``, as is every file that is not read.
    Everything that reaches an output is redacted here: notes, their file names, the
    mentees list, centre, assessor and employer, and the assessor's comments.
    """
    folder = folder.resolve() if folder.exists() else folder
    info = read_learner_file(folder)
    own_criteria = folder / info.criteria if info.criteria else None
    keep = (own_criteria,) if own_criteria is not None and own_criteria.is_file() else ()
    paths, skipped = scan(folder, exclude, keep)
    guard = learner_guard(info, paths)
    found, warnings, findings = _notes(folder, guard, paths, skipped)
    line = _key_lines(folder / "learner.yaml")
    listed: list[str] = []
    for mentee in info.mentees:
        clean, found_here = guard.redact(mentee, "learner.yaml", line.get("mentees", 1))
        listed.append(clean)
        findings.extend(found_here)
    notes, mentees = same_mentees(found, listed)
    findings = [*(f for n in notes for f in n.findings), *findings]
    written = read_feedback(folder)
    if key is not None and key.path.is_relative_to(folder):
        raise LearnerError("the signing key is inside this learner's folder: she could sign "
                           "her own decisions; keep it outside learner folders", key.path)
    # signatures cover the text as written; what they name is redacted afterwards
    signatures = _redact_signatures(
        _decision_checks(folder, info.learner_id, info.name, written, key)
        + _record_checks(folder, info.learner_id, info.name, notes, written.records, key),
        guard)
    fields = {}
    for key in ("centre", "assessor", "employer"):
        value = getattr(info, key)
        if value:
            value, found_here = guard.redact(value, "learner.yaml", line.get(key, 1))
            findings.extend(found_here)
        fields[key] = value
    feedback, feedback_lines = dict(written.decisions), written.lines
    feedback, found_here = _redact_decisions(feedback, guard, "feedback.yaml", feedback_lines)
    findings.extend(found_here)
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
        signatures=signatures,
        privacy=tuple(findings),
        warnings=tuple(warnings),
    )
