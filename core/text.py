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
