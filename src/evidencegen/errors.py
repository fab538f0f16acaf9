"""The exceptions evidencegen raises, each naming the file (and line) the user must fix.

The core never prints or exits: it raises one of these, and the CLI turns it into one line
and an exit code in a single place (``cli.main``).
"""

from __future__ import annotations

from pathlib import Path


class EvidencegenError(Exception):
    """Base class: something the user can fix. ``exit_code`` 2 means bad input or usage."""

    exit_code = 2

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


class LearnerError(EvidencegenError):
    """Raised when a learner folder or its learner.yaml cannot be used."""


class NoteError(EvidencegenError):
    """Raised when a note cannot be read: not UTF-8, broken front matter, a bad field."""


class CriteriaError(EvidencegenError):
    """Raised when a criteria file is malformed or a criterion id is unknown."""


class TemplateError(EvidencegenError):
    """Raised when a document template has a syntax error or uses an undefined value."""


class OutputError(EvidencegenError):
    """Raised when the output folder cannot be created or written to."""


class PrivacyError(EvidencegenError):
    """Raised under --strict-privacy when notes hold personal data of real people."""


class RenderError(EvidencegenError):
    """Raised when a document could not be laid out (a bug or a broken template)."""
