"""The notes the portal writes with a parameter ("Nhập từ tệp %(name)s") and the demo data's note
are stored in Vietnamese whatever the importer's language and shown in the reader's language,
with the same file name, on a facility's and on a report's page (core/notes.py); a sentence
someone wrote that merely starts like the note is shown as written. A returned report or
assessment, once resubmitted, no longer presents the return comment as the Department's opinion
(it stays in the workflow log)."""

import io
import random
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import trans_real
from lxml import html

from assessments.importing import apply_import as apply_report_import
from assessments.importing import plan_file as plan_report_file
from assessments.models import AnnualReport, ReportingDeadline
from facilities.importing import apply_import as apply_facility_import
from facilities.importing import plan_file as plan_facility_file
from facilities.models import Facility
from ops.demo_reports import seed_demo_reports

from ..facilities.import_helpers import csv_bytes as facility_csv
from ..facilities.import_helpers import good_row, make_references
from ..factories import AnnualReportFactory, AssessmentFactory, FacilityFactory
from .import_helpers import csv_bytes as report_csv
from .import_helpers import report_row

pytestmark = pytest.mark.django_db

IMPORT_NOTE = "Nhập từ tệp %(name)s"
DEMO_NOTE = "Dữ liệu trình diễn"
ENGLISH = {
    IMPORT_NOTE: "EN-note Imported from file %(name)s",
    DEMO_NOTE: "EN-note Demo data",
}
RETURN_COMMENT = "Sản lượng chưa khớp với doanh thu năm trước."


@pytest.fixture
def english_catalog(monkeypatch):
    """Known English wordings, so that the tests do not depend on locale/."""
    catalog = trans_real.translation("en")._catalog._catalogs[0]
    for msgid, text in ENGLISH.items():
        monkeypatch.setitem(catalog, msgid, text)


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def in_vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"


def _list(page: str, list_id: str) -> str:
    """The element with id `list_id` of `page`, as HTML."""
    element = html.fromstring(page).get_element_by_id(list_id)
    return html.tostring(element, encoding="unicode")


def _import_facilities(rows, filename, *, user, language):
    """The facility import as a user reading the portal in `language` runs it."""
    with translation.override(language):
        plan = plan_facility_file(io.BytesIO(facility_csv(rows)), filename)
        assert plan.is_valid, plan.problems
        apply_facility_import(plan, user=user)


def _import_reports(rows, filename, *, user, language):
    with translation.override(language):
        plan = plan_report_file(io.BytesIO(report_csv(rows)), filename)
        assert plan.is_valid, plan.problems
        apply_report_import(plan, user=user)


# --- the import note on a facility's page ------------------------------------------------------


@pytest.fixture
def imported_facility(settings, staff):
    """A facility imported once by a Vietnamese reader (dot-1.csv), then changed by an import an
    English reader ran (dot-2.csv)."""
    settings.PORTAL_PROVINCE_CODE = 27
    make_references()
    _import_facilities([good_row(1)], "dot-1.csv", user=staff, language="vi")
    _import_facilities([good_row(1, employees="75")], "dot-2.csv", user=staff, language="en")
    return Facility.objects.get()


def test_the_import_note_on_a_facility_reads_in_english(
    client, staff, imported_facility, english_catalog
):
    client.force_login(staff)
    in_english(client)
    history = _list(client.get(imported_facility.get_absolute_url()).text, "facility-history")
    assert "<em>EN-note Imported from file dot-1.csv</em>" in history
    assert "<em>EN-note Imported from file dot-2.csv</em>" in history
    assert "Nhập từ tệp" not in history


def test_the_import_note_on_a_facility_reads_in_vietnamese(
    client, staff, imported_facility, english_catalog
):
    client.force_login(staff)
    in_vietnamese(client)
    history = _list(client.get(imported_facility.get_absolute_url()).text, "facility-history")
    assert "<em>Nhập từ tệp dot-1.csv</em>" in history
    assert "<em>Nhập từ tệp dot-2.csv</em>" in history
    assert "EN-note" not in history


def test_an_import_note_stored_in_english_before_reads_in_vietnamese(
    client, staff, imported_facility, english_catalog
):
    imported_facility.history.update(history_change_reason="EN-note Imported from file cu.xlsx")
    client.force_login(staff)
    history = _list(client.get(imported_facility.get_absolute_url()).text, "facility-history")
    assert "<em>Nhập từ tệp cu.xlsx</em>" in history
    assert "EN-note" not in history


def test_a_reason_someone_wrote_is_shown_as_written(
    client, staff, imported_facility, english_catalog
):
    written = "Nhập từ tệp của Sở, sai số lao động"
    imported_facility.history.update(history_change_reason=written)
    client.force_login(staff)
    in_english(client)
    history = _list(client.get(imported_facility.get_absolute_url()).text, "facility-history")
    assert f"<em>{written}</em>" in history
    assert "EN-note" not in history


# --- the import note on a report's page --------------------------------------------------------


