"""A national installation's manual indicators (README, national installation): each province's
staff enter their manual values on their province's own plan period; the Ministry's national
figure of a count indicator (people, courses…) without a national entry of the year is the sum of
the provinces' entries — each from the province's own period of the year — and says so; a
percentage is never summed; a national entry (a superuser's) wins. On the dashboard, the
"Nhập số liệu" link of a manual indicator is shown only to whoever may enter its values; a
province's staff without a period of their own get a hint to add one instead."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from assessments.models import PlanPeriod
from reports import generation
from reports import indicators as ind
from reports.generation import Outcome
from reports.models import Indicator, IndicatorValue, Report

from ..factories import UserFactory
from .file_text import docx_text, pdf_text
from .indicator_helpers import YEAR

pytestmark = pytest.mark.django_db

BAC_NINH, HAI_PHONG, HA_NOI = "24", "31", "01"
DASHBOARD = reverse("reports:dashboard")
API = reverse("api:indicators")
SHARE = "DOIT_SHARE"  # a manual percentage: provinces' shares do not add up
# Entered by hand (by the provinces' staff): Hải Phòng 5 people in its own 2018–2020 period (its
# older 2016–2020 one, which no longer judges 2018, says 100), Hà Nội 7: the country 12, from 2.
HP_STAFF, HP_OLD_STAFF, HN_STAFF = 5, 100, 7


@pytest.fixture
def national(settings):
    settings.PORTAL_SCOPE = "national"


@pytest.fixture
def people(db):
    return {
        "staff_bn": UserFactory(username="canbo_bn", role=Role.STAFF, province=BAC_NINH),
        "staff_hp": UserFactory(username="canbo_hp", role=Role.STAFF, province=HAI_PHONG),
        "official_hp": UserFactory(username="lanhdao_hp", role=Role.OFFICIAL, province=HAI_PHONG),
        "ministry": UserFactory(username="bo_cong_thuong", role=Role.MINISTRY),
        "admin": UserFactory(username="quan_tri", role=Role.STAFF, is_superuser=True),
    }


def national_doit() -> Indicator:
    return Indicator.objects.get(code="DOIT_STAFF", period__province="")


def own_period(province: str, start: int, end: int = 2020) -> PlanPeriod:
    """The province's own period, its indicators copied from the national strategy's (as the
    period form's "copy from" does), with a manual percentage added to both."""
    period = PlanPeriod.objects.create(
        code=f"{province}-{start}",
        name=f"Kế hoạch {province}",
        start_year=start,
        end_year=end,
        province=province,
    )
    for source in national_doit().period.indicators.all():
        Indicator.objects.create(
            period=period,
            code=source.code,
            name_vi=source.name_vi,
            unit=source.unit,
            method=source.method,
            order=source.order,
        )
    share(period)
    return period


def share(period: PlanPeriod) -> Indicator:
    indicator, _created = Indicator.objects.get_or_create(
        period=period,
        code=SHARE,
        defaults={"name_vi": "Tỷ lệ cán bộ được đào tạo", "unit": "%", "method": "manual"},
    )
    return indicator


def enter(period: PlanPeriod, code: str, value, year: int = YEAR) -> IndicatorValue:
    indicator = period.indicators.get(code=code)
    return IndicatorValue.objects.create(indicator=indicator, year=year, value=value)


@pytest.fixture
def entries(national, people):
    share(national_doit().period)
    old_hp = own_period(HAI_PHONG, 2016)
    enter(old_hp, "DOIT_STAFF", HP_OLD_STAFF)
    hai_phong = own_period(HAI_PHONG, 2018)
    enter(hai_phong, "DOIT_STAFF", HP_STAFF)
    enter(hai_phong, SHARE, 40)
    ha_noi = own_period(HA_NOI, 2016)
    enter(ha_noi, "DOIT_STAFF", HN_STAFF)
    enter(ha_noi, SHARE, 60)
    return {"hai_phong": hai_phong, "ha_noi": ha_noi}


def api_item(client, code: str) -> dict:
    body = client.get(API, {"year": YEAR}).json()
    return next(item for item in body["indicators"] if item["code"] == code)


def test_the_ministry_reads_the_sum_of_the_provinces(client, entries, people):
    client.force_login(people["ministry"])
    page = client.get(DASHBOARD, {"year": YEAR})

    staff = page.context["results"].get("DOIT_STAFF")
    assert staff.value.actual == HP_STAFF + HN_STAFF
    assert staff.provinces == 2 and staff.status != ind.Status.NO_DATA
    card = page.text.split('data-code="DOIT_STAFF"', 1)[1].split('class="chart-box', 1)[0]
    assert "Tổng số liệu do các tỉnh, thành phố nhập (2 tỉnh, thành phố)" in card
    assert "chưa có số liệu năm này" not in card
    item = api_item(client, "DOIT_STAFF")
    assert item["actual"] == HP_STAFF + HN_STAFF and item["status"] != "no_data"
    # A percentage is not summed: the country has no value of it.
    assert page.context["results"].get(SHARE).value.actual is None
    assert api_item(client, SHARE)["status"] == "no_data"

    # Each province reads its own entry.
    client.force_login(people["staff_hp"])
    mine = client.get(DASHBOARD, {"year": YEAR}).context["results"].get("DOIT_STAFF")
    assert (mine.value.actual, mine.provinces) == (HP_STAFF, 0)
    assert api_item(client, "DOIT_STAFF")["actual"] == HP_STAFF


def test_a_national_entry_wins(client, entries, people):
    IndicatorValue.objects.create(indicator=national_doit(), year=YEAR, value=40)
    client.force_login(people["ministry"])
    page = client.get(DASHBOARD, {"year": YEAR})

    staff = page.context["results"].get("DOIT_STAFF")
    assert (staff.value.actual, staff.provinces) == (40, 0)
    assert "Tổng số liệu do các tỉnh" not in page.text
    assert api_item(client, "DOIT_STAFF")["actual"] == 40


def test_the_trend_sums_each_year(entries):
    enter(entries["ha_noi"], "DOIT_STAFF", 2, year=YEAR + 1)
    period = ind.period_for(YEAR)
    by_year = ind.compute_years([YEAR - 1, YEAR, YEAR + 1], period=period, grouped=False)
    values = {year: by_year[year].get("DOIT_STAFF").value.actual for year in by_year}
    assert values == {YEAR - 1: None, YEAR: HP_STAFF + HN_STAFF, YEAR + 1: 2}


def test_a_one_province_installation_sums_nothing(entries, settings):
    settings.PORTAL_SCOPE = "province"
    assert ind.compute_indicators(YEAR).get("DOIT_STAFF").value.actual is None


def _queries(year: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        ind.compute_indicators(year, grouped=False)
    return len(queries)


def test_the_sum_takes_a_fixed_number_of_queries(entries):
    _queries(YEAR)  # warm the counts' cache
    few = _queries(YEAR)
    for n, province in enumerate(("02", "04", "06", "08")):
        enter(own_period(province, 2016), "DOIT_STAFF", n + 1)
    assert _queries(YEAR) == few
    assert ind.compute_indicators(YEAR).get("DOIT_STAFF").provinces == 6


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_national_document_gives_the_sum_and_says_from_how_many(entries, people, fmt):
    report = Report.objects.create(
        year=YEAR, format=fmt, province="", requested_by=people["ministry"]
    )
    assert generation.report_generate(report_id=report.pk) == Outcome.SUCCEEDED
    report.refresh_from_db()
    with report.file.open("rb") as handle:
        text = (docx_text if fmt == "docx" else pdf_text)(handle.read())
    name = national_doit().name_vi
    # The table's row (the note below the table names the indicator too, followed by ":").
    row = next(part for part in text.split(name)[1:] if not part.startswith(":"))[:80]
    assert f"{HP_STAFF + HN_STAFF}" in row.split()
    assert "Chưa có số liệu" not in row
    # Under the table, as on the dashboard: the figure is 2 provinces' entries, not a national one.
    flat = " ".join(text.split())
    assert f"{name}: Tổng số liệu do các tỉnh, thành phố nhập (2 tỉnh, thành phố)" in flat


def test_the_national_workbook_notes_the_sum_on_its_cell(entries, people):
    report = Report.objects.create(
        year=YEAR, format="xlsx", province="", requested_by=people["ministry"]
    )
    assert generation.report_generate(report_id=report.pk) == Outcome.SUCCEEDED
    report.refresh_from_db()
    with report.file.open("rb") as handle:
        sheet = load_workbook(BytesIO(handle.read()))["ChiTieu"]
    header = [c.value for c in sheet[1]]
    assert header[:7] == [
        "code",
        "indicator",
        "unit",
        "target",
        "actual",
        "numerator",
        "denominator",
    ]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    actual = rows["DOIT_STAFF"][4]
    assert actual.value == HP_STAFF + HN_STAFF
    assert "(2 tỉnh, thành phố)" in actual.comment.text
    assert all(r[4].comment is None for code, r in rows.items() if code != "DOIT_STAFF")


# --- the dashboard's link to the values page ------------------------------------------------------


def _card(page, code: str = "DOIT_STAFF") -> str:
    return page.text.split(f'data-code="{code}"', 1)[1].split('class="chart-box', 1)[0]


def test_a_province_without_its_own_period_gets_no_dead_link(client, national, people):
    national_values = reverse("reports:indicator_values", args=[national_doit().pk])
    client.force_login(people["staff_bn"])
    assert client.get(national_values).status_code == 404  # not theirs to fill

    card = _card(client.get(DASHBOARD, {"year": YEAR}))

    assert national_values not in card and "Nhập số liệu" not in card
    assert "Tỉnh chưa có giai đoạn kế hoạch riêng của năm này" in card
    assert f'href="{reverse("reports:period_create")}"' in card


def test_a_province_with_its_own_period_links_to_its_values(client, entries, people):
    mine = entries["hai_phong"].indicators.get(code="DOIT_STAFF")
    client.force_login(people["staff_hp"])

    card = _card(client.get(DASHBOARD, {"year": YEAR}))

    url = reverse("reports:indicator_values", args=[mine.pk])
    assert f'href="{url}"' in card and "Tỉnh chưa có giai đoạn" not in card
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("who", ["ministry", "official_hp"])
def test_readers_get_neither_link_nor_hint(client, entries, people, who):
    client.force_login(people[who])
    card = _card(client.get(DASHBOARD, {"year": YEAR}))
    assert "Nhập số liệu" not in card and "Tỉnh chưa có giai đoạn" not in card


def test_a_superuser_fills_the_national_strategy(client, entries, people):
    client.force_login(people["admin"])
    card = _card(client.get(DASHBOARD, {"year": YEAR}))
    url = reverse("reports:indicator_values", args=[national_doit().pk])
    assert f'href="{url}"' in card
    assert client.get(url).status_code == 200
    assert (
        Decimal(HP_STAFF + HN_STAFF) == ind.compute_indicators(YEAR).get("DOIT_STAFF").value.actual
    )
