"""Vietnamese alphabetical order for sorting names: a ă â b c d đ e ê … o ô ơ … u ư …, tones after
the letter ("Đ" after "D", not after "Z" as a byte order puts it).

PostgreSQL sorts with its ICU collation `vi-x-icu`; SQLite (the embedded default) gets a
collation of the same name registered on every connection (`register_sqlite_collation`), so
`order_by(vietnamese("name"))` reads the same on both."""

import unicodedata

from django.db.models import F
from django.db.models.functions import Collate

COLLATION = "vi-x-icu"

# Letters in Vietnamese dictionary order; the Latin letters Vietnamese does not use (f, j, w, z)
# sit where the Latin alphabet puts them, for foreign names.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}
# Letter-forming marks (breve, circumflex, horn) and tone marks in their dictionary order:
# none, huyền, hỏi, ngã, sắc, nặng.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def sort_key(text: str) -> tuple:
    """Letters first (case and tones aside), then tones, then case: ICU's Vietnamese order."""
    letters, tones, cases = [], [], []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        letter = unicodedata.normalize(
            "NFC", base.lower() + "".join(m for m in marks if m in _LETTER_MARKS)
        )
        if letter == "\u0111" or base in "\u0110\u0111":  # đ, Đ
            letter = "đ"
        tone = next((_TONES[m] for m in marks if m in _TONES), 0)
        rank = _RANK.get(letter)
        # Spaces, digits and punctuation before letters, as ICU puts them.
        letters.append((1, rank) if rank is not None else (0, ord(letter[0])))
        tones.append(tone)
        cases.append(0 if base.islower() or not base.isalpha() else 1)
    return (letters, tones, cases)


def _compare(left: str, right: str) -> int:
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)


def _lower(text):
    return text.lower() if isinstance(text, str) else text


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    """connection_created receiver: SQLite learns the collation PostgreSQL's ICU provides, and a
    LOWER() that lowers every letter as PostgreSQL's does (SQLite's own lowers ASCII only: "TẤN"
    would not equal "tấn")."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, _compare)
        connection.connection.create_function("LOWER", 1, _lower, deterministic=True)


def vietnamese(field: str, descending: bool = False, *, nulls_last: bool | None = None):
    """An order_by() term sorting `field` in Vietnamese alphabetical order."""
    term = Collate(F(field), COLLATION)
    return term.desc(nulls_last=nulls_last) if descending else term.asc(nulls_last=nulls_last)


def vietnamese_sql(column: str) -> str:
    """`column` of a raw SQL ORDER BY sorted in Vietnamese alphabetical order (as `vietnamese`)."""
    return f'{column} COLLATE "{COLLATION}"'
