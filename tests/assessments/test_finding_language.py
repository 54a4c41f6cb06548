"""Stored data-quality findings are shown in the reader's language (the wording; numbers keep
the portal's Vietnamese notation in every language), whoever saved the report and in whatever
language: the report page, the findings page and its export, the facility's home. A finding
stored before its parameters were kept is shown as stored until a check refreshes it.

The English catalog is given a known translation of the message here, so that the tests do not
depend on the translations in locale/."""

import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import trans_real
from lxml import html
from openpyxl import load_workbook

from assessments.models import PlanPeriod, QualityFinding, QualityRule
from assessments.quality import refresh_report
from assessments.quality_messages import MESSAGES
from assessments.quality_rules import KEY_ENERGY_USER

from ..factories import AnnualReportFactory
from .report_helpers import report_data

pytestmark = pytest.mark.django_db

TOE = "12345.6"  # above the rule's 1,000 TOE
VIETNAMESE = "Tổng năng lượng tiêu thụ 12.345,6 TOE/năm, từ 1.000 TOE trở lên"
ENGLISH_TEXT = "EN-finding Total energy %(toe)s TOE/year, at least %(threshold)s TOE."
ENGLISH = "EN-finding Total energy 12.345,6 TOE/year, at least 1.000 TOE."  # VN notation
OLD_MESSAGE = "Nội dung lưu từ trước, chưa có tham số"


@pytest.fixture
def english_catalog(monkeypatch):
    catalog = trans_real.translation("en")._catalog._catalogs[0]
    monkeypatch.setitem(catalog, MESSAGES[KEY_ENERGY_USER].text, ENGLISH_TEXT)


def energy(toe=TOE) -> dict:
    """Energy of exactly `toe` TOE (other fuel with a factor of 1), no other carrier."""
    return {
        "electricity_kwh": None,
        "coal_t": None,
        "other_fuel_amount": Decimal(toe),
        "other_fuel_toe_factor": 1,
    }


@pytest.fixture
def report(facility):
    """A submitted report whose finding was stored while the portal's language was active."""
    report = AnnualReportFactory(facility=facility, year=2019, state="submitted", **energy())
    with translation.override(settings.LANGUAGE_CODE):
        refresh_report(report)
    assert QualityFinding.objects.open().filter(report=report, rule__code=KEY_ENERGY_USER)
    return report


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def listed(response) -> str:
    """The findings a page lists (assessments/includes/quality_findings.html)."""
    assert response.status_code == 200
    page = html.fromstring(response.content)
    return " | ".join(" ".join(li.text_content().split()) for li in page.xpath("//li[@data-rule]"))


def test_report_page_in_the_readers_language(client, staff, report, english_catalog):
    client.force_login(staff)
    url = report.get_absolute_url()
    vietnamese = listed(client.get(url))
    assert VIETNAMESE in vietnamese and ENGLISH not in vietnamese

    in_english(client)
    english = listed(client.get(url))
    assert ENGLISH in english and VIETNAMESE not in english


def test_stored_message_stays_in_the_portals_language(report, english_catalog):
    finding = QualityFinding.objects.open().get(report=report, rule__code=KEY_ENERGY_USER)
    assert finding.message.startswith(VIETNAMESE)
    with translation.override("en"):
        assert finding.display_message == ENGLISH
        assert finding.message.startswith(VIETNAMESE)


def test_saved_by_an_english_reader_shown_in_vietnamese_to_the_department(
    client, facility_user, facility, staff, open_deadline, english_catalog
):
    facility_user.language = "en"
    facility_user.save(update_fields=["language"])
    client.force_login(facility_user)
    url = reverse("assessments:report_create", args=[facility.pk])
    data = report_data(
        electricity_kwh="",
        coal_t="",
        other_fuel_name="Củi",
        other_fuel_amount=TOE.replace(".", ","),
        other_fuel_toe_factor="1",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    finding = QualityFinding.objects.open().get(rule__code=KEY_ENERGY_USER)
    assert finding.message.startswith(VIETNAMESE)
    assert ENGLISH in listed(client.get(response.url))  # the representative reads English

    client.force_login(staff)
    page = listed(client.get(finding.report.get_absolute_url()))
    assert VIETNAMESE in page and ENGLISH not in page


def test_findings_page_and_export_in_english(client, staff, report, english_catalog):
    client.force_login(staff)
    in_english(client)
    url = reverse("assessments:quality_findings")
    assert ENGLISH in client.get(url, {"rule": _rule().pk}).text

    response = client.get(url, {"rule": _rule().pk, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row for row in rows[1:] if ENGLISH in row]
    assert not [row for row in rows[1:] if any(VIETNAMESE in str(cell) for cell in row)]


def test_facility_home_in_english(client, facility_user, facility, english_catalog):
    year = timezone.localdate().year - 1  # the reporting year the home shows
    if not PlanPeriod.objects.covering(year).exists():
        PlanPeriod.objects.create(
            code="finding-test", name="Kỳ kế hoạch thử", start_year=year - 4, end_year=year + 5
        )
    report = AnnualReportFactory(facility=facility, year=year, state="draft", **energy())
    refresh_report(report)
    client.force_login(facility_user)
    in_english(client)
    page = listed(client.get(reverse("home")))
    assert ENGLISH in page and VIETNAMESE not in page


def _rule():
    return QualityRule.objects.get(code=KEY_ENERGY_USER)


def _old_finding(report) -> QualityFinding:
    """A finding stored before its parameters were kept."""
    QualityFinding.objects.filter(report=report).delete()
    return QualityFinding.objects.create(
        report=report,
        rule=_rule(),
        severity="warning",
        field="electricity_kwh",
        message=OLD_MESSAGE,
    )


def test_a_finding_without_params_is_shown_as_stored(client, staff, report, english_catalog):
    _old_finding(report)
    client.force_login(staff)
    in_english(client)
    assert OLD_MESSAGE in listed(client.get(report.get_absolute_url()))


def test_a_check_gives_an_old_finding_its_params(client, staff, report, english_catalog):
    old = _old_finding(report)
    refresh_report(report)
    finding = QualityFinding.objects.open().get(report=report, rule__code=KEY_ENERGY_USER)
    assert finding.pk == old.pk and finding.params
    assert finding.message.startswith(VIETNAMESE)
    client.force_login(staff)
    in_english(client)
    page = listed(client.get(report.get_absolute_url()))
    assert ENGLISH in page and OLD_MESSAGE not in page
