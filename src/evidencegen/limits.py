"""How much work one input may cause: size limits per file, read from the environment.

A note is a few pages and a Word file a few megabytes; anything far larger is a mistake or
an attack, and is refused with one line naming the file before it is parsed. Each limit can
be changed by an environment variable (documented in docs/limits.md), which also reaches
the worker processes of ``batch``.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from evidencegen.errors import EvidencegenError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limit:
    """One limit: its environment variable, its default and what it bounds."""

    variable: str
    default_mb: float
    what: str

    def megabytes(self) -> float:
        """The limit in force, in MB: the environment's value, else the default."""
        raw = os.environ.get(self.variable, "").strip()
        if not raw:
            return self.default_mb
        try:
            value = float(raw)
        except ValueError:
            raise EvidencegenError(f"{self.variable}={raw!r} is not a number of megabytes "
                                   f"(the default is {self.default_mb:g})") from None
        if not 0 < value <= 4096:
            raise EvidencegenError(f"{self.variable}={raw!r} should be between 0 and 4096 "
                                   "megabytes")
        return value

    def bytes(self) -> int:
        return int(self.megabytes() * MB)

    def label(self) -> str:
        """The limit for a message: "0.5 MB"."""
        return f"{self.megabytes():g} MB"


NOTE = Limit("EVIDENCEGEN_MAX_NOTE_MB", 0.5, "a text or Markdown note, or learner.yaml")
DOCUMENT = Limit("EVIDENCEGEN_MAX_DOCUMENT_MB", 50, "a .docx, .odt or .rtf file as stored")
UNPACKED = Limit("EVIDENCEGEN_MAX_UNPACKED_MB", 200,
                 "everything inside a .docx or .odt file, unpacked")
PART = Limit("EVIDENCEGEN_MAX_PART_MB", 20,
             "one part of a .docx or .odt (its text, styles...), unpacked")
IMAGE = Limit("EVIDENCEGEN_MAX_IMAGE_MB", 20, "one image inside a .docx or .odt, unpacked")
ALL = (NOTE, DOCUMENT, UNPACKED, PART, IMAGE)
MAX_MEMBERS = 10_000  # a Word file has a few dozen parts
_CHUNK = 64 * 1024
_IMAGE_DIRS = ("word/media/", "Pictures/", "media/")
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # ... name length, extra length


def too_large(limit: Limit, what: str) -> str:
    """The message for a file over a limit, saying how to raise it."""
    return (f"{what} is larger than {limit.label()}; refused (the limit is set by "
            f"{limit.variable}, see docs/limits.md)")


def check_zip(path: Path, kind: str, error: Callable[[str, Path], EvidencegenError]) -> None:
    """Inflate every member of a .docx/.odt as a stream, counting the bytes as they come.

    The sizes a zip's headers claim are never trusted: each member's compressed bytes are
    inflated here in bounded chunks, so a file that says a part is 1 KB but inflates to
    1 GB is stopped once the running count passes the limit, having held one chunk in
    memory. A member that inflates to another size than it claims is refused too, so what
    python-docx reads afterwards is exactly what was counted. Raises ``error(message, path)``.
    """
    part_max, image_max, total_max = PART.bytes(), IMAGE.bytes(), UNPACKED.bytes()
    total = 0
    with zipfile.ZipFile(path) as zf, path.open("rb") as raw:
        members = zf.infolist()
        if len(members) > MAX_MEMBERS:
            raise error(f"this {kind} file holds {len(members):,} parts (a real one holds a "
                        "few dozen); refused", path)
        for info in members:
            if info.is_dir():
                continue
            image = info.filename.startswith(_IMAGE_DIRS)
            limit, cap = (IMAGE, image_max) if image else (PART, part_max)
            size = 0
            for chunk in _inflate(raw, info, kind, path, error):
                size += len(chunk)
                total += len(chunk)
                if size > cap:
                    what = "an image" if image else "a part"
                    raise error(too_large(limit, f"{what} of this {kind} file "
                                          f"({info.filename}) unpacked"), path)
                if total > total_max:
                    raise error(too_large(UNPACKED, f"this {kind} file unpacked"), path)
            if size != info.file_size:
                raise error(f"this {kind} file is damaged: its part {info.filename} is not the "
                            "size it claims; save it again from your word processor", path)


def _inflate(raw: BinaryIO, info: zipfile.ZipInfo, kind: str, path: Path,
             error: Callable[[str, Path], EvidencegenError]) -> Iterator[bytes]:
    """A member's content in chunks of at most 64 KB, read from its compressed bytes."""
    raw.seek(info.header_offset)
    header = raw.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise error(f"this {kind} file is damaged (a part's header is missing); save it "
                    "again from your word processor", path)
    fields = _LOCAL_HEADER.unpack(header)
    raw.seek(fields[-2] + fields[-1], 1)  # the name and the extra field
    left = info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        while left > 0 and (chunk := raw.read(min(_CHUNK, left))):
            left -= len(chunk)
            yield chunk
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise error(f"this {kind} file uses a kind of compression word processors do not "
                    "write; save it again from your word processor", path)
    inflater = zlib.decompressobj(-15)
    while left > 0 and not inflater.eof:
        data = raw.read(min(_CHUNK, left))
        if not data:
            break
        left -= len(data)
        while data and not inflater.eof:
            try:
                out = inflater.decompress(data, _CHUNK)
            except zlib.error:
                raise error(f"this {kind} file is damaged (a part cannot be unpacked); save "
                            "it again from your word processor", path) from None
            data = inflater.unconsumed_tail
            if out:
                yield out
    while not inflater.eof and (out := inflater.decompress(b"", _CHUNK)):
        yield out
