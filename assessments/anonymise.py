"""Masking a facility's own identifying text in an option's description before the option is
shown as a library example to every user (assessments.library).

What is masked: the facility's name (in full, and without its legal form when at least two words
remain, with any legal form written before it), its tax code (the 10 digits, with the -NNN branch
when it has one, spaces, dots or dashes between the digits allowed), its address line, its contact
person's name (at least two words), phone numbers and e-mail. Matching is on the folded text
(core.text.fold: case, tone marks wherever they sit, NFC or NFD, runs of spaces), and what is
replaced is the original span, so the rest of the description stays exactly as written."""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.text import fold

# Legal forms written before a name, folded ("Công ty TNHH MTV" -> "cong ty tnhh mtv"): an
# organisation kind, then optionally its liability kind and its members.
_LEGAL_FORM = (
    r"(?:chi nhanh|tong cong ty|cong ty|cty|ctcp|ctct|hop tac xa|htx|doanh nghiep tu nhan|dntn)"
    r"(?: (?:tnhh|trach nhiem huu han|co phan|cp|hop danh))?"
    r"(?: (?:mtv|1tv|mot thanh vien|2tv|hai thanh vien tro len|2 thanh vien tro len))?"
)
_LEADING_LEGAL_FORM = re.compile(_LEGAL_FORM + r"(?: |$)")
# A branch's name ends with where it is: "Chi nhánh Công ty X tại Bắc Ninh".
_BRANCH_PLACE = re.compile(r" tai .*$")
_WORDS = re.compile(r"\w+")
_GAP = r"\W+"  # between two words of a name or an address: spaces and punctuation
_DIGIT_GAP = r"[\s.\-\u2010-\u2015/]*"  # between two digits of a tax code
_PHONE_GAP = r"[\s.\-\u2010-\u2015/()]*"  # between two digits of a phone number
_PHONE_SPLIT = re.compile(r"[,;]")
_MIN_NAME_WORDS = 2
_MIN_PHONE_DIGITS = 8

NAME, TAX_CODE, ADDRESS, CONTACT, PHONE, EMAIL = (
    "name",
    "tax_code",
    "address",
    "contact",
    "phone",
    "email",
)


def _placeholders() -> dict[str, str]:
    """In the language of the request (the library text itself is data, the markers are not)."""
    return {
        NAME: _("[tên cơ sở]"),
        TAX_CODE: _("[mã số thuế]"),
        ADDRESS: _("[địa chỉ]"),
        CONTACT: _("[người liên hệ]"),
        PHONE: _("[số điện thoại]"),
        EMAIL: _("[e-mail]"),
    }


def fold_with_origins(text: str) -> tuple[str, list[int]]:
    """`fold(text)` and, for each of its characters, the index in `text` it comes from (a
    collapsed run of spaces: its first space)."""
    chars: list[str] = []
    origins: list[int] = []
    space_at = None
    for index, ch in enumerate(text or ""):
        if ch.isspace():
            if space_at is None:
                space_at = index
            continue
        decomposed = unicodedata.normalize("NFD", ch.replace("đ", "d").replace("Đ", "D"))
        piece = "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()
        if not piece:
            continue
        if space_at is not None and chars:
            chars.append(" ")
            origins.append(space_at)
        space_at = None
        chars.extend(piece)
        origins.extend([index] * len(piece))
    return "".join(chars), origins


def _words_pattern(words: list[str]) -> str:
    return _GAP.join(re.escape(word) for word in words)


def _name_cores(folded_name: str) -> list[list[str]]:
    """The words of the name without its legal form(s), and for a branch also without its place;
    only those of at least two words."""
    core = folded_name
    while match := _LEADING_LEGAL_FORM.match(core):
        if not match.end():
            break
        core = core[match.end() :]
    cores = [core]
    if folded_name.startswith("chi nhanh"):
        cores.append(_BRANCH_PLACE.sub("", core))
    found = []
    for candidate in cores:
        words = _WORDS.findall(candidate)
        if len(words) >= _MIN_NAME_WORDS and words not in found:
            found.append(words)
    return found


