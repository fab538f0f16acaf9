"""Rendering: one Jinja2 template source per criterion, laid out as PDF and as DOCX."""
