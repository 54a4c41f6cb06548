"""What a reader sees of the plan on the dashboard and the plan pages: the indicator's name (not
its internal code) in the trend chart's label, and the shipped plan periods' names and bases and
the demo 2021–2030 plan's baseline note in the reader's language, as for the indicators' units
and notes (tests/assessments/test_shipped_wording_en.py); what staff wrote stays as written.

The English catalog is given known translations for the shipped msgids here, so that the tests
do not depend on (or wait for) the translations in locale/."""

import json
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation import trans_real

from assessments.models import PlanPeriod
from ops.demo_reports import ensure_report_periods
from reports.models import Indicator
from reports.plan_seed import BASELINE_2021_2030, PERIOD_2016_2020, PERIOD_2021_2030

from .indicator_helpers import YEAR, facility, report

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")
PLAN = reverse("reports:plan")
ENGLISH = {
    PERIOD_2016_2020["name"]: "EN-period Cleaner production action plan 2016–2020",
    PERIOD_2016_2020["basis"]: "EN-basis Decision 1419/QD-TTg of 7 September 2009",
    PERIOD_2021_2030["name"]: "EN-period Cleaner production action plan 2021–2030",
    PERIOD_2021_2030["basis"]: "EN-basis Decision 889/QD-TTg (demo targets)",
    BASELINE_2021_2030: "EN-note Baseline: the 2020 results",
}


@pytest.fixture
def english_catalog(monkeypatch):
    catalog = trans_real.translation("en")._catalog._catalogs[0]
    for msgid, text in ENGLISH.items():
        monkeypatch.setitem(catalog, msgid, text)


@pytest.fixture
def demo_plan(db):
    assert ensure_report_periods() == 1
    return PlanPeriod.objects.get(code=PERIOD_2021_2030["code"])


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def trend_labels(page: str) -> dict[str, str]:
    canvases = re.findall(
        r'<canvas class="trend-chart" data-code="(\w+)" aria-label="([^"]*)"', page
    )
    return dict(canvases)


def test_trend_charts_are_labelled_with_the_indicators_name(client, official):
    report(facility(), YEAR, aware=True)
    client.force_login(official)

    labels = trend_labels(client.get(DASHBOARD, {"year": YEAR}).text)

    indicators = Indicator.objects.filter(period__code=PERIOD_2016_2020["code"])
    assert set(labels) == {i.code for i in indicators}
    for indicator in indicators:
        assert indicator.name_vi in labels[indicator.code]
        assert indicator.code not in labels[indicator.code]


def test_trend_charts_in_english(client, official):
    client.force_login(official)
    in_english(client)

    page = client.get(DASHBOARD, {"year": YEAR}).text

    aware = Indicator.objects.get(period__code=PERIOD_2016_2020["code"], code="AWARE_PCT")
    assert aware.name_en in trend_labels(page)["AWARE_PCT"]


def test_the_dashboard_names_the_period_in_the_readers_language(client, official, english_catalog):
    client.force_login(official)
    assert PERIOD_2016_2020["name"] in client.get(DASHBOARD, {"year": YEAR}).text

    in_english(client)
    english = client.get(DASHBOARD, {"year": YEAR}).text
    assert ENGLISH[PERIOD_2016_2020["name"]] in english
    assert PERIOD_2016_2020["name"] not in english


def test_the_chart_unit_is_in_the_readers_language(client, official):
    client.force_login(official)
    in_english(client)

    page = client.get(DASHBOARD, {"year": YEAR}).text

    body = page.split('<script id="dashboard-data" type="application/json">', 1)[1]
    trend = json.loads(body.split("</script>", 1)[0])["trend"]
    staff_series = next(s for s in trend if s["code"] == "DOIT_STAFF")
    assert staff_series["unit"] == "people"  # "người" in locale/en


def test_the_plan_page_in_english(client, staff, english_catalog, demo_plan):
    client.force_login(staff)
    vietnamese = client.get(PLAN).text
    for msgid in ENGLISH:
        assert msgid in vietnamese and ENGLISH[msgid] not in vietnamese

    in_english(client)
    english = client.get(PLAN).text
    for msgid, text in ENGLISH.items():
        assert text in english and msgid not in english


def test_the_indicator_pages_name_the_period_in_english(client, staff, english_catalog, demo_plan):
    aware = demo_plan.indicators.get(code="AWARE_PCT")
    manual = demo_plan.indicators.get(code="DOIT_STAFF")
    client.force_login(staff)
    in_english(client)

    for name, indicator in (
        ("indicator_values", manual),
        ("indicator_milestones", aware),
        ("indicator_edit", aware),
    ):
        response = client.get(reverse(f"reports:{name}", args=[indicator.pk]))
        assert response.status_code == 200, name
        page = response.text
        assert ENGLISH[PERIOD_2021_2030["name"]] in page, name
        assert PERIOD_2021_2030["name"] not in page, name
    milestones = client.get(reverse("reports:indicator_milestones", args=[aware.pk])).text
    assert ENGLISH[BASELINE_2021_2030] in milestones


def test_what_staff_wrote_shows_as_written(client, staff, english_catalog, demo_plan):
    demo_plan.name = "Kế hoạch SXSH của tỉnh 2021–2030"
    demo_plan.basis = "QĐ số 12/QĐ-UBND"
    demo_plan.save()
    demo_plan.indicators.filter(code="AWARE_PCT").update(baseline_note="Ghi chú do Sở viết")
    client.force_login(staff)
    in_english(client)

    english = client.get(PLAN).text

    assert "Kế hoạch SXSH của tỉnh 2021–2030" in english
    assert "QĐ số 12/QĐ-UBND" in english and "Ghi chú do Sở viết" in english
