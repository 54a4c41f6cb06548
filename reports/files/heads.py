"""The names the PDF and DOCX give the computed indicators in their breakdown tables."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from .content import ReportContent

# Short Vietnamese column heads of the computed indicators in the breakdown tables (the PDF and
# DOCX never print the internal codes; the XLSX keeps them).
SHORT_NAMES = {
    "AWARE_PCT": gettext_lazy("Nhận thức SXSH (%)"),
    "APPLY_PCT": gettext_lazy("Áp dụng SXSH (%)"),
    "SAVING_PCT": gettext_lazy("Tiết kiệm NL bình quân (%)"),
    "ENT_UNIT_PCT": gettext_lazy("DN vừa và lớn có bộ phận SXSH (%)"),
}


def short_name(code: str, name: str = "") -> str:
    return str(SHORT_NAMES.get(code, name or code))


def breakdown_heads(content: "ReportContent") -> list[str]:
    """The column heads of the computed indicators in the PDF's and DOCX's breakdown tables:
    the short name, else the plan's name with its unit (never the code, DESIGN §5)."""
    rows = [row for row in content.indicators if row.computed]
    return [short_name(r.code, f"{r.name} ({r.unit})" if r.unit else r.name) for r in rows]
