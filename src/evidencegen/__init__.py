"""evidencegen: portfolio evidence documents for Unit 435 of the Level 4 Diploma in Adult Care."""

__version__ = "0.1.0"
