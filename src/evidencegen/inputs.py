"""What in a learner folder is a note, and the facts about it that the judgement depends on.

Nothing in the folder is skipped silently: a file that is not read (a .pdf, a photo, a
.doc) and a note that counts for nothing (empty, still the example from 'evidencegen init',
a document evidencegen made itself) each leave a warning, so a learner is never left
wondering why her work does not show.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evidencegen.readers import Note

NOTE_SUFFIXES = {".md", ".markdown", ".txt", ".docx", ".odt", ".rtf"}
RESERVED_FILES = {"learner.yaml", "feedback.yaml"}
NOT_READ = "not read: evidencegen reads .md, .txt, .docx, .odt and .rtf; save it as one of those"
NO_TEXT = "this note has no text; it counts for nothing until you write in it"
STARTER = ("still the example from 'evidencegen init'; it counts once you have written "
           "your own")
OWN_DOCUMENT = ("skipped: a document evidencegen made (its own documents are never read "
                "back as notes; to check a draft you edited, run 'evidencegen check' on it)")
OWN_FOLDER = ("skipped: a folder of documents evidencegen made (its own documents are never "
              "read back as notes)")
_REPORT_KEYS = {"learner", "unit", "criteria_version", "generated", "criteria"}


@dataclass(frozen=True)
class InputWarning:
    """Something in the folder that does not count, and why; ``path`` is folder-relative."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _hidden(rel: Path) -> bool:
    return any(part.startswith((".", "~$")) for part in rel.parts)


def is_output_folder(folder: Path) -> bool:
    """A folder evidencegen built into: it holds the coverage.json that build writes.

    Recognised by that report's content, never by the folder's name, so a renamed or moved
    output folder inside the learner's folder is still left out.
    """
    report = folder / "coverage.json"
    try:
        if not report.is_file() or report.stat().st_size > 16 * 1024 * 1024:
            return False
        data = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.keys() >= _REPORT_KEYS


def scan(folder: Path, exclude: Iterable[Path] = (), keep: Iterable[Path] = ()
         ) -> tuple[list[Path], list[InputWarning]]:
    """The note files under the folder, sorted, and a warning for every other file.

    Hidden files and folders, learner.yaml, feedback.yaml, the ``exclude``d folders (the
    output of this run) and the ``keep`` files (a criteria file learner.yaml names) are
    passed over without a word.
    """
    excluded = [e.resolve() for e in exclude]
    kept = {k.resolve() for k in keep}
    notes: list[Path] = []
    warnings: list[InputWarning] = []
    outputs: dict[Path, bool] = {}  # folder → whether evidencegen built into it
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if _hidden(rel) or not path.is_file() or path.name.lower() in RESERVED_FILES:
            continue
        resolved = path.resolve()
        if any(resolved.is_relative_to(e) for e in excluded) or resolved in kept:
            continue
        if any(path.is_relative_to(o) for o, made in outputs.items() if made):
            continue
        if path.parent != folder and path.parent not in outputs:
            outputs[path.parent] = is_output_folder(path.parent)
            if outputs[path.parent]:
                warnings.append(InputWarning(path.parent.relative_to(folder).as_posix(), None,
                                             OWN_FOLDER))
                continue
        if path.suffix.lower() in NOTE_SUFFIXES:
            notes.append(path)
        else:
            warnings.append(InputWarning(rel.as_posix(), None, NOT_READ))
    return notes, warnings


def mentee_key(name: str) -> str:
    """Mentee names compare without case or spacing: "mentee  b" is "Mentee B"."""
    return " ".join(name.split()).casefold()


def mentee_spellings(listed: Iterable[str], used: Iterable[str | None]) -> dict[str, str]:
    """How each mentee is shown: as learner.yaml spells her, else as first written."""
    spelling: dict[str, str] = {}
    for name in [*listed, *(u for u in used if u)]:
        spelling.setdefault(mentee_key(name), " ".join(name.split()))
    return spelling


