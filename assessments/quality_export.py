"""The XLSX file of the open data-quality findings (the findings page's export): one row per
finding, by rule, then facility (Vietnamese order), year and id.

Written for some ten thousand findings in a request, so it reads plain values (`values_list`)
instead of seven model instances a row, writes each label (rule name, severity, report state)
once per distinct value; each cell goes through core.text.xlsx_cell, the one rule of every
XLSX export. The values are the model properties' (`QualityRule.display_name`,
`QualityFinding.severity_label` and `display_message`, `AnnualReport.get_state_display`)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.collation import vietnamese
from core.text import xlsx_cell
from facilities.territory import unit_label

from .models import SEVERITY_LABELS, AnnualReport, QualityRule
from .quality_messages import render_message

SHEET = "PhatHien"
FIELDS = (
    "rule_id",
    "severity",
    "report__year",
    "report__facility__name",
    "report__facility__tax_code",
    "district_name",
    "report__facility__ward__name",
    "report__facility__industry__code",
    "params",
    "message",
    "report__state",
    "created_at",
    "report_id",
)


def _headers() -> list[str]:
    return [
        _("Mã quy tắc"),
        _("Quy tắc"),
        _("Mức độ"),
        _("Năm"),
        _("Cơ sở"),
        _("Mã số thuế"),
        _("Huyện (trước 2025)"),
        _("Xã/phường (từ 1/7/2025)"),
        _("Ngành (VSIC)"),
        _("Nội dung"),
        _("Trạng thái báo cáo"),
        _("Phát hiện lúc"),
        _("Đường dẫn"),
    ]


def findings_xlsx(findings, *, report_url) -> bytes:
    """The file of `findings` (a QualityFinding queryset); `report_url(pk)` is the address of a
    report's page written in the last column."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    sheet.append(_headers())
    rules = {rule.pk: (rule.code, rule.display_name) for rule in QualityRule.objects.all()}
    severities = {key: str(label) for key, label in SEVERITY_LABELS.items()}
    states = {key: str(label) for key, label in AnnualReport._meta.get_field("state").flatchoices}
    zone = timezone.get_current_timezone()
    rows = (
        findings.annotate(district_name=unit_label("report__facility__commune__parent"))
        .order_by("rule_id", vietnamese("report__facility__name"), "report__year", "pk")
        .values_list(*FIELDS)
    )
    for row in rows.iterator(chunk_size=2000):
        (rule_id, severity, year, name, tax_code, district, ward, industry) = row[:8]
        (params, message, state, created_at, report_id) = row[8:]
        code, rule_name = rules[rule_id]
        values = (
            code,
            rule_name,
            severities.get(severity, severity),
            year,
            name,
            tax_code,
            district or "",
            ward or "",
            industry or "",
            render_message(params) or message,
            states.get(state, state),
            created_at.astimezone(zone).strftime("%d/%m/%Y %H:%M"),
            report_url(report_id),
        )
        sheet.append([xlsx_cell(sheet, value) for value in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
