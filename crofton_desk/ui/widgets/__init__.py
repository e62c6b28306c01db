"""Widgets shared by several windows: form checks and errors, date fields, the PDF preview."""
