"""The fingerprint of a document's content (DESIGN §5: issuing freezes the reviewed draft).

A draft keeps the SHA-256 of what it says (`Report.content_sha256`); issuing rebuilds the
document with its number, date, signer and recipients and refuses it when the rest no longer has
that fingerprint (reports/generation.py `ContentChanged`)."""

import hashlib
import json
from dataclasses import fields, is_dataclass
from datetime import date
from decimal import Decimal

from django.utils.functional import Promise

from .content import ReportContent

# What issuing records and writes into the document (reports/issuing.py): the heading (number,
# date, and the issuing bodies and place of that date), the signer, the province named among the
# usual recipients (that of the date) and the recipients. Everything else is what staff reviewed.
ISSUE_FIELDS = frozenset({"heading", "signer", "province", "issued_recipients"})


def fingerprint(content: ReportContent) -> str:
    """The SHA-256 of what `content` says — figures, tables, narrative, annex — leaving out
    `ISSUE_FIELDS`: a draft's and its issued document's are equal exactly when the document
    says what the draft said (DESIGN §5: issuing adds only its number, date, signer and
    recipients)."""
    said = {f.name: _canonical(getattr(content, f.name)) for f in fields(content)}
    for name in ISSUE_FIELDS:
        del said[name]
    text = json.dumps(said, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


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
