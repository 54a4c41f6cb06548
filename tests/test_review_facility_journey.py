"""A facility representative's journey, as a fresh reviewer walked it: the notes the portal
writes into a report's or an assessment's history are shown in the reader's language, the
support cap under the assessment form is written the Vietnamese way in English too, and an
assessment's baseline year and an option's implementation year must be plausible years (a done
option counts towards APPLY_PCT from its implementation year on)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import trans_real

from accounts.models import Role
from assessments.models import Assessment, Option, ReportingDeadline

from .factories import AnnualReportFactory, AssessmentFactory, UserFactory

pytestmark = pytest.mark.django_db

SUPPORT_HELP = (
    "Tối đa 50%% tổng chi phí tư vấn và không quá %(max)s đồng một cơ sở "
    "(TTLT 221/2012/TTLT-BTC-BCT)."
)


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def in_vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"


def _history(page: str, list_id: str) -> str:
    """The list `list_id` of the workflow panel, up to the panel's next column or its end."""
    start = page.index(f'id="{list_id}"')
    ends = [page.find(mark, start) for mark in ('class="col-lg-6"', "</main>")]
    return page[start : min(end for end in ends if end != -1)]


def _report_form(**changes):
    data = {
        "product": "Giấy bao bì",
        "product_unit": "tấn",
        "output": "3.830,4",
        "electricity_kwh": "1.482.099",
        "coal_t": "898,74",
        "trained_staff": "2",
    }
    data.update(changes)
    return data


# --- history notes in the reader's language ------------------------------------------------


@pytest.fixture
def open_deadline(db):
    """The 2019 reports' deadline a month ahead, so facilities may still submit them."""
    deadline = timezone.localdate() + timedelta(days=30)
    return ReportingDeadline.objects.create(year=2019, deadline=deadline)


def test_a_save_made_in_vietnamese_reads_in_english(client, facility_user, facility, open_deadline):
    report = AnnualReportFactory(facility=facility, year=2019, state="draft")
    client.force_login(facility_user)
    in_vietnamese(client)
    url = reverse("assessments:report_edit", args=[report.pk])
    form = _report_form(version=str(report.version))
    assert client.post(url, {**form, "submit": "1"}).status_code == 302

    in_english(client)
    page = client.get(report.get_absolute_url()).text
    history = _history(page, "report-history")
    assert "<em>Save</em>" in history
    assert "<em>Submit for review</em>" in history
    assert "<em>Lưu</em>" not in history and "<em>Gửi duyệt</em>" not in history


def test_a_save_made_in_english_reads_in_vietnamese(client, facility_user, facility):
    report = AnnualReportFactory(facility=facility, year=2019, state="draft")
    client.force_login(facility_user)
    in_english(client)
    url = reverse("assessments:report_edit", args=[report.pk])
    assert client.post(url, _report_form(version=str(report.version))).status_code == 302

    in_vietnamese(client)
    history = _history(client.get(report.get_absolute_url()).text, "report-history")
    assert "<em>Lưu</em>" in history
    assert "<em>Save</em>" not in history


def test_an_assessment_submitted_in_vietnamese_reads_in_english(client, facility_user, facility):
    assessment = AssessmentFactory(facility=facility, state="draft", total_cost_vnd=80_000_000)
    client.force_login(facility_user)
    in_vietnamese(client)
    url = reverse("assessments:assessment_submit", args=[assessment.pk])
    assert client.post(url, {"confirm": "1"}).status_code == 302

    in_english(client)
    page = client.get(assessment.get_absolute_url()).text
    history = _history(page, "assessment-history")
    assert "<em>Submit for review</em>" in history
    assert "<em>Gửi duyệt</em>" not in history


def test_a_staff_entry_note_reads_in_english(client, facility_user, facility):
    staff = UserFactory(username="canbo_journey", role=Role.STAFF)
    client.force_login(staff)
    in_vietnamese(client)
    url = reverse("assessments:report_create", args=[facility.pk])
    assert client.post(url, _report_form(year="2019")).status_code == 302
    report = facility.annual_reports.get(year=2019)
    english = "EN-note Entered by staff"
    catalog = trans_real.translation("en")._catalog._catalogs[0]
    note = "Cán bộ Sở nhập thay cơ sở; duyệt khi lưu."
    original = catalog.get(note)
    catalog[note] = english
    try:
        client.force_login(facility_user)
        in_english(client)
        page = client.get(report.get_absolute_url()).text
    finally:
        if original is None:
            del catalog[note]
        else:
            catalog[note] = original
    events = _history(page, "workflow-events")
    assert english in events and note not in events
    assert f"<em>{english}</em>" in _history(page, "report-history")


# --- the support cap in Vietnamese notation ------------------------------------------------


@pytest.fixture
def english_support_help(monkeypatch):
    catalog = trans_real.translation("en")._catalog._catalogs[0]
    english = (
        "At most 50%% of the total consultancy cost and no more than VND %(max)s per facility "
        "(Joint Circular 221/2012/TTLT-BTC-BCT)."
    )
    monkeypatch.setitem(catalog, SUPPORT_HELP, english)


