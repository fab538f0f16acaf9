"""Read a learner folder, or one document, into notes: one module per format.

``learner`` reads a whole folder (learner.yaml, every note, feedback.yaml) or one submitted
document; ``dispatch`` sends each file to its reader by suffix: ``markdown`` for Markdown
and plain text (and .odt/.rtf, converted first), ``docx`` for Word. ``common`` holds what
they share (front matter, types from folders, dates from file names).
"""

from evidencegen.readers.dispatch import read_any, redact_note
from evidencegen.readers.feedback import RECORDS_KEY, read_feedback
from evidencegen.readers.learner import read_document, read_learner
from evidencegen.readers.markdown import read_note

__all__ = ["RECORDS_KEY", "read_any", "read_document", "read_feedback", "read_learner",
           "read_note", "redact_note"]
