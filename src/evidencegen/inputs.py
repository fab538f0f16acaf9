"""What in a learner folder is a note, and the facts about it that the judgement depends on.

Nothing in the folder is skipped silently: a file that is not read (a .pdf, a photo, a
.doc) and a note that counts for nothing (empty, still the example from 'evidencegen init',
a document evidencegen made itself) each leave a warning, so a learner is never left
wondering why her work does not show.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path

from evidencegen.errors import EvidencegenError, LearnerError, NoteError
from evidencegen.limits import NOTE, too_large
from evidencegen.schema import LEARNER_VERBATIM, LearnerFile, validate
from evidencegen.yamlio import load_yaml

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
        encoding = self.encoding or ""
        return NOT_UTF8.format(encoding=ENCODING_NAMES.get(encoding, encoding))


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


# Reading text files: the decoded text of a note or learner.yaml, cleaned and bounded.
MAX_LINE_CHARS = 20_000  # a paragraph of 20,000 characters is already 3,000 words
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def read_text(path: Path, error: type[EvidencegenError] = NoteError) -> str:
    """A text file's text, in whatever encoding it was saved (see ``inputs.decode``)."""
    return read_decoded(path, error).text


def read_decoded(path: Path, error: type[EvidencegenError] = NoteError
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
               error: type[EvidencegenError] = NoteError) -> str:
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


def inside(path: Path, folder: Path, error: type[EvidencegenError]) -> None:
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
    inside(path, folder, LearnerError)
    text = read_text(path, LearnerError)
    data, lines = load_yaml(text, path, LearnerError, verbatim=LEARNER_VERBATIM)
    if data is None:
        raise LearnerError("learner.yaml is empty: it needs at least name and learner_id", path)
    return validate(LearnerFile, data, lines, path, LearnerError)