def text_key(texts: Iterable[str]) -> str:
    """A digest of a note's text (block by block, spacing normalised), to recognise it."""
    joined = "\n".join(" ".join(t.split()) for t in texts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def _starter_dir() -> Path | None:
    here = Path(__file__).parent / "starter"
    if here.is_dir():
        return here
    from evidencegen.resources import packaged_dir

    try:
        return packaged_dir("starter")
    except FileNotFoundError:
        return None


@cache
def starter_keys() -> frozenset[str]:
    """Digests of the example notes 'evidencegen init' writes, from the shipped files
    themselves, so editing an example never needs a list updated by hand."""
    from evidencegen.readers import read_any  # readers imports this module

    folder = _starter_dir()
    if folder is None:
        return frozenset()
    return frozenset(text_key(b.text for b in n.blocks)
                     for path in scan(folder)[0] for n in read_any(path, folder) or ())


def sift(rel: str, found: tuple[Note, ...]) -> tuple[list[Note], list[InputWarning]]:
    """The notes that count; a note with no text, or still the example, counts for nothing
    (and is not a dated session either)."""
    kept: list[Note] = []
    warnings: list[InputWarning] = []
    for n in found:
        if text_key(b.text for b in n.blocks) in starter_keys():
            warnings.append(InputWarning(rel, None, STARTER))
        elif n.words == 0:
            warnings.append(InputWarning(rel, None, NO_TEXT))
        else:
            kept.append(n)
        if said := Decoded("", n.encoding).warning:
            warnings.append(InputWarning(rel, None, said))
    if not found:
        warnings.append(InputWarning(rel, None, NO_TEXT))
    return kept, list(dict.fromkeys(warnings))


def same_mentees(notes: Iterable[Note], listed: Iterable[str]
                  ) -> tuple[tuple[Note, ...], tuple[str, ...]]:
    """Notes and mentees with one spelling per mentee (learner.yaml's, else the first seen):
    "mentee b" and "Mentee  B" are the same person."""
    notes, listed = tuple(notes), tuple(listed)
    spelling = mentee_spellings(listed, (n.mentee for n in notes))
    same = tuple(replace(n, mentee=spelling[mentee_key(n.mentee)])
                 if n.mentee and spelling[mentee_key(n.mentee)] != n.mentee else n
                 for n in notes)
    return same, tuple(dict.fromkeys(spelling[mentee_key(m)] for m in listed))


# Encodings. Notepad saves UTF-8 (with or without a byte order mark) or "Unicode" (UTF-16
# with a mark); older editors save the Windows code page, in Britain Windows-1252 (where
# "£" is byte A3). All are read; a note not in UTF-8 is named in the warnings, so the
# learner knows it was read in another encoding and can save it again.
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32-le"),
         (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"),
         (b"\xfe\xff", "utf-16-be"))
ENCODING_NAMES = {"cp1252": "Windows-1252 (Western European)"}
LOSSLESS = {None, "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"}  # no warning needed
SAVE_AS_UTF8 = "save it as UTF-8 in Notepad: File → Save as → Encoding: UTF-8"
NOT_UTF8 = ("read as {encoding} text, not UTF-8; to be sure every character is right, "
            + SAVE_AS_UTF8)
CANNOT_DECODE = ("this file's text is not UTF-8 and its encoding could not be recognised; "
                 + SAVE_AS_UTF8)
BINARY = "this is not a text file (it looks like a binary file)"


@dataclass(frozen=True)
class Decoded:
    """A file's text and the encoding it was read in (None: UTF-8, with or without BOM;
    a Unicode encoding such as UTF-16 is read without a word, a guessed one is named)."""

    text: str
    encoding: str | None = None

    @property
    def warning(self) -> str | None:
        """The word for the warnings when the encoding was guessed (a legacy code page)."""
        if self.encoding in LOSSLESS:
            return None
        return NOT_UTF8.format(encoding=ENCODING_NAMES.get(self.encoding, self.encoding))


class DecodeProblem(ValueError):
    """The bytes are not text evidencegen can read: ``message`` says why, ``line`` where."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


def decode(raw: bytes) -> Decoded:
    """The text of a file's bytes: by its byte order mark, else UTF-8, else a legacy
    single-byte encoding recognised by charset-normalizer (Windows-1252 preferred among
    the candidates, as British notes are written in it). Raises ``DecodeProblem``."""
    for mark, encoding in _BOMS:
        if raw.startswith(mark):
            body, codec = raw[len(mark):], encoding.removesuffix("-sig")
            try:
                text = body.decode(codec)
            except UnicodeDecodeError as exc:
                line = body[: exc.start].decode(codec, "replace").count("\n") + 1
                raise DecodeProblem(CANNOT_DECODE, line) from None
            return Decoded(text, None if encoding == "utf-8-sig" else encoding)
    try:
        return Decoded(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        first_bad = _line_of(raw, exc.start)
    if b"\x00" in raw[:8192]:
        raise DecodeProblem(BINARY)
    from charset_normalizer import from_bytes

    matches = from_bytes(raw)
    if _western(raw) or any(m.encoding == "cp1252" for m in matches):
        with suppress(UnicodeDecodeError):
            return Decoded(raw.decode("cp1252"), "cp1252")
    chosen = matches.best()
    if chosen is None or chosen.encoding.startswith(("utf", "ascii")):
        raise DecodeProblem(CANNOT_DECODE, first_bad)
    try:
        return Decoded(raw.decode(chosen.encoding), chosen.encoding)
    except (UnicodeDecodeError, LookupError):
        raise DecodeProblem(CANNOT_DECODE, first_bad) from None


def _western(raw: bytes) -> bool:
    """English text with a few accented letters or pound signs: bytes outside ASCII come
    alone or in pairs, each a letter or symbol in Windows-1252 (a short note gives
    charset-normalizer too little to go on, and "£5" must not become "Ł5"; Cyrillic or
    Greek text comes in runs, and is left to charset-normalizer)."""
    high = [b for b in raw if b >= 0x80]
    return len(high) * 3 <= len(raw) and not _HIGH_RUN.search(raw) and all(
        b >= 0xA0 or b in _CP1252_PUNCTUATION for b in high)


_HIGH_RUN = re.compile(rb"[\x80-\xff]{3}")
_CP1252_PUNCTUATION = {0x80, 0x85, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97, 0x99}  # € … ‘ ’ “ ” – — ™


def _line_of(raw: bytes, offset: int) -> int:
    return raw[:offset].count(b"\n") + 1
