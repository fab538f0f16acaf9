"""OpenDocument (.odt) and Rich Text (.rtf) notes, converted to Markdown by pandoc.

Learners write in LibreOffice, Google Docs and WordPad as well as Word. Rather than keep a
reader for each format, pandoc (shipped on PyPI by pypandoc-binary) turns such a file into
Markdown, which is then read like any Markdown note: headings, lists, bold labels and
tables survive. Line numbers in messages and citations are lines of the converted text,
where each paragraph is one line, since the original file has no lines a learner could find.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

from evidencegen.errors import NoteError
from evidencegen.limits import DOCUMENT, check_zip, too_large

TIMEOUT_SECONDS = 60
CONVERTED = {".odt": "odt", ".rtf": "rtf"}
_NAMES = {".odt": ".odt (OpenDocument text)", ".rtf": ".rtf (Rich Text)"}
_ODT_TYPE = b"application/vnd.oasis.opendocument.text"
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)|\\\[image: [^\]\n]*\\\]")
# pandoc writes RTF lists as paragraphs that start with the bullet character
_BULLET_PARAGRAPH = re.compile(r"^[\u2022\u25e6\u25aa\u2023\u2013]\s+", re.MULTILINE)


def _check_file(path: Path, suffix: str) -> None:
    """Refuse what is too large, not the format its name says, or a zip bomb."""
    name = _NAMES[suffix]
    try:
        if path.stat().st_size > DOCUMENT.bytes():
            raise NoteError(too_large(DOCUMENT, f"this {name} file"), path)
        if suffix == ".rtf":
            with path.open("rb") as fh:
                if not fh.read(5).startswith(b"{\\rtf"):
                    raise NoteError("this file is not in Rich Text format; save it again "
                                    "from your word processor", path)
            return
        check_zip(path, name, NoteError)  # streamed, never trusting the sizes it claims
        with zipfile.ZipFile(path) as zf:
            if zf.read("mimetype").strip() != _ODT_TYPE or "content.xml" not in zf.namelist():
                raise NoteError("this is not an OpenDocument text document (a spreadsheet or "
                                "a presentation?); save it again as a text document", path)
    except NoteError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        raise NoteError(f"cannot open this {name} file ({type(exc).__name__}); save it again "
                        "from your word processor", path) from None


def _pandoc() -> str:
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError) as exc:
        raise NoteError(f".odt and .rtf notes need pandoc, which is missing ({exc}); "
                        "reinstall evidencegen, or save the note as .docx") from None


def to_markdown(path: Path) -> str:
    """The note as Markdown (GitHub's dialect, pipe tables, no raw HTML, no images)."""
    suffix = path.suffix.lower()
    _check_file(path, suffix)
    command = [_pandoc(), "--sandbox", "--from", CONVERTED[suffix], "--to", "gfm-raw_html",
               "--wrap=none", "--", str(path)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS,
                              check=False)
    except subprocess.TimeoutExpired:
        raise NoteError(f"converting this {_NAMES[suffix]} file took more than "
                        f"{TIMEOUT_SECONDS} seconds; save it as .docx instead", path) from None
    except OSError as exc:
        raise NoteError(f"cannot run pandoc to read this file: {exc.strerror}", path) from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").replace(str(path), path.name)
        why = " ".join(said.split())[:200] or "pandoc could not read it"
        raise NoteError(f"cannot read this {_NAMES[suffix]} file ({why}); save it again "
                        "from your word processor", path)
    text = done.stdout.decode("utf-8", "replace")
    text = _IMAGE.sub("", text)  # images are never loaded, and embedded ones are huge
    return _BULLET_PARAGRAPH.sub("- ", text) if suffix == ".rtf" else text