@pytest.fixture
def imported_report(staff, facility):
    """A report of the facility_user's facility, imported by staff reading the portal in English."""
    _import_reports([report_row(facility)], "bao-cao.csv", user=staff, language="en")
    return AnnualReport.objects.get()


def test_the_import_note_on_a_report_reads_in_english(
    client, facility_user, imported_report, english_catalog
):
    client.force_login(facility_user)
    in_english(client)
    page = client.get(imported_report.get_absolute_url()).text
    english = "EN-note Imported from file bao-cao.csv"
    assert f"<em>{english}</em>" in _list(page, "report-history")
    events = _list(page, "workflow-events")
    assert english in events and "Nhập từ tệp bao-cao.csv" not in events


def test_the_import_note_on_a_report_reads_in_vietnamese(
    client, facility_user, imported_report, english_catalog
):
    client.force_login(facility_user)
    in_vietnamese(client)
    page = client.get(imported_report.get_absolute_url()).text
    assert "<em>Nhập từ tệp bao-cao.csv</em>" in _list(page, "report-history")
    events = _list(page, "workflow-events")
    assert "Nhập từ tệp bao-cao.csv" in events and "EN-note" not in events


# --- the demo data's note ----------------------------------------------------------------------


def test_the_demo_note_reads_in_the_reader_language(client, staff, english_catalog):
    facility = FacilityFactory(established_year=2010)
    with translation.override("en"):
        seed_demo_reports(random.Random(3), [facility])
    report = AnnualReport.objects.filter(facility=facility).first()
    assert report is not None
    client.force_login(staff)
    in_english(client)
    english = _list(client.get(report.get_absolute_url()).text, "report-history")
    assert "<em>EN-note Demo data</em>" in english and DEMO_NOTE not in english
    in_vietnamese(client)
    vietnamese = _list(client.get(report.get_absolute_url()).text, "report-history")
    assert f"<em>{DEMO_NOTE}</em>" in vietnamese and "EN-note" not in vietnamese


# --- a resubmitted report or assessment ---------------------------------------------------------


@pytest.fixture
def open_2019(db):
    deadline = timezone.localdate() + timedelta(days=30)
    return ReportingDeadline.objects.create(year=2019, deadline=deadline)


def _review_comment(page: str) -> bool:
    return 'id="review-comment"' in page


def test_a_resubmitted_report_no_longer_shows_the_return_comment(
    client, staff, facility_user, facility, open_2019
):
    report = AnnualReportFactory(facility=facility, year=2019, state="submitted")
    client.force_login(staff)
    url = reverse("assessments:report_return", args=[report.pk])
    assert client.post(url, {"confirm": "1", "text": RETURN_COMMENT}).status_code == 302

    # Returned: the facility sees what to fix, as the Department's opinion.
    client.force_login(facility_user)
    page = client.get(report.get_absolute_url()).text
    assert _review_comment(page) and RETURN_COMMENT in page

    url = reverse("assessments:report_submit", args=[report.pk])
    assert client.post(url, {"confirm": "1"}).status_code == 302
    report.refresh_from_db()
    assert (report.state, report.review_comment) == ("submitted", "")
    for user in (facility_user, staff):
        client.force_login(user)
        page = client.get(report.get_absolute_url()).text
        assert not _review_comment(page)
        assert RETURN_COMMENT in _list(page, "workflow-events")  # still in the workflow log


def test_a_resubmitted_assessment_no_longer_shows_the_return_comment(
    client, staff, facility_user, facility
):
    assessment = AssessmentFactory(facility=facility, state="submitted")
    client.force_login(staff)
    url = reverse("assessments:assessment_return", args=[assessment.pk])
    assert client.post(url, {"text": RETURN_COMMENT}).status_code == 302

    client.force_login(facility_user)
    page = client.get(assessment.get_absolute_url()).text
    assert _review_comment(page) and RETURN_COMMENT in page

    url = reverse("assessments:assessment_submit", args=[assessment.pk])
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assessment.refresh_from_db()
    assert (assessment.state, assessment.review_comment) == ("submitted", "")
    page = client.get(assessment.get_absolute_url()).text
    assert not _review_comment(page)
    assert RETURN_COMMENT in _list(page, "workflow-events")


def test_a_report_resubmitted_before_the_fix_hides_its_old_comment(client, staff, facility):
    """Reports resubmitted before the comment was cleared on resubmission still hold it."""
    report = AnnualReportFactory(
        facility=facility, year=2019, state="submitted", review_comment=RETURN_COMMENT
    )
    client.force_login(staff)
    page = client.get(report.get_absolute_url()).text
    assert not _review_comment(page) and RETURN_COMMENT not in page


def test_an_approval_comment_is_still_shown(client, facility_user, facility):
    report = AnnualReportFactory(
        facility=facility, year=2019, state="approved", review_comment="Số liệu đầy đủ."
    )
    client.force_login(facility_user)
    page = client.get(report.get_absolute_url()).text
    assert _review_comment(page) and "Số liệu đầy đủ." in page
