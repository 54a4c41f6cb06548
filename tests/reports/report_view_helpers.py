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
