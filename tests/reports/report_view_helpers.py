"""Shared helpers of the generated-report view tests."""

from django.core.files.base import ContentFile

from reports.models import Report

PDF_BYTES = b"%PDF-1.7\n% test report\n"


def make_report(*, state=Report.State.SUCCEEDED, fmt="pdf", by=None, **fields) -> Report:
    report = Report.objects.create(year=2018, format=fmt, state=state, requested_by=by, **fields)
    if state == Report.State.SUCCEEDED:
        report.file.save(report.download_name, ContentFile(PDF_BYTES), save=False)
        report.progress = 100
        report.save()
    return report


NARRATIVE = {
    "shortcomings": "Tỷ lệ cơ sở gửi báo cáo còn thấp.",
    "direction": "- Tập huấn cho cơ sở.",
    "recommendations": "Đề nghị Bộ Công Thương hỗ trợ kinh phí.",
}


def write_narrative(year: int = 2018, period: str = "year", province: str = "", **fields):
    """The sections staff write, all of them: a document is issued only with none left empty
    (reports.issuing.missing_sections). Write it before the draft is built."""
    from reports.models import ReportNarrative

    return ReportNarrative.objects.update_or_create(
        province=province, year=year, period_kind=period, defaults=NARRATIVE | fields
    )[0]
