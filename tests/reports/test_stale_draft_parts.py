"""What a draft's mark says changed, and which drafts a change marks (reports/staleness.py,
`Report.staleness`): a draft keeps the fingerprint of the figures its file holds besides that of
its whole content, so
- a changed narrative (the text staff write at /reports/files/narrative/) marks the PDF and Word
  drafts, saying the text changed — not the figures —, and leaves the XLSX alone (it holds no
  text: built again it is the same);
- changed figures (a report approved, a facility renamed in the XLSX's list) mark every format,
  saying the figures changed;
- a draft built before the figures' fingerprint was kept (migration 0019 leaves it empty) is
  compared by its whole content as before: marked for any change, in words that do not say which.

And the list page gathers no content while nothing changed (the fingerprints of the content now
are cached under the data version and the rows of the tables it does not follow)."""

from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

from assessments.models import Assessment, GridEmissionFactor
from assessments.services import annual_report_approve
from reports import generation
from reports.models import Report, ReportNarrative

from ..factories import AnnualReportFactory, FacilityFactory, OptionFactory
from .report_files_data import YEAR, build_report_data
from .report_view_helpers import write_narrative

LIST = reverse("reports:list")
MARK = 'class="report-stale'
FIGURES_CHANGED = "Số liệu đã thay đổi sau khi tạo báo cáo này; hãy tạo lại trước khi dùng."
TEXT_CHANGED = (
    "Phần nội dung do Sở viết (tồn tại, hạn chế; phương hướng; kiến nghị) đã được sửa sau khi "
    "tạo báo cáo này; hãy tạo lại trước khi dùng."
)
CONTENT_CHANGED = (
    "Nội dung báo cáo đã thay đổi sau khi tạo báo cáo này; hãy tạo lại trước khi dùng."
)


@pytest.fixture
def data(staff):
    """The report data of 2018 with its narrative, and two more 2018 reports awaiting review."""
    with mock.patch.object(generation, "_enqueue"):
        built = build_report_data()
        write_narrative(YEAR)
        paper = built.facilities[1]
        built.submitted = [
            AnnualReportFactory(
                facility=FacilityFactory(commune=paper.commune, industry=paper.industry),
                year=YEAR,
                state="submitted",
                aware=True,
                applies_cp=True,
            )
            for _ in range(2)
        ]
        yield built


def request_draft(client, fmt, kind="annual_progress") -> Report:
    before = set(Report.objects.values_list("pk", flat=True))
    response = client.post(reverse("reports:request"), {"kind": kind, "year": YEAR, "format": fmt})
    assert response.status_code == 302
    [report] = Report.objects.exclude(pk__in=before)
    assert generation.report_generate(report_id=report.pk) == generation.Outcome.SUCCEEDED
    report.refresh_from_db()
    return report


def row(page: str, report: Report) -> str:
    start = page.index(f'<tr id="report-{report.pk}"')
    return page[start : page.index("</tr>", start)]


def detail(client, report: Report) -> str:
    response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    return response.text


def edit_narrative() -> None:
    narrative = ReportNarrative.objects.get(year=YEAR, period_kind="year")
    narrative.recommendations = "Kiến nghị đã sửa sau khi tạo dự thảo."
    narrative.save()


def approve_the_waiting_reports(data, staff) -> None:
    for report in data.submitted:
        annual_report_approve(report=report, by=staff)


@pytest.mark.django_db
def test_a_changed_narrative_marks_the_documents_as_text_and_leaves_the_xlsx_alone(
    client, staff, data
):
    client.force_login(staff)
    pdf, xlsx, docx = (request_draft(client, fmt) for fmt in ("pdf", "xlsx", "docx"))
    assert MARK not in client.get(LIST).text

    edit_narrative()

    page = client.get(LIST).text
    assert MARK not in row(page, xlsx)
    assert MARK not in detail(client, xlsx)
    for draft in (pdf, docx):
        assert TEXT_CHANGED in row(page, draft)
        assert TEXT_CHANGED in detail(client, draft)
        assert FIGURES_CHANGED not in row(page, draft)
    # Issuing would be refused (the document says what the draft did not): not offered.
    assert 'id="stale-not-issuable"' in detail(client, docx)
    # An XLSX built now holds the same figures.
    assert request_draft(client, "xlsx").figures_sha256 == xlsx.figures_sha256


