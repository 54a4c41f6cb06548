import re
import unicodedata
from decimal import Decimal

from django.db import models
from openpyxl.cell import WriteOnlyCell


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


def fold(value: str) -> str:
    """Lower-case, accent-free form of Vietnamese text for search ("Hải Dương" -> "hai duong")."""
    decomposed = unicodedata.normalize("NFD", (value or "").replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


class NFCCharField(models.CharField):
    """A CharField whose value is stored in Unicode NFC with outer whitespace stripped."""

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = nfc(value)
            setattr(model_instance, self.attname, value)
        return value


# Text as the XML of XLSX and DOCX files can hold it. XML 1.0 (and so openpyxl and python-docx)
# refuses most C0 control characters, lone surrogates and U+FFFE/U+FFFF; a facility name or a
# narrative pasted from another program may carry one, and a single such character would make the
# whole file fail. `printable` drops them, turning a vertical tab or form feed (old spreadsheets'
# line breaks) into a line break. Everything else (formula characters, markup, quotes, emoji) is
# kept as written: the writers escape or quote it.
# Not allowed in XML 1.0: every C0 control but tab, LF and CR; surrogates; U+FFFE and U+FFFF.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def printable(value):
    """`value` without the characters XML cannot hold; a value other than text unchanged."""
    if not isinstance(value, str):
        return value
    if value.isprintable():  # most text: every character it removes is not printable
        return value
    return _ILLEGAL.sub("", value.translate(_LINE_BREAKS))


def xlsx_cell(sheet, value):
    """`value` ready for a write-only `sheet.append`, by the one rule of every XLSX export: text
    without the characters a worksheet cannot hold (`printable`); text that a spreadsheet would
    take for a formula (core.spreadsheets.looks_like_formula) as a text cell with Excel's quote
    prefix — the value unchanged, no "'" added, and Excel keeps it as text when the cell is
    edited; a Decimal as a number (whole: int); anything else (a number, a date, a cell already
    made) as it is. (A CSV has no quote prefix: it writes escape_formula's "'" instead.)"""
    from .spreadsheets import looks_like_formula  # core.spreadsheets imports this module

    value = printable(value)
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral() else int(value)
    if looks_like_formula(value):
        text = WriteOnlyCell(sheet, value=value)
        text.data_type = "s"
        text.quotePrefix = True
        return text
    return value


# Form input (core.forms.PlainTextMixin): a C0 control character typed or pasted into a form is
# never meant; a single-line field's line breaks and tabs (pasted from a document) are a space.
_LINE_BREAK_RUN = re.compile(r"[ \t]*[\t\n\r\x85\u2028\u2029]+[ \t]*")


def multi_line_text(value: str) -> str:
    """Text of a multi-line field: without the control characters (`printable`), tab, line
    feed and carriage return kept; a vertical tab or form feed becomes a line break."""
    return printable(value)


def single_line_text(value: str) -> str:
    """Text of a single-line field: without control characters, its line breaks and tabs (each
    run, with the spaces around it) one space."""
    return _LINE_BREAK_RUN.sub(" ", printable(value))
