"""The PDF report: an HTML template rendered by WeasyPrint (A4, vendored DejaVu Serif font)."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import charts
from .content import (
    Progress,
    ReportContent,
    fmt_decimal,
    fmt_int,
    fmt_ratio,
    fmt_value,
)

TEMPLATE = "reports/report_pdf.html"
FONT_FILES = {
    "regular": "fonts/DejaVuSerifCondensed.ttf",
    "bold": "fonts/DejaVuSerifCondensed-Bold.ttf",
    "italic": "fonts/DejaVuSerifCondensed-Italic.ttf",
    "bold_italic": "fonts/DejaVuSerifCondensed-BoldItalic.ttf",
}
# Breakdown tables show the province's computed indicators; the chart the share applying CP.
CHART_CODE = "APPLY_PCT"


def font_urls() -> dict[str, str]:
    urls = {}
    for style, name in FONT_FILES.items():
        path = finders.find(name)
        if not path:
            raise FileNotFoundError(f"static/{name} is missing (vendored report font)")
        urls[style] = Path(path).resolve().as_uri()
    return urls


def write_pdf(content: ReportContent, path: Path, progress: Progress) -> None:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_html(content)
    progress(65)
    fonts = FontConfiguration()
    HTML(string=html, base_url=str(path.parent)).write_pdf(str(path), font_config=fonts)
    progress(95)


def render_html(content: ReportContent) -> str:
    return render_to_string(TEMPLATE, context(content))


def context(content: ReportContent) -> dict:
    return {
        "content": content,
        "fonts": font_urls(),
        "indicators": [_indicator(row) for row in content.indicators],
        "indicator_chart": _indicator_chart(content),
        "trend_years": content.trend_years,
        "trend_rows": [_trend_row(row) for row in content.trend],
        "trend_charts": _trend_charts(content),
        "breakdown_codes": _breakdown_codes(content),
        "places": [_place_table(table, content) for table in content.by_place],
        "sectors": [_breakdown(row, content) for row in content.by_sector],
        "sector_chart": _breakdown_chart(content.by_sector, _("ngành (VSIC cấp 2)")),
        "priority": [_breakdown(row, content) for row in content.priority],
        "activities": [_activity(row) for row in content.activities],
        "activity_budget": fmt_int(sum(row.budget_vnd for row in content.activities)),
    }


def _indicator(row) -> dict:
    return {
        "code": row.code,
        "name": row.name,
        "unit": row.unit,
        "target": row.target.replace("-", "–") if row.target else "–",
        "actual": fmt_value(row.actual, row.unit),
        "ratio": fmt_ratio(row.numerator, row.denominator),
        "status": row.status,
        "status_label": row.status_label,
    }


def _percent_rows(content: ReportContent):
    return [row for row in content.indicators if row.computed and row.unit == "%"]


def _indicator_chart(content: ReportContent) -> str:
    bars = []
    for row in _percent_rows(content):
        trend = next((t for t in content.trend if t.code == row.code), None)
        low = trend.target_low if trend else None
        high = trend.target_high if trend else None
        bars.append(charts.Bar(row.name, row.actual, low, high))
    if not bars:
        return ""
    title = _("Kết quả so với chỉ tiêu năm %s") % content.year
    svg = charts.bar_chart(bars, title=title)
    return mark_safe(svg)  # noqa: S308 - charts.py escapes every text  # nosec B308 B703


def _trend_row(row) -> dict:
    return {
        "code": row.code,
        "name": row.name,
        "values": [fmt_value(value, row.unit) for value in row.values],
    }


def _trend_charts(content: ReportContent) -> list[str]:
    result = []
    for row in content.trend:
        if row.unit != "%" or all(value is None for value in row.values):
            continue
        svg = charts.line_chart(
            content.trend_years,
            row.values,
            title=row.name if len(row.name) <= 60 else row.code,
            target_low=row.target_low,
            target_high=row.target_high,
        )
        result.append(mark_safe(svg))  # noqa: S308 - charts.py escapes  # nosec B308 B703
    return result


def _breakdown_codes(content: ReportContent) -> list[str]:
    return list(content.computed_codes)


def _breakdown(row, content: ReportContent) -> dict:
    cells = []
    for code in content.computed_codes:
        figure = row.values.get(code)
        actual = figure.actual if figure else None
        ratio = fmt_ratio(figure.numerator, figure.denominator) if figure else ""
        cells.append({"actual": fmt_decimal(actual), "ratio": ratio})
    return {"label": row.label, "operating": fmt_int(row.operating), "cells": cells}


# What the chart of a place table is "by", and the most bars it draws (a province has a hundred
# or more 2025 communes/wards: their table is enough).
PLACE_CHARTS = {
    "old_district": gettext_lazy("huyện, thị xã, thành phố"),
    "ward": gettext_lazy("xã, phường"),
    "old_province": gettext_lazy("tỉnh cũ"),
}
MAX_CHART_BARS = 40


def _place_table(table, content: ReportContent) -> dict:
    what = PLACE_CHARTS.get(table.grouping)
    chart = ""
    if what and len(table.rows) <= MAX_CHART_BARS:
        chart = _breakdown_chart(table.rows, str(what))
    return {
        "caption": table.caption,
        "first": table.first,
        "rows": [_breakdown(row, content) for row in table.rows],
        "chart": chart,
    }


def _breakdown_chart(rows, what: str) -> str:
    bars = [
        charts.Bar(row.label, row.values[CHART_CODE].actual)
        for row in rows
        if CHART_CODE in row.values
    ]
    if not bars:
        return ""
    title = _("Tỷ lệ cơ sở áp dụng SXSH theo %s") % what
    svg = charts.bar_chart(bars, title=title)
    return mark_safe(svg)  # noqa: S308 - charts.py escapes every text  # nosec B308 B703


def _activity(row) -> dict:
    return {
        "day": row.day.strftime("%d/%m/%Y"),
        "kind": row.kind,
        "title": row.title,
        "district": row.district,
        "facilities": fmt_int(row.facilities),
        "people": fmt_int(row.people),
        "budget": fmt_int(row.budget_vnd),
    }
