"""The notes the portal itself writes beside a change: the reason of a history record ("Lưu",
"Nhập từ tệp bao-cao.csv", …) and the comment of a workflow event. They are stored in the
portal's own language (settings.LANGUAGE_CODE) whatever the language of the user who made the
change, and shown in the reader's language; notes stored in another language before are
recognised too. A note may carry parameters ("Nhập từ tệp %(name)s"): a stored text is matched
against each language's wording of the note, and shown in the reader's language with the same
parameters. What people wrote (a return comment, a reopening reason) is shown as written.

The notes of the apps above `core` are registered here (`register`, from the app's own notes
module, e.g. assessments/history_notes.py); the ones several apps write are defined here."""

import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .sheet_files import EXTENSIONS

_PARAMETER = re.compile(r"%\((\w+)\)s")
ANY_VALUE = ".+"

# (note, {parameter: the regular expression its values match}), in the order registered.
_registered: list[tuple] = []


def register(*notes, **patterns) -> None:
    """Make `notes` (lazy translations) recognised when shown. A note's %(name)s parameters match
    any text unless `patterns` narrows them (name=regular expression), so that what people
    wrote is less likely to pass for the note."""
    for note in notes:
        if all(note is not known for known, _patterns in _registered):
            _registered.append((note, patterns))


# The facility and the annual report imports (the web page and the commands): the file's name
# (with an extension an import accepts) or "-".
FILE_IMPORT = _("Nhập từ tệp %(name)s")
_SUFFIXES = "|".join(re.escape(extension) for extension in EXTENSIONS)
FILE_NAME = rf"[^\n]*(?i:{_SUFFIXES})|-"
register(FILE_IMPORT, name=FILE_NAME)


def stored(note, **params) -> str:
    """`note` as written into the database, with its parameters filled in."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(note)
    return text % params if params else text


def _pattern(wording: str, patterns: dict) -> re.Pattern:
    """A regular expression matching `wording` with a value in place of each %(name)s."""
    parts, seen = [], set()
    pieces = _PARAMETER.split(wording)  # literal, name, literal, name, …, literal
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            parts.append(re.escape(piece.replace("%%", "%")))
        elif piece in seen:
            parts.append(f"(?P={piece})")
        else:
            seen.add(piece)
            parts.append(f"(?P<{piece}>{patterns.get(piece, ANY_VALUE)})")
    return re.compile("".join(parts), re.DOTALL)


class Known:
    """Every stored wording of the registered notes, in each of the portal's languages."""

    def __init__(self):
        self.exact: dict = {}
        self.patterns: list = []
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                for note, patterns in _registered:
                    wording = str(note)
                    if _PARAMETER.search(wording):
                        self.patterns.append((_pattern(wording, patterns), note))
                    else:
                        self.exact.setdefault(wording, note)

    def shown(self, text: str) -> str:
        """`text` in the active language if it is a note the portal wrote; else unchanged."""
        if not text:
            return text
        note = self.exact.get(text)
        if note is not None:
            return str(note)
        for pattern, note in self.patterns:
            match = pattern.fullmatch(text)
            if match:
                return str(note) % match.groupdict()
        return text


def shown(text: str, known: Known | None = None) -> str:
    """A stored note in the active language; any other text unchanged."""
    return (known or Known()).shown(text)


def with_shown_reasons(entries: list[dict]) -> list[dict]:
    """History entries (core.history) with the portal's own reasons in the active language."""
    known = Known()
    for entry in entries:
        entry["reason"] = known.shown(entry["reason"])
    return entries
