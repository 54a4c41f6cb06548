import json

import pytest
from django.urls import reverse

from reports.models import Indicator, IndicatorValue

from .indicator_helpers import YEAR, bulk_facilities, facility, report

URL = reverse("reports:dashboard")


@pytest.fixture
def data(db):
    aware = facility(name="Công ty Gốm Phù Lãng")
    report(aware, YEAR, aware=True)
    report(facility(), YEAR)


def _chart_data(response):
    content = response.content.decode()
    start = content.index('<script id="dashboard-data" type="application/json">')
    body = content[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(body)


def test_it_works(client, official, data):
    client.force_login(official)

    response = client.get(URL, {"year": YEAR})

    assert response.status_code == 200
    results = response.context["results"]
    assert results.value("AWARE_PCT").actual == 50
    page = response.content.decode()
    assert "Chỉ tiêu Kế hoạch SXSH năm 2018" in page
    assert "Chưa đạt" in page and "Chưa có số liệu" in page
    numerator = reverse("reports:indicator_facilities", args=["AWARE_PCT", YEAR, "numerator"])
    assert f'href="{numerator}"' in page
    assert "vendor/chartjs-4.6.1/chart.umd.min.js" in page
    assert "js/reports-dashboard.js" in page


def test_it_passes_the_trend_with_targets(client, staff, data):
    client.force_login(staff)

    chart = _chart_data(client.get(URL, {"year": YEAR}))

    assert chart["years"] == [2016, 2017, 2018, 2019, 2020]
    aware = next(series for series in chart["trend"] if series["code"] == "AWARE_PCT")
    # Only 2018 has approved reports: the cumulative share is 0 before it and stays 50 % after
    # it, as each year's own table says (reports.indicators.judged_figure).
    assert aware["values"] == [0.0, 0.0, 50.0, 50.0, 50.0]
    ent_unit = next(series for series in chart["trend"] if series["code"] == "ENT_UNIT_PCT")
    assert ent_unit["values"][3:] == [None, None]  # measured on the year's own reports: gaps
    assert aware["target"] == {"min": 90.0, "max": None}
    saving = next(series for series in chart["trend"] if series["code"] == "SAVING_PCT")
    assert saving["target"] == {"min": 8.0, "max": 13.0}
    # 2018: the table (and chart) of groups is by old district.
    assert chart["grouping"] == "old_district"
    assert chart["groups"]["datasets"][0]["code"] == "AWARE_PCT"
    assert len(chart["groups"]["labels"]) == 2


def test_it_shows_the_table_of_groups_and_the_priority_groups(client, official, data):
    client.force_login(official)

    page = client.get(URL, {"year": YEAR}).content.decode()

    assert 'id="group-table"' in page and 'data-grouping="old_district"' in page
    assert 'id="priority-table"' in page and 'id="grouping-tabs"' in page
    assert "?group=old_district&amp;key=" in page
    assert "?group=high_pollution_risk&amp;key=true" not in page  # no such facility in 2018
    for label in (
        "Theo huyện cũ (trước 2025)",
        "Theo tỉnh cũ",
        "Theo xã/phường (từ 1/7/2025)",
        "Theo ngành",
        "Cơ sở nguy cơ ô nhiễm cao",
        "Cơ sở sử dụng năng lượng trọng điểm",
    ):
        assert label in page
    # One province's dashboard offers no breakdown by province (one group): the Ministry's does.
    assert "Theo tỉnh/thành phố (từ 1/7/2025)" not in page


def test_it_shows_manual_values(client, staff):
    doit = Indicator.objects.get(code="DOIT_STAFF")
    IndicatorValue.objects.create(indicator=doit, year=YEAR, value=3, note="Tập huấn VNCPC")
    client.force_login(staff)

    response = client.get(URL, {"year": YEAR})

    assert response.context["results"].get("DOIT_STAFF").value.actual == 3
    assert "Tập huấn VNCPC" in response.content.decode()


def test_it_defaults_to_the_latest_year_with_approved_reports(client, official, data):
    client.force_login(official)

    response = client.get(URL)

    assert response.context["year"] == YEAR


def test_it_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_facility_users_get_their_own_page(client, facility_user):
    client.force_login(facility_user)

    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == reverse("reports:my_facility")


def test_it_requires_staff_or_official(client, db):
    from ..factories import UserFactory

    nobody = UserFactory(role="", username="khong_vai_tro")
    client.force_login(nobody)

    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("year", ["abc", "2015", "2031", "-1"])
def test_it_rejects_bad_input(client, official, year):
    client.force_login(official)

    response = client.get(URL, {"year": year})

    assert response.status_code == 400
    assert "Năm không hợp lệ" in response.content.decode()


def test_official_home_links_to_the_dashboard(client, official):
    client.force_login(official)

    page = client.get(reverse("home")).content.decode()

    assert f'href="{URL}"' in page


def test_nav_has_the_indicator_link(client, staff):
    client.force_login(staff)
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("count", [10, 200])
def test_queries_do_not_grow_with_facilities(
    client, official, count, django_assert_max_num_queries
):
    bulk_facilities(count)
    client.force_login(official)
    client.get(URL, {"year": YEAR})  # warm the session

    # Two computations (the year with the groupings shown, the period's totals), each reading
    # the stored facts' state and marks, the plan and the counts: fixed, whatever the count.
    with django_assert_max_num_queries(19):
        response = client.get(URL, {"year": YEAR})

    assert response.context["results"].operating == count
