"""Wording the portal ships but stores in the database (the data-quality rules, their history
note, the conversion factors, the plan's indicator units and notes) is shown in English to a user
who picked English while it is still the shipped wording; what staff wrote is shown as written,
in both languages; Vietnamese pages are unchanged.

The English catalog is given known translations for the shipped msgids here, so that the tests
do not depend on (or wait for) the translations in locale/."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation import trans_real

from assessments.factors import CONVERSION_FACTORS
from assessments.models import ConversionFactor, QualityRule
from assessments.quality import refresh_report
from assessments.quality_rules import EDITED_REASON, SEEDED_REASON, shipped_rule
from reports.models import Indicator
from reports.plan_seed import INDICATORS_2016_2020

from ..factories import AnnualReportFactory

pytestmark = pytest.mark.django_db

RULE = "OUTPUT_NO_ENERGY"
VI_NAME = shipped_rule(RULE)["name"]
VI_EXPLANATION = shipped_rule(RULE)["explanation"]
COAL = next(row for row in CONVERSION_FACTORS if row[0] == "coal")
DIESEL = next(row for row in CONVERSION_FACTORS if row[0] == "diesel_l")
STAFF_ROW = next(row for row in INDICATORS_2016_2020 if row[0] == "DOIT_STAFF")
AWARE_ROW = next(row for row in INDICATORS_2016_2020 if row[0] == "AWARE_PCT")

ENGLISH = {
    VI_NAME: "EN-rule-name Output without energy",
    VI_EXPLANATION: "EN-rule-explanation The report gives output but no energy.",
    SEEDED_REASON: "EN-reason Shipped rule",
    EDITED_REASON: "EN-reason Rule edited by staff",
    COAL[1]: "EN-factor Coal dust (grades 3–4)",
    DIESEL[2]: "EN-unit litre",
    COAL[5]: "EN-source MOIT coal source",
    STAFF_ROW[3]: "EN-unit people",
    AWARE_ROW[6]: "EN-note 2015 target: 50%",
}


@pytest.fixture
def english_catalog(monkeypatch):
    catalog = trans_real.translation("en")._catalog._catalogs[0]
    for msgid, text in ENGLISH.items():
        monkeypatch.setitem(catalog, msgid, text)
    return ENGLISH


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def finding_report(facility):
    report = AnnualReportFactory(
        facility=facility, year=2019, state="submitted", electricity_kwh=None, coal_t=None
    )
    findings = refresh_report(report)
    assert RULE in [f.rule for f in findings]
    return report


# --- data-quality rules ------------------------------------------------------------------------


def test_rules_page_in_english_and_in_vietnamese(client, staff, english_catalog):
    client.force_login(staff)
    url = reverse("assessments:quality_rule_list")
    vietnamese = client.get(url).text
    assert VI_NAME in vietnamese and VI_EXPLANATION in vietnamese
    assert ENGLISH[VI_NAME] not in vietnamese

    in_english(client)
    english = client.get(url).text
    assert ENGLISH[VI_NAME] in english and ENGLISH[VI_EXPLANATION] in english
    assert VI_NAME not in english and VI_EXPLANATION not in english


def test_a_finding_shows_the_rule_name_in_english(client, staff, english_catalog, finding_report):
    client.force_login(staff)
    findings_url = reverse("assessments:quality_findings")
    vietnamese = client.get(findings_url).text
    assert vietnamese.count(VI_NAME) >= 2  # the list by rule and the table
    in_english(client)
    english = client.get(findings_url).text
    assert english.count(ENGLISH[VI_NAME]) >= 2 and VI_NAME not in english
    assert ENGLISH[VI_NAME] in client.get(f"{findings_url}?rule={_rule().pk}").text

    report_page = client.get(finding_report.get_absolute_url()).text
    assert ENGLISH[VI_NAME] in report_page and VI_NAME not in report_page


def test_a_rule_name_staff_edited_shows_as_written(client, staff, english_catalog, finding_report):
    rule = _rule()
    rule.name = "Tên quy tắc do Sở đặt"
    rule.explanation = "Giải thích do Sở viết"
    rule.save()
    client.force_login(staff)
    pages = (
        reverse("assessments:quality_rule_list"),
        reverse("assessments:quality_findings"),
        finding_report.get_absolute_url(),
    )
    for language in ("vi", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for url in pages:
            text = client.get(url).text
            assert rule.name in text, (language, url)
            assert ENGLISH[VI_NAME] not in text and VI_NAME not in text, (language, url)
        assert rule.explanation in client.get(pages[0]).text


def test_the_rule_history_notes_in_english(client, staff, english_catalog):
    rule = _rule()
    url = reverse("assessments:quality_rule_edit", args=[rule.pk])
    client.force_login(staff)
    in_english(client)
    response = client.post(url, {"severity": "info", "enabled": "on"})
    assert response.status_code == 302
    # Stored in Vietnamese whatever the editor's language, so that every reader gets their own.
    assert rule.history.latest().history_change_reason == EDITED_REASON
    english = client.get(url).text
    assert ENGLISH[EDITED_REASON] in english and ENGLISH[SEEDED_REASON] in english
    assert ENGLISH[VI_NAME] in english and ENGLISH[VI_EXPLANATION] in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    vietnamese = client.get(url).text
    assert EDITED_REASON in vietnamese and SEEDED_REASON in vietnamese


def _rule():
    return QualityRule.objects.get(code=RULE)


# --- conversion factors ------------------------------------------------------------------------


def test_factor_names_units_and_sources_in_english(client, staff, english_catalog):
    client.force_login(staff)
    url = reverse("assessments:factor_list")
    vietnamese = client.get(url).text
    assert COAL[1] in vietnamese and COAL[5] in vietnamese
    assert ENGLISH[COAL[1]] not in vietnamese and ENGLISH[DIESEL[2]] not in vietnamese

    in_english(client)
    english = client.get(url).text
    for shipped in (COAL[1], DIESEL[2], COAL[5]):
        assert ENGLISH[shipped] in english
    assert COAL[1] not in english and COAL[5] not in english

    coal = ConversionFactor.objects.get(carrier="coal")
    assert ENGLISH[COAL[1]] in client.get(reverse("assessments:factor_edit", args=[coal.pk])).text


def test_a_factor_staff_renamed_shows_as_written(client, staff, english_catalog):
    ConversionFactor.objects.filter(carrier="coal").update(name="Than cám Hòn Gai")
    client.force_login(staff)
    in_english(client)
    english = client.get(reverse("assessments:factor_list")).text
    assert "Than cám Hòn Gai" in english and ENGLISH[COAL[1]] not in english


# --- plan indicators ---------------------------------------------------------------------------


def test_indicator_units_and_notes_in_english(client, staff, english_catalog):
    client.force_login(staff)
    url = reverse("reports:plan")
    vietnamese = client.get(url).text
    assert AWARE_ROW[6] in vietnamese and ENGLISH[AWARE_ROW[6]] not in vietnamese

    in_english(client)
    english = client.get(url).text
    assert ENGLISH[STAFF_ROW[3]] in english and ENGLISH[AWARE_ROW[6]] in english
    assert AWARE_ROW[6] not in english

    edited = Indicator.objects.filter(code="AWARE_PCT").first()
    edited.baseline_note = "Ghi chú do Sở viết"
    edited.save()
    english = client.get(url).text
    assert "Ghi chú do Sở viết" in english
