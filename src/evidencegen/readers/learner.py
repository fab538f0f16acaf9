"""Read a learner folder: learner.yaml and every note under it, with line numbers kept.

Reading is strict and happens before anything is written: a note that cannot be read stops
the build with its file and line, so no document is ever made from half the evidence.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from evidencegen.errors import LearnerError, NoteError
from evidencegen.inputs import (
    NOTE_SUFFIXES,
    OWN_DOCUMENT,
    InputWarning,
    inside,
    read_learner_file,
    read_text,
    scan,
)
from evidencegen.models import Learner, Note
from evidencegen.privacy import Finding, Guard
from evidencegen.privacy.folder import learner_guard, nearby_guard
from evidencegen.readers.dispatch import guarded
from evidencegen.readers.feedback import (
    decision_checks,
    read_feedback,
    record_checks,
    redact_decisions,
    redact_signatures,
)
from evidencegen.readers.sift import same_mentees, sift
from evidencegen.schema import (
    Declaration,
)
from evidencegen.signing import SigningKey, Verification


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
        from evidencegen.readers.docx import comment_decisions
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
            notes, _ = same_mentees(guarded(path, home, guard, rel) or (), learner.mentees)
            privacy = (*privacy, *(f for n in notes for f in n.findings))
        records = redact_signatures(record_checks(home, learner.learner_id, learner.name,
                                                    notes, read_feedback(home).records, key),
                                     guard)
        decided = tuple(s for s in learner.signatures if s.kind == "decision")
        return replace(learner, notes=notes, signatures=decided + records + comments,
                       privacy=privacy, warnings=mine)
    name, learner_id, declaration = path.stem, path.stem, None
    if path.suffix.lower() == ".docx":
        from evidencegen.readers.docx import draft_identity

        if (who := draft_identity(path)) is not None:
            name, learner_id = who.name, who.learner_id
            declaration = Declaration(signed=True) if who.declared else None
    guard = nearby_guard(path, name)
    rel, named = guard.redact_path(path.name)
    if name == path.stem:
        name = learner_id = rel.removesuffix(path.suffix)
    kept, warnings = sift(rel, guarded(path, path.parent, guard, rel) or ())
    notes, _ = same_mentees(kept, ())
    return Learner(folder=path.parent, name=name, learner_id=learner_id, centre=None,
                   assessor=None, employer=None, programme_start=None, criteria=None,
                   mentees=tuple(sorted({n.mentee for n in notes if n.mentee})),
                   declaration=declaration, notes=notes,
                   signatures=redact_signatures(
                       record_checks(path.parent, learner_id, name, notes, {}, key), guard)
                   + comments,
                   privacy=(*named, *(f for n in notes for f in n.findings if f.line)),
                   warnings=tuple(warnings))


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
        inside(path, folder, NoteError)
        rel = path.relative_to(folder).as_posix()
        clean = guard.redact_path(rel)[0]
        read = guarded(path, folder, guard, clean, own_documents=False)
        if read is None:
            warnings.append(InputWarning(clean, None, OWN_DOCUMENT))
            continue
        kept, dropped = sift(clean, read)
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
    signatures = redact_signatures(
        decision_checks(folder, info.learner_id, info.name, written, key)
        + record_checks(folder, info.learner_id, info.name, notes, written.records, key),
        guard)
    fields: dict[str, str | None] = {}
    for name in ("centre", "assessor", "employer"):
        value = getattr(info, name)
        if value:
            value, found_here = guard.redact(value, "learner.yaml", line.get(name, 1))
            findings.extend(found_here)
        fields[name] = value
    feedback, feedback_lines = dict(written.decisions), written.lines
    feedback, found_here = redact_decisions(feedback, guard, "feedback.yaml", feedback_lines)
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
