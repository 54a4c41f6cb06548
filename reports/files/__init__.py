"""Builders of the generated report files (XLSX, PDF, DOCX) from one gathered content."""
