"""The notes the portal itself writes beside a change: the reason in a report's or an
assessment's history ("Lưu", "Gửi duyệt", …) and the comment of a staff entry in its workflow
log. They are stored in the portal's own language whatever the language of the user who made
the change, and shown in the reader's language (English notes stored before are recognised too);
what people wrote (a return comment, a reopening reason) is shown as written."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import WorkflowEvent

STAFF_ENTRY_NOTE = _("Cán bộ Sở nhập thay cơ sở; duyệt khi lưu.")


def _notes() -> list:
    return [*(action.label for action in WorkflowEvent.Action), STAFF_ENTRY_NOTE]


def stored(note) -> str:
    """`note` (one of the notes above) as written into the database."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(note)


def _known() -> dict:
    """Every stored wording of a note (in each language) -> the note."""
    known = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            known.update({str(note): note for note in _notes()})
    return known


def shown(text: str, known: dict | None = None) -> str:
    """A stored note in the active language; any other text unchanged."""
    if not text:
        return text
    note = (known if known is not None else _known()).get(text)
    return str(note) if note is not None else text


def with_shown_reasons(entries: list[dict]) -> list[dict]:
    """core.history entries with the portal's own reasons in the active language."""
    known = _known()
    for entry in entries:
        entry["reason"] = shown(entry["reason"], known)
    return entries
