"""Issue 17 points 3 and 4: a facility's own progress page and its one-page PDF summary (the
facility's users, staff and officials; another facility's user gets 404), and the staff's
benchmark tables by sector with the target list for assessments (staff and officials; 403 to
facility users), as a page and as XLSX."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from accounts.access import staff_or_official_required
from assessments import library
from core import audit
from facilities.access import get_facility_for_user

from ..files.score_xlsx import score_xlsx
from ..progress import facility_progress as progress_of
from ..progress_pdf import RETRY_AFTER_SECONDS, RenderBusy, summary_pdf
from ..score_forms import ScoreYearForm
from ..sector_scores import (
    BOTTOM_QUARTILE_MAX,
    band_labels,
    band_ranges,
    scope_name,
    score_years,
    sector_scores,
)

SECTOR_EXAMPLES = 10  # as on the assessment form: the ten most relevant library examples
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def facility_progress(request, pk):
    facility = get_facility_for_user(request, pk)
    progress = progress_of(facility)
    division = facility.industry.division_code if facility.industry_id else ""
    context = {
        "facility": facility,
        "progress": progress,
        "chart": progress.chart(),
        "library_division": division,
        "library_examples": library.examples(division, limit=SECTOR_EXAMPLES) if division else [],
    }
    return render(request, "reports/facility_progress.html", context)


@login_required
def facility_progress_pdf(request, pk):
    facility = get_facility_for_user(request, pk)
    progress = progress_of(facility)
    if not progress.has_approved_report:
        context = {"facility": facility}
        return render(request, "reports/progress_pdf_unavailable.html", context, status=404)
    try:
        content = summary_pdf(progress, request.user.pk)
    except RenderBusy:  # one render at a time per user (reports.progress_pdf)
        context = {"facility": facility}
        busy = render(request, "reports/progress_pdf_busy.html", context, status=429)
        busy["Retry-After"] = str(RETRY_AFTER_SECONDS)
        busy["Cache-Control"] = "private, no-store"
        return busy
    filename = f"ket-qua-sxsh-{facility.tax_code}.pdf"
    return _download(content, "application/pdf", filename)


def _chosen_year(request):
    """(year, years, None), or (None, years, a 400 response) for a year without approved
    reports; the year is the latest with approved reports unless one is asked for."""
    years = score_years()
    form = ScoreYearForm(request.GET if "year" in request.GET else None, years=years)
    if form.is_bound and not form.is_valid():
        page = render(request, "reports/bad_score_year.html", {"years": years}, status=400)
        return None, years, page
    year = (form.cleaned_data["year"] if form.is_bound else None) or (years[0] if years else None)
    return year, years, None


@staff_or_official_required
def sector_score_table(request):
    year, years, error = _chosen_year(request)
    if error:
        return error
    context = {
        "form": ScoreYearForm(initial={"year": year}, years=years),
        "year": year,
        "scores": sector_scores(year, request.user) if year else None,
        "bands": list(zip(band_ranges(), band_labels(), strict=True)),
        "bottom_max": BOTTOM_QUARTILE_MAX,
        "scope_name": scope_name(request.user),
    }
    return render(request, "reports/sector_scores.html", context)


@staff_or_official_required
def sector_score_export(request):
    year, _years, error = _chosen_year(request)
    if error:
        return error
    if year is None:
        return render(request, "reports/bad_score_year.html", {"years": []}, status=404)
    content = score_xlsx(sector_scores(year, request.user))
    # Each facility's tax code, name, address and score leave the portal: the audit log.
    audit.record(
        request, audit.Action.BENCHMARK_EXPORT, target="sector_scores", format="xlsx", year=year
    )
    return _download(content, XLSX, f"diem-hieu-qua-nang-luong-{year}.xlsx")
