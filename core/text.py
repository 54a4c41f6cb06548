import re
import unicodedata

from django.db import models


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
    return _ILLEGAL.sub("", value.translate(_LINE_BREAKS))
