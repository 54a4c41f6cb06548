"""The narrative parts of a report that staff write (ReportNarrative): plain text where blank
lines separate paragraphs and lines starting with "- " (or "* ", "• ") are bullets; a bullet's
following lines without a marker continue it. `blocks()` turns the text into what the PDF and
DOCX writers render: paragraphs and bullet lists; `placeholder()` what they write for an empty
section."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

BULLETS = ("- ", "* ", "• ", "– ")


def placeholder(*, national: bool) -> str:
    """An empty section of a document: a province's Department writes its narrative on the
    portal; the national document (Bộ Công Thương) is completed by the Ministry, which edits
    nothing on the portal, so it is not addressed to Department staff (DESIGN §2)."""
    if national:
        return _("[Bộ Công Thương bổ sung nội dung trước khi ban hành.]")
    return _("[Cán bộ Sở bổ sung nội dung trước khi ban hành.]")


@dataclass(frozen=True)
class Block:
    kind: str  # "paragraph" or "list"
    text: str = ""
    items: list[str] = field(default_factory=list)


def blocks(text: str) -> list[Block]:
    result: list[Block] = []
    lines: list[str] = []
    items: list[str] = []

    def flush_paragraph():
        if lines:
            result.append(Block("paragraph", " ".join(lines)))
            lines.clear()

    def flush_list():
        if items:
            result.append(Block("list", items=list(items)))
            items.clear()

    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush_paragraph()
            flush_list()
            continue
        marker = next((m for m in BULLETS if line.startswith(m)), None)
        if marker or line in {m.strip() for m in BULLETS}:
            flush_paragraph()
            item = line[len(marker) :].strip() if marker else ""
            if item:
                items.append(item)
        elif items:
            items[-1] = f"{items[-1]} {line}"
        else:
            lines.append(line)
    flush_paragraph()
    flush_list()
    return result
