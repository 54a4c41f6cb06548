"""Accessibility, second round, in the pages' HTML:

- a generated report's state is a status region and its error an alert, so that a screen reader
  hears the job finish or fail (static/js/report-progress.js changes their text);
- a dashboard trend chart's "Xem số liệu" table has a column for every line the chart draws
  (each year's milestone, the period's target), not only the values;
- a list filter's refused value: the item of the warning has the id its field's
  aria-describedby names;
- a table's header cells all have a name (an action column's is for screen readers only)."""

import json
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts import tokens
from reports.files.numbers import fmt_number_in
from reports.models import Report

from .factories import FacilityFactory
from .reports.indicator_helpers import YEAR, report
from .reports.indicator_helpers import facility as make_facility
from .reports.report_view_helpers import make_report

pytestmark = pytest.mark.django_db


def _element(page: str, tag: str, css_class: str) -> re.Match:
    """The first `tag` whose class list has `css_class`, with what is around it."""
    match = re.search(rf'<{tag}\b[^>]*class="[^"]*\b{css_class}\b[^"]*"[^>]*>', page)
    assert match, f"no <{tag} class={css_class}>"
    return match


# 2. A generated report's progress.


@pytest.mark.parametrize("state", [Report.State.RUNNING, Report.State.FAILED])
def test_the_report_state_is_a_status_and_its_error_an_alert(client, staff, state):
    job = make_report(by=staff, state=state, progress=40, error="Hết bộ nhớ khi dựng biểu đồ.")
    client.force_login(staff)

    for url in (reverse("reports:list"), reverse("reports:detail", args=[job.pk])):
        page = client.get(url).content.decode()

        # The badge alone is in the status region: not the bar, the percent or the whole row,
        # which change every second.
        status = re.search(r'<span role="status">(.*?)</span></span>', page, re.S)
        assert status, url
        assert 'class="badge report-state' in status.group(1)
        assert "report-percent" not in status.group(1) and "progress" not in status.group(1)

        error = _element(page, "div", "report-error")
        assert 'role="alert"' in error.group(0), url
        assert "hidden" not in error.group(0)
        text = page[error.end() : page.index("</div>", error.end())]
        if state == Report.State.FAILED:
            assert text == "Hết bộ nhớ khi dựng biểu đồ."
        else:
            # Empty (no room taken) until the job fails; the script writes the error in.
            assert text == ""


# 3. The text table of a dashboard trend chart.


@pytest.fixture
def trend_data(db):
    """Three facilities reporting every year of the 2016–2020 plan, one aware from 2017."""
    early, never, late = (make_facility() for _ in range(3))
    for year in range(2016, 2021):
        report(early, year, aware=year >= 2017)
        report(late, year, aware=year >= YEAR)
        report(never, year)


def _chart_data(page: str) -> dict:
    script = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', page)
    return json.loads(script.group(1))


def _values_table(page: str, code: str) -> str:
    match = re.search(
        rf'<table class="[^"]*trend-values-table[^"]*" data-code="{code}">(.*?)</table>',
        page,
        re.S,
    )
    assert match, f"no text table for the {code} chart"
    return match.group(1)


def _cells(html: str, tag: str) -> list[str]:
    return [unescape(cell).strip() for cell in re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html)]


def test_the_trend_tables_have_a_column_for_each_line_the_chart_draws(client, official, trend_data):
    client.force_login(official)

    page = client.get(reverse("reports:dashboard"), {"year": YEAR}).content.decode()

    chart = _chart_data(page)
    drawn = [series for series in chart["trend"] if series["lines"]]
    assert drawn, "the plan draws no milestone nor target line"
    kinds = {line["kind"] for series in drawn for line in series["lines"]}
    assert {"milestone", "target"} <= kinds
    for series in chart["trend"]:
        table = _values_table(page, series["code"])
        unit = series["unit"]
        head = _cells(table[: table.index("</thead>")], "th")
        assert head == ["Năm", f"Thực hiện ({unit})"] + [
            f"{line['label']} ({unit})" for line in series["lines"]
        ]
        rows = re.findall(r"<tr><th scope=\"row\">(\d{4})</th>(.*?)</tr>", table)
        assert [int(year) for year, _cells_html in rows] == chart["years"]
        for n, (_year, cells) in enumerate(rows):
            expected = [series["values"][n]] + [line["values"][n] for line in series["lines"]]
            # Vietnamese numbers, as the value column; "—" where a year has no milestone.
            assert _cells(cells, "td") == [fmt_number_in(v, unit, empty="—") for v in expected]


# 4. A refused filter value.


def test_a_refused_filter_value_is_described_by_its_item_of_the_warning(client, staff):
    client.force_login(staff)

    page = client.get(reverse("facilities:list"), {"status": "khong-co"}).content.decode()

    field = re.search(r'<select name="status"[^>]*>', page).group(0)
    assert 'aria-describedby="id_status_error"' in field
    assert page.count('id="id_status_error"') == 1
    item = re.search(r'<li id="id_status_error">(.*?)</li>', page, re.S)
    assert item and "khong-co" in unescape(item.group(1))
    assert 'id="filter-errors"' in page[: item.start()]


# 6. Header cells with a name.

EMPTY_HEADER = re.compile(r"<th\b[^>]*>\s*</th>")


def test_no_template_has_an_empty_header_cell():
    templates = Path(settings.BASE_DIR) / "templates"
    empty = [
        f"{path.relative_to(templates)}: {match.group(0)}"
        for path in sorted(templates.rglob("*.html"))
        for match in EMPTY_HEADER.finditer(path.read_text(encoding="utf-8"))
    ]
    assert empty == []


ACTION = '<th><span class="visually-hidden">Thao tác</span></th>'


@pytest.fixture
def action_pages(staff, facility):
    """Staff's pages whose tables end in a column of buttons, each with a row to show."""
    from facilities.models import IndustrialArea

    IndustrialArea.objects.create(name="KCN Quế Võ", kind=IndustrialArea.Kind.KCN)
    FacilityFactory(name="Công ty Chưa Báo Cáo")
    tokens.issue(staff, "Máy tổng hợp của Sở")
    return {
        "assessments:missing_reports": "missing-table",
        "assessments:factor_list": "conversion-factors",
        "assessments:quality_rule_list": "quality-rules",
        "facilities:area_list": "area-table",
        "reports:plan": None,
        "accounts:security": "api-tokens",
    }


def test_action_columns_are_named_for_screen_readers(client, staff, action_pages):
    client.force_login(staff)

    for url_name, table_id in action_pages.items():
        page = client.get(reverse(url_name)).content.decode()
        if table_id:
            start = page.index(f'id="{table_id}"')
            page = page[start : page.index("</thead>", start)]
        assert ACTION in page, url_name
        assert not EMPTY_HEADER.search(page), url_name


def test_the_deadline_source_column_has_a_visible_header(client, staff):
    client.force_login(staff)

    page = client.get(reverse("assessments:deadline_list")).content.decode()

    start = page.index('id="deadline-table"')
    head = _cells(page[start : page.index("</thead>", start)], "th")
    assert head == ["Năm báo cáo", "Hạn nộp", "Nguồn"]
