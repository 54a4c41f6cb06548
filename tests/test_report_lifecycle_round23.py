"""Round 23, generated reports: the Ministry's table is marked when its figures change, the
scheduled drafts are built only for a year the request page offers and only once (a draft staff
deleted stays deleted). Through the pages where a user sees it; the task bodies called directly
(the real worker: tests/reports/test_report_cycle_worker.py)."""

from datetime import date
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from assessments.models import PlanPeriod
from assessments.services import annual_report_approve
from reports import generation, scheduling
from reports.models import Report

from .factories import AnnualReportFactory, FacilityFactory
from .reports.report_files_data import YEAR, build_report_data
from .reports.report_view_helpers import write_narrative

pytestmark = pytest.mark.django_db

LIST = reverse("reports:list")
STALE = "Số liệu đã thay đổi sau khi tạo báo cáo này; hãy tạo lại trước khi dùng."
MARK = 'class="report-stale'


@pytest.fixture
def enqueued():
    with mock.patch.object(generation, "_enqueue") as enqueue:
        yield enqueue


@pytest.fixture
def data(enqueued):
    """2018's data, and two more 2018 reports awaiting review (approving them changes the
    reporting rate and the indicators the Ministry's table holds)."""
    built = build_report_data()
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
    return built


def request_table(client) -> Report:
    before = set(Report.objects.values_list("pk", flat=True))
    form = {"kind": "ministry_table", "year": YEAR, "format": "xlsx"}
    assert client.post(reverse("reports:request"), form).status_code == 302
    [report] = Report.objects.exclude(pk__in=before)
    assert generation.report_generate(report_id=report.pk) == generation.Outcome.SUCCEEDED
    report.refresh_from_db()
    return report


def row(page: str, report: Report) -> str:
    start = page.index(f'<tr id="report-{report.pk}"')
    return page[start : page.index("</tr>", start)]


# --- 1. the Ministry's table is marked when its figures change -----------------------------------


def test_the_ministry_table_says_its_figures_changed_and_offers_to_build_it_again(
    client, staff, data
):
    client.force_login(staff)
    table = request_table(client)
    assert table.figures_sha256 and table.content_sha256 == table.figures_sha256
    assert MARK not in client.get(LIST).text
    assert STALE not in client.get(table.get_absolute_url()).text

    for report in data.submitted:
        annual_report_approve(report=report, by=staff)

    cells = row(client.get(LIST).text, table)
    assert STALE in cells
    assert f'action="{reverse("reports:request")}"' in cells  # "Tạo lại báo cáo"
    assert 'name="kind" value="ministry_table"' in cells
    assert 'name="format" value="xlsx"' in cells
    assert STALE in client.get(table.get_absolute_url()).text

    # Built again, the new table is not marked; the old one still is.
    again = request_table(client)
    page = client.get(LIST).text
    assert STALE not in row(page, again)
    assert STALE in row(page, table)


def test_a_changed_narrative_leaves_the_ministry_table_alone(client, staff, data):
    """The table holds no staff-written text: only its figures mark it."""
    client.force_login(staff)
    table = request_table(client)
    write_narrative(YEAR, direction="- Một phương hướng mới.")
    assert MARK not in row(client.get(LIST).text, table)


# --- 2. the scheduled drafts: plan years only, once ----------------------------------------------


def test_no_scheduled_draft_for_a_year_outside_every_plan(enqueued, staff, settings):
    """With only the 2016–2020 plan, 2025 is refused by the request page: the scheduler builds
    nothing for it and e-mails nobody."""
    settings.REPORT_REVIEW_DAYS = 0
    assert PlanPeriod.objects.years() == set(range(2016, 2021))
    assert scheduling.reports_schedule_annual(today=date(2026, 12, 7)) == []
    assert scheduling.reports_schedule_half_year(today=date(2026, 12, 7)) == []
    assert not Report.objects.exists()
    assert mail.outbox == []
    # A plan covering the year: the drafts are built.
    PlanPeriod.objects.create(code="2021-2030", name="2021–2030", start_year=2021, end_year=2030)
    assert {r.year for r in scheduling.reports_schedule_annual(today=date(2026, 12, 7))} == {2025}
    assert {r.year for r in scheduling.reports_schedule_half_year(today=date(2026, 12, 7))} == {
        2026
    }


def test_a_scheduled_draft_staff_deleted_is_not_built_again(client, enqueued, staff, settings):
    settings.REPORT_AUTO_FORMATS = ["pdf"]
    settings.REPORT_REVIEW_DAYS = 0
    created = scheduling.reports_schedule_annual(today=date(2021, 3, 1))
    assert sorted((r.kind, r.format) for r in created) == [
        ("annual_progress", "pdf"),
        ("ministry_table", "xlsx"),
    ]
    pdf = next(r for r in created if r.format == "pdf")
    client.force_login(staff)
    assert client.post(reverse("reports:delete", args=[pdf.pk])).status_code == 302
    assert not Report.objects.filter(pk=pdf.pk).exists()

    assert scheduling.reports_schedule_annual(today=date(2021, 3, 2)) == []
    assert not Report.objects.filter(format="pdf").exists()
    # A scheduled draft whose attempts all failed is still tried again.
    Report.objects.filter(kind="ministry_table").update(state=Report.State.FAILED)
    [again] = scheduling.reports_schedule_annual(today=date(2021, 3, 3))
    assert (again.kind, again.scheduled) == ("ministry_table", True)
