"""One file to its notes, by suffix: Word files to ``readers.docx``, the rest to
``readers.markdown``; and redaction of notes already split into blocks.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from evidencegen.errors import EvidencegenError
from evidencegen.models import Note, Sentence
from evidencegen.privacy import Guard, words_of
from evidencegen.readers.common import blocks_html
from evidencegen.readers.markdown import read_note

_SIGNATORY = re.compile(r"\s*(?:expert\s+)?(?:witness|assessor|observer|signed|signature)"
                        r"(?:'s)?(?:\s+name)?\s*:?\s*$", re.IGNORECASE)


def read_any(path: Path, folder: Path, guard: Guard | None = None,
              own_documents: bool = True) -> tuple[Note, ...] | None:
    """The notes in one file; None for a document evidencegen made, unless
    ``own_documents`` (checking one draft the learner edited)."""
    if path.suffix.lower() == ".docx":
        from evidencegen.readers.docx import read_docx

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


def guarded(path: Path, folder: Path, guard: Guard, rel: str, own_documents: bool = True
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
