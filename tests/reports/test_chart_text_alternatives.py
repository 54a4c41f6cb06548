"""What the charts draw is also on the page as text (WCAG 1.1.1), under one name per line:

- every trend chart of the indicator dashboard and of the official's home page has a "Xem số
  liệu" table, year → value in Vietnamese notation;
- the facility's progress and intensity pages name the plan's saving line the same way (the
  label comes from the template, so both pages and both languages say the same);
- the scroll boxes of their tables (and of the benchmark page's) can be reached with the keyboard
  and are named (axe `scrollable-region-focusable`)."""

import re

import pytest
from django.urls import reverse

from .indicator_helpers import YEAR, report
from .indicator_helpers import facility as make_facility

pytestmark = pytest.mark.django_db

TARGET_LINE = "Chỉ tiêu tiết kiệm của Kế hoạch, mức thấp (8 %)"


@pytest.fixture
def data(db):
    """Three facilities reporting every year 2016–2020: one aware from 2017, one from 2018."""
    early, late, never = (make_facility() for _ in range(3))
    for year in range(2016, 2021):
        report(early, year, aware=year >= 2017)
        report(late, year, aware=year >= YEAR)
        report(never, year)


def _values_table(page: str, code: str) -> str:
    match = re.search(
        rf'<table class="[^"]*trend-values-table[^"]*" data-code="{code}">(.*?)</table>',
        page,
        re.S,
    )
    assert match, f"no text table for the {code} chart"
    return match.group(1)


def _rows(table: str) -> list[tuple[str, str]]:
    return [
        (year, value.strip())
        for year, value in re.findall(
            r'<tr><th scope="row">(\d{4})</th><td class="text-end">([^<]*)</td>', table
        )
    ]


def test_each_dashboard_trend_chart_has_its_values_as_a_table(client, official, data):
    client.force_login(official)

    page = client.get(reverse("reports:dashboard"), {"year": YEAR}).content.decode()

    charts = re.findall(r'<canvas class="trend-chart" data-code="([A-Z_]+)"', page)
    assert charts
    for code in charts:
        table = _values_table(page, code)
        assert "Xem số liệu" in page
        assert "<caption" in table
    # The plan's years up to this one: 1 of 3 facilities aware in 2017, 2 from 2018.
    rows = _rows(_values_table(page, "AWARE_PCT"))
    assert rows == [
        ("2016", "0,0"),
        ("2017", "33,3"),
        ("2018", "66,7"),
        ("2019", "66,7"),
        ("2020", "66,7"),
    ]


def test_the_official_home_trend_charts_have_their_values_as_a_table(client, official, data):
    client.force_login(official)

    page = client.get(reverse("home")).content.decode()

    charts = re.findall(r'<canvas class="trend-chart" data-code="([A-Z_]+)"', page)
    assert charts == ["AWARE_PCT", "APPLY_PCT"]
    rows = _rows(_values_table(page, "AWARE_PCT"))
    assert ("2017", "33,3") in rows
    assert ("2020", "66,7") in rows


@pytest.fixture
def own_reports(facility):
    report(facility, 2016, coal_t=100)
    report(facility, 2017, coal_t=95)
    report(facility, 2018, coal_t=88)
    return facility


def _target_label(page: str, canvas_id: str) -> str:
    match = re.search(rf'<canvas id="{canvas_id}"[^>]*data-target-label="([^"]*)"', page)
    assert match, f"#{canvas_id} gives no label for the plan's saving line"
    return match.group(1)


def test_progress_and_intensity_charts_name_the_saving_line_alike(
    client, facility_user, own_reports
):
    client.force_login(facility_user)

    progress = client.get(reverse("reports:facility_progress", args=[own_reports.pk]))
    intensity = client.get(reverse("reports:facility_intensity", args=[own_reports.pk]))

    assert _target_label(progress.content.decode(), "progress-chart") == TARGET_LINE
    assert _target_label(intensity.content.decode(), "intensity-chart") == TARGET_LINE
    assert "Chỉ tiêu tiết kiệm của Kế hoạch, mức cao (13 %)" in intensity.content.decode()


def _scroll_boxes(page: str) -> list[str]:
    return re.findall(r'<div class="table-responsive"[^>]*>', page)


def _assert_reachable_and_named(page: str):
    boxes = _scroll_boxes(page)
    assert boxes
    for box in boxes:
        assert 'tabindex="0"' in box, box
        assert 'role="region"' in box, box
        assert re.search(r'aria-label="[^"]+"', box), box


def test_table_scroll_boxes_are_focusable_and_named(client, staff, own_reports):
    client.force_login(staff)

    for url in (
        reverse("reports:facility_progress", args=[own_reports.pk]),
        reverse("reports:facility_intensity", args=[own_reports.pk]),
        reverse("reports:sector_scores"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_reachable_and_named(response.content.decode())