def test_the_support_cap_is_written_the_vietnamese_way_in_english(
    client, facility_user, facility, english_support_help
):
    client.force_login(facility_user)
    in_english(client)
    page = client.get(reverse("assessments:assessment_create")).text
    assert "no more than VND 50.000.000 per facility" in page
    assert "50,000,000" not in page


def test_the_support_cap_in_vietnamese(client, facility_user, facility):
    client.force_login(facility_user)
    page = client.get(reverse("assessments:assessment_create")).text
    assert "không quá 50.000.000 đồng một cơ sở" in page


# --- plausible years -------------------------------------------------------------------------


def _assessment_form(**changes):
    data = {
        "kind": "quick",
        "start_date": "05/03/2018",
        "end_date": "20/04/2018",
        "baseline_year": "2017",
        "total_cost_vnd": "90.000.000",
        "supported_amount_vnd": "45.000.000",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("year", ["1800", "30000", str(timezone.localdate().year + 1)])
def test_an_implausible_baseline_year_is_refused(client, facility_user, facility, year):
    client.force_login(facility_user)
    url = reverse("assessments:assessment_create")
    response = client.post(url, _assessment_form(baseline_year=year, start_date="", end_date=""))
    assert response.status_code == 200
    assert not Assessment.objects.exists()
    errors = response.context["form"].errors["baseline_year"]
    assert errors == [f"Năm cơ sở phải từ 1900 đến năm nay ({timezone.localdate().year})."]


def test_a_plausible_baseline_year_is_kept(client, facility_user, facility):
    client.force_login(facility_user)
    response = client.post(reverse("assessments:assessment_create"), _assessment_form())
    assert response.status_code == 302
    assert Assessment.objects.get().baseline_year == 2017


def _option_form(**changes):
    data = {
        "category": "1",
        "description": "Thay bóng đèn LED",
        "screening": "implement",
        "status": "done",
        "implementation_year": "2018",
        "investment_vnd": "12.500.000",
        "annual_saving_vnd": "3.000.000",
        "electricity_saving_kwh": "1.234,5",
    }
    data.update(changes)
    return data


@pytest.fixture
def draft_assessment(facility):
    return AssessmentFactory(facility=facility, state="draft", total_cost_vnd=80_000_000)


@pytest.mark.parametrize("year", ["1500", "1999", "2101"])
def test_an_implementation_year_out_of_range_is_refused(
    client, facility_user, draft_assessment, year
):
    client.force_login(facility_user)
    url = reverse("assessments:option_create", args=[draft_assessment.pk])
    response = client.post(url, _option_form(implementation_year=year, status="planned"))
    assert response.status_code == 200
    assert not Option.objects.exists()
    errors = response.context["form"].errors["implementation_year"]
    assert errors == ["Năm thực hiện phải từ 2000 đến 2100."]


def test_a_done_option_cannot_be_done_in_a_later_year(client, facility_user, draft_assessment):
    client.force_login(facility_user)
    url = reverse("assessments:option_create", args=[draft_assessment.pk])
    next_year = timezone.localdate().year + 1
    response = client.post(url, _option_form(implementation_year=str(next_year)))
    assert response.status_code == 200
    assert not Option.objects.exists()
    this_year = timezone.localdate().year
    assert response.context["form"].errors["implementation_year"] == [
        f"Giải pháp đã thực hiện không thể có năm thực hiện sau năm nay ({this_year})."
    ]
    # Planned for next year is fine.
    response = client.post(url, _option_form(implementation_year=str(next_year), status="planned"))
    assert response.status_code == 302
    assert Option.objects.get().implementation_year == next_year


@pytest.mark.parametrize("status", ["done", "in_progress"])
def test_a_rejected_option_cannot_be_carried_out(client, facility_user, draft_assessment, status):
    """A rejected option that is "done" would make the facility count in APPLY_PCT."""
    client.force_login(facility_user)
    url = reverse("assessments:option_create", args=[draft_assessment.pk])
    response = client.post(url, _option_form(screening="reject", status=status))
    assert response.status_code == 200
    assert not Option.objects.exists()
    assert response.context["form"].errors["status"] == [
        "Giải pháp đã bị loại khi sàng lọc không thể có tình trạng đang hoặc đã thực hiện."
    ]
    response = client.post(url, _option_form(screening="reject", status="dropped"))
    assert response.status_code == 302


def test_an_option_done_this_year_is_kept(client, facility_user, draft_assessment):
    client.force_login(facility_user)
    url = reverse("assessments:option_create", args=[draft_assessment.pk])
    this_year = timezone.localdate().year
    response = client.post(url, _option_form(implementation_year=str(this_year)))
    assert response.status_code == 302
    assert Option.objects.get().implementation_year == this_year


def test_a_baseline_year_that_is_no_number_reads_in_plain_vietnamese(
    client, facility_user, facility
):
    """Django's own Vietnamese says "Nhập một số tổng thể." (a whole number, mistranslated);
    the portal's catalogue overrides it."""
    client.force_login(facility_user)
    url = reverse("assessments:assessment_create")
    response = client.post(url, _assessment_form(baseline_year="hai nghìn"))
    assert response.context["form"].errors["baseline_year"] == ["Nhập một số nguyên."]
    assert "tổng thể" not in response.text
