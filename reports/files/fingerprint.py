"""The fingerprint of a document's content (DESIGN §5: issuing freezes the reviewed draft).

A draft keeps the SHA-256 of what it says (`Report.content_sha256`); issuing rebuilds the
document with its number, date, signer and recipients and refuses it when the rest no longer has
that fingerprint (reports/generation.py `ContentChanged`).

A draft also keeps the fingerprint of the figures its file holds (`Report.figures_sha256`,
`figures_fingerprint`): the pages mark a draft whose figures changed, and tell it apart from one
whose staff-written text alone changed (reports/staleness.py). The XLSX holds no text: its
figures are all it says."""

import hashlib
import json
from dataclasses import fields, is_dataclass
from datetime import date
from decimal import Decimal

from django.utils.functional import Promise

from reports.models import Report

from .content import ReportContent
from .sheets import facility_rows, option_sheet_rows

# What issuing records and writes into the document (reports/issuing.py): the heading (number,
# date, and the issuing bodies and place of that date), the signer, the province named among the
# usual recipients (that of the date) and the recipients. Everything else is what staff reviewed.
ISSUE_FIELDS = frozenset({"heading", "signer", "province", "issued_recipients"})

# What staff write (reports.narrative), printed by the PDF and Word only.
TEXT_FIELDS = frozenset({"narrative"})

# What the XLSX writes of the content (reports/files/xlsx.py), besides its long lists
# (facilities, options), which it reads itself (reports/files/sheets.py) and `figures_fingerprint`
# reads too. Keep in step with the writer: a field it starts writing belongs here.
XLSX_FIELDS = frozenset(
    {
        "year",
        "title",
        "indicators",
        "computed_codes",
        "by_place",
        "by_sector",
        "priority",
        "figures_province",
    }
)


def fingerprint(content: ReportContent) -> str:
    """The SHA-256 of what `content` says — figures, tables, narrative, annex — leaving out
    `ISSUE_FIELDS`: a draft's and its issued document's are equal exactly when the document
    says what the draft said (DESIGN §5: issuing adds only its number, date, signer and
    recipients)."""
    return hashlib.sha256(_said(content, ISSUE_FIELDS).encode()).hexdigest()


def figures_fingerprint(content: ReportContent, fmt: str) -> str:
    """The SHA-256 of the figures a file of format `fmt` holds: for the PDF and Word everything
    `fingerprint` covers but the staff-written text (`TEXT_FIELDS`); for the XLSX what it writes
    (`XLSX_FIELDS`) and its long lists of facilities and options, row by row — so a change the
    workbook does not show (the narrative, the activities, the statistics office's count) leaves
    it alone."""
    if fmt != Report.Format.XLSX:
        return hashlib.sha256(_said(content, ISSUE_FIELDS | TEXT_FIELDS).encode()).hexdigest()
    left_out = {f.name for f in fields(content)} - XLSX_FIELDS
    digest = hashlib.sha256(_said(content, left_out).encode())
    province = content.figures_province
    for sheet in (facility_rows(content.year, province), option_sheet_rows(content.year, province)):
        digest.update(b"\0")
        for row in sheet:
            digest.update(_dump(_canonical(row)).encode() + b"\n")
    return digest.hexdigest()


def _said(content: ReportContent, left_out) -> str:
    """The canonical text of `content` without the fields named in `left_out`."""
    said = {
        f.name: _canonical(getattr(content, f.name))
        for f in fields(content)
        if f.name not in left_out
    }
    return _dump(said)


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _canonical(value):
    """`value` as plain JSON data, the same for the same content whatever built it."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal | Promise):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return [
            [str(key), _canonical(item)]
            for key, item in sorted(value.items(), key=lambda kv: str(kv[0]))
        ]
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    # A new kind of field must say how it is compared, rather than be left out silently.
    raise TypeError(f"fingerprint: cannot compare a {type(value).__name__}")