@pytest.mark.django_db
def test_changed_figures_mark_every_format_as_figures(client, staff, data):
    client.force_login(staff)
    drafts = [request_draft(client, fmt) for fmt in ("pdf", "xlsx", "docx")]

    edit_narrative()  # the text changed too: the figures are what the mark says
    approve_the_waiting_reports(data, staff)

    page = client.get(LIST).text
    for draft in drafts:
        assert FIGURES_CHANGED in row(page, draft)
        assert TEXT_CHANGED not in row(page, draft)
        assert FIGURES_CHANGED in detail(client, draft)


@pytest.mark.django_db
def test_the_xlsx_is_marked_when_its_list_of_facilities_changes(client, staff, data):
    """The figures of the XLSX are its sheets too: a facility renamed changes no indicator."""
    client.force_login(staff)
    xlsx = request_draft(client, "xlsx")
    facility = data.facilities[0]
    facility.name = "Công ty đã đổi tên"
    facility.save()

    assert FIGURES_CHANGED in row(client.get(LIST).text, xlsx)


@pytest.mark.django_db
def test_a_draft_built_before_the_figures_were_kept_is_compared_as_before(client, staff, data):
    client.force_login(staff)
    pdf, xlsx = (request_draft(client, fmt) for fmt in ("pdf", "xlsx"))
    Report.objects.filter(pk__in=[pdf.pk, xlsx.pk]).update(figures_sha256="")  # as 0019 left it

    assert MARK not in client.get(LIST).text  # unchanged: not marked

    edit_narrative()

    page = client.get(LIST).text
    for draft in (pdf, xlsx):  # its fingerprint covers the text: it cannot tell what changed
        assert CONTENT_CHANGED in row(page, draft)
        assert FIGURES_CHANGED not in row(page, draft)


@pytest.mark.django_db(transaction=True)
def test_the_list_gathers_nothing_until_something_changes(
    client, staff, data, django_assert_max_num_queries
):
    """Committed data (transaction=True): the cache is used as in production."""
    client.force_login(staff)
    drafts = [request_draft(client, fmt) for fmt in ("pdf", "xlsx", "docx")]
    drafts += [request_draft(client, fmt, "half_year_progress") for fmt in ("pdf", "xlsx")]
    client.get(LIST)  # gathers the two documents, once

    with django_assert_max_num_queries(15):
        page = client.get(LIST).text
    assert MARK not in page and all(f'id="report-{draft.pk}"' in page for draft in drafts)

    edit_narrative()  # a table the data version does not follow: seen all the same
    page = client.get(LIST).text
    assert TEXT_CHANGED in row(page, drafts[0])
    assert MARK not in row(page, drafts[1])
    assert MARK not in row(page, drafts[3])  # the half-year document has its own narrative
    with django_assert_max_num_queries(15):
        again = client.get(LIST).text
    assert TEXT_CHANGED in row(again, drafts[0])
    assert again.count(MARK) == page.count(MARK) == 2  # the annual PDF and Word

    approve_the_waiting_reports(data, staff)
    page = client.get(LIST).text
    for draft in drafts:
        assert FIGURES_CHANGED in row(page, draft)


@pytest.mark.django_db(transaction=True)
def test_a_changed_grid_factor_marks_the_documents_through_the_cache(client, staff, data):
    """Committed data: the grid emission factor (tCO₂ of the electricity saved) is a table the
    data version does not follow; a change to it still marks the drafts whose figures use it."""
    assessment = Assessment.objects.filter(state="approved").first()
    OptionFactory(
        assessment=assessment,
        implementation_year=YEAR,
        status="done",
        electricity_saving_kwh=100_000,
    )
    client.force_login(staff)
    draft = request_draft(client, "pdf")
    client.get(LIST)  # gathered and cached
    factor, _created = GridEmissionFactor.objects.get_or_create(
        year=YEAR, defaults={"t_co2_per_mwh": Decimal("0.9"), "source": "test"}
    )
    factor.t_co2_per_mwh += Decimal("0.1")
    factor.save()
    assert FIGURES_CHANGED in row(client.get(LIST).text, draft)