def _digits_pattern(digits: str, gap: str) -> str:
    return gap.join(digits)


def _phone_variants(number: str) -> set[str]:
    digits = "".join(ch for ch in number if ch in "0123456789")
    if len(digits) < _MIN_PHONE_DIGITS:
        return set()
    variants = {digits}
    if digits.startswith("0"):
        variants.add("84" + digits[1:])
    elif digits.startswith("84"):
        variants.add("0" + digits[2:])
    return variants


@dataclass(frozen=True)
class FacilityMask:
    """The patterns of one facility's identifying text, on folded text."""

    patterns: tuple[tuple[str, re.Pattern], ...]

    @classmethod
    def build(
        cls,
        *,
        name: str = "",
        tax_code: str = "",
        address: str = "",
        contact_name: str = "",
        contact_phone: str = "",
        contact_email: str = "",
    ) -> "FacilityMask":
        patterns: list[tuple[str, str]] = []
        folded_name = fold(name)
        if name_words := _WORDS.findall(folded_name):
            patterns.append((NAME, _words_pattern(name_words)))
        for core in _name_cores(folded_name):
            legal_forms = rf"(?:{_LEGAL_FORM}{_GAP})*"
            patterns.append((NAME, legal_forms + _words_pattern(core)))
        digits = "".join(ch for ch in tax_code or "" if ch in "0123456789")
        if len(digits) >= 10:
            main, branch = digits[:10], digits[10:]
            pattern = _digits_pattern(main, _DIGIT_GAP)
            if branch:
                pattern += f"(?:{_DIGIT_GAP}{_digits_pattern(branch, _DIGIT_GAP)})?"
            patterns.append((TAX_CODE, rf"(?<!\d){pattern}(?!\d)"))
        address_words = _WORDS.findall(fold(address))
        if len(address_words) >= _MIN_NAME_WORDS:
            patterns.append((ADDRESS, _words_pattern(address_words)))
        contact_words = _WORDS.findall(fold(contact_name))
        if len(contact_words) >= _MIN_NAME_WORDS:
            patterns.append((CONTACT, _words_pattern(contact_words)))
        for number in _PHONE_SPLIT.split(contact_phone or ""):
            for variant in sorted(_phone_variants(number)):
                digits_pattern = _digits_pattern(variant, _PHONE_GAP)
                patterns.append((PHONE, rf"(?<!\d)\+?{digits_pattern}(?!\d)"))
        if email := fold(contact_email):
            patterns.append((EMAIL, rf"(?<![\w.+-]){re.escape(email)}(?![\w-])"))
        compiled = []
        for kind, pattern in patterns:
            if kind in (NAME, ADDRESS, CONTACT):
                pattern = rf"(?<!\w){pattern}(?!\w)"
            compiled.append((kind, re.compile(pattern)))
        return cls(tuple(compiled))

    def mask(self, text: str) -> str:
        """`text` with every span naming the facility replaced by its placeholder."""
        if not text or not self.patterns:
            return text
        folded, origins = fold_with_origins(text)
        spans = []
        for kind, pattern in self.patterns:
            for match in pattern.finditer(folded):
                if match.end() > match.start():
                    spans.append((match.start(), match.end(), kind))
        if not spans:
            return text
        placeholders = _placeholders()
        # The longest span first where several start together; overlapping spans become one.
        spans.sort(key=lambda span: (span[0], -span[1]))
        merged: list[list] = []
        for start, end, kind in spans:
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end, kind])
        pieces, position = [], 0
        for start, end, kind in merged:
            begin = origins[start]
            finish = origins[end - 1] + 1
            # The tone marks written after the span's last letter (NFD text) belong to it.
            while finish < len(text) and unicodedata.category(text[finish]) == "Mn":
                finish += 1
            pieces.append(text[position:begin])
            pieces.append(placeholders[kind])
            position = finish
        pieces.append(text[position:])
        return "".join(pieces)
