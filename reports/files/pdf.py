"""The PDF report: an HTML template rendered by WeasyPrint, in the form of Nghị định 30/2020
(A4 with its margins, Times-metric Liberation Serif vendored under static/fonts, page numbers at
the top centre from page 2; Vietnamese names and STT only, no internal codes)."""

import re
from decimal import Decimal
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.numbers import format_decimal

from . import charts
from .annex import AnnexRow
from .content import (
    Progress,
    ReportContent,
    options_label,
    reporting_text,
)
from .heads import breakdown_heads, short_name
from .numbers import NO_VALUE, fmt_decimal, fmt_int, fmt_ratio, fmt_value

TEMPLATE = "reports/report_pdf.html"
FONT_FILES = {
    "regular": "fonts/LiberationSerif-Regular.ttf",
    "bold": "fonts/LiberationSerif-Bold.ttf",
    "italic": "fonts/LiberationSerif-Italic.ttf",
    "bold_italic": "fonts/LiberationSerif-BoldItalic.ttf",
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
    return breakable(render_to_string(TEMPLATE, context(content)))


# A run of characters without a space this long is no word: a URL, a file name, a name typed
# without spaces. Ordinary words (Vietnamese or technical, numbers as written) are far shorter.
LONG_TOKEN = 25
_LONG = re.compile(rf"[^\s<>]{{{LONG_TOKEN},}}")
# Text between tags; the <head> (title, stylesheet) and the charts' SVG are left as they are.
_TEXT = re.compile(r">([^<]+)<")
_SKIPPED = re.compile(r"(<svg\b.*?</svg>)", re.DOTALL)


def breakable(html: str) -> str:
    """`html` with each long token of the body's text in a <span class="long">, which the
    stylesheet lets break anywhere: it wraps at the margin (or within its table column) instead
    of running off the page, where its end would be lost. Spans, not zero-width spaces: a URL
    copied from the PDF stays whole. The text is the template's, already escaped; an entity
    (&amp;) stays inside its token."""
    head, tag, body = html.partition("<body")
    if not tag:
        return html
    parts = _SKIPPED.split(body)
    for index in range(0, len(parts), 2):  # the odd ones are SVG
        parts[index] = _TEXT.sub(_mark_long_tokens, parts[index])
    return head + tag + "".join(parts)


def _mark_long_tokens(match: re.Match) -> str:
    text = _LONG.sub(lambda token: f'<span class="long">{token.group()}</span>', match.group(1))
    return f">{text}<"


def context(content: ReportContent) -> dict:
    return {
        "content": content,
        "fonts": font_urls(),
        "indicators": [_indicator(row) for row in content.indicators],
        "reporting": reporting_text(content.reporting),
        "activity_kinds": [_activity_kind(row) for row in content.programme.kinds],
        "activity_total": _activity_kind(content.programme.total)
        if content.programme.total
        else None,
        "assessments": [_assessment(row) for row in content.programme.assessments],
        "assessments_total": _assessment(content.programme.assessments_total),
        "funding": funding_rows(content),
        "funding_total": fmt_int(content.programme.funding.total_vnd),
        "trend_note": trend_note(content),
        "half_year_notes": half_year_notes(content),  # (under II.1, under the results)
        "physical": _physical(content),
        "annex": [_annex(number, row) for number, row in enumerate(content.annex, start=1)],
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
        "breakdown_heads": breakdown_heads(content),
    }


# A target as the plan writes it (Indicator.target_display): a number or a range "low-high",
# each end possibly negative.
TARGET = re.compile(r"(-?[0-9]+(?:\.[0-9]+)?)(?:-(-?[0-9]+(?:\.[0-9]+)?))?")


def target_text(target: str) -> str:
    """A target as written in the plan ("8-13", "6.8-11", "1500") in Vietnamese form ("8–13",
    "6,8–11", "1.500")."""
    if not target:
        return NO_VALUE
    match = TARGET.fullmatch(target)
    if match is None:
        return target
    return "–".join(format_decimal(Decimal(part)) for part in match.groups() if part is not None)


def _indicator(row) -> dict:
    return {
        "name": row.name,
        "unit": row.unit,
        "milestone": target_text(row.milestone),
        "period_target": target_text(row.period_target),
        "actual": NO_VALUE if row.no_data else fmt_value(row.actual, row.unit),
        "ratio": fmt_ratio(row.numerator, row.denominator),
        "status": row.status,
        "status_label": row.status_label,
    }


def _activity_kind(row) -> dict:
    return {
        "kind": row.kind,
        "count": fmt_int(row.count),
        "facilities": fmt_int(row.facilities),
        "people": fmt_int(row.people),
        "province": fmt_int(row.province_vnd),
        "national": fmt_int(row.national_vnd),
        "enterprise": fmt_int(row.enterprise_vnd),
        "other": fmt_int(row.other_vnd),
        "total": fmt_int(row.total_vnd),
    }


def _assessment(row) -> dict:
    return {
        "kind": row.kind,
        "count": fmt_int(row.count),
        "facilities": fmt_int(row.facilities),
        "cost": fmt_int(row.cost_vnd),
        "support": fmt_int(row.support_vnd),
    }


def funding_rows(content: ReportContent) -> list[list[str]]:
    """(STT, source, use, amount) of the funding by source — the Ministry's table's section V,
    the same computation (activities.funding) — shared by the PDF and the DOCX."""
    money = content.programme.funding
    rows = [(row, _("Hoạt động của chương trình")) for row in money.activities] + [
        (row, _("Hỗ trợ đánh giá SXSH")) for row in money.support
    ]
    return [
        [str(number), row.source, use, fmt_int(row.amount_vnd)]
        for number, (row, use) in enumerate(rows, start=1)
    ]


def trend_note(content: ReportContent) -> str:
    """Under the trend: the years without any approved report are gaps, not falls."""
    if not content.trend_unreported:
        return ""
    return _(
        "Năm %(years)s chưa có báo cáo năm nào được duyệt: các chỉ tiêu tính trên báo cáo của "
        "riêng năm đó ghi “–” (chưa có số liệu); các chỉ tiêu cộng dồn từ các năm trước vẫn có "
        "giá trị."
    ) % {"years": ", ".join(str(year) for year in content.trend_unreported)}


def half_year_notes(content: ReportContent) -> tuple[str, str]:
    """What a half-year document's figures cover, said plainly (under the indicators, under the
    physical results): the indicators are over the year's annual reports approved so far, the
    options over the whole year (options record their year of implementation only, no date).
    Empty for the annual document."""
    if not content.half:
        return "", ""
    return (
        _(
            "Báo cáo 6 tháng: các chỉ tiêu tính trên báo cáo năm %(year)s của các cơ sở đã được "
            "Sở duyệt đến ngày lập báo cáo (số liệu cả năm, không riêng 6 tháng đầu năm)."
        )
        % {"year": content.year},
        _(
            "Giải pháp SXSH chỉ ghi năm thực hiện (không ghi ngày): số giải pháp, vốn đầu tư và "
            "lợi ích tiết kiệm là của các giải pháp hoàn thành trong cả năm %(year)s, không "
            "riêng 6 tháng đầu năm."
        )
        % {"year": content.year},
    )


def physical_rows(content: ReportContent) -> list[tuple[str, str, str]]:
    """(what, unit, amount) of the physical results, shared by the PDF and the DOCX."""
    physical = content.physical
    return [
        (options_label(content, "done"), _("giải pháp"), fmt_int(physical.options)),
        (_("Số cơ sở thực hiện các giải pháp"), _("cơ sở"), fmt_int(physical.facilities)),
        (_("Điện tiết kiệm"), _("kWh/năm"), fmt_int(physical.electricity_kwh)),
        (_("Năng lượng tiết kiệm quy đổi"), _("TOE/năm"), fmt_decimal(physical.toe, 1)),
        (_("Phát thải khí nhà kính giảm"), _("tCO₂/năm"), _tco2(physical.tco2, content.year)),
        (_("Nước tiết kiệm"), _("m³/năm"), fmt_int(physical.water_m3)),
        (_("Lợi ích tiết kiệm"), _("đồng/năm"), fmt_int(physical.saving_vnd)),
        (_("Vốn đầu tư cho các giải pháp"), _("đồng"), fmt_int(physical.investment_vnd)),
    ]


def _tco2(tco2, year: int) -> str:
    """The tCO₂ cell: without the grid factor of the year, or the tCO₂ per unit of a fuel saved,
    there is no figure, and the document says why (assessments.factors: never another year's
    factor, never a fuel counted as 0)."""
    if tco2 is not None:
        return fmt_decimal(tco2, 1)
    return _(
        "chưa tính được: chưa có hệ số phát thải lưới điện năm %(year)s hoặc hệ số phát thải CO₂ "
        "của một nhiên liệu được tiết kiệm"
    ) % {"year": year}


def _physical(content: ReportContent) -> list[dict]:
    return [
        {"number": n, "what": what, "unit": unit, "amount": amount}
        for n, (what, unit, amount) in enumerate(physical_rows(content), start=1)
    ]


def annex_row(number: int, row: AnnexRow) -> list[str]:
    """STT, name, place, VSIC, aware, applies of one annex facility, for the PDF and DOCX (the
    place as `content.annex_place` writes it: by the year's units, with the 2025 province in the
    Ministry's document)."""
    return [str(number), row.name, row.place, row.industry, row.aware, row.applies]


def _annex(number: int, row: AnnexRow) -> list[str]:
    return annex_row(number, row)


def _percent_rows(content: ReportContent):
    return [row for row in content.indicators if row.computed and row.unit == "%"]


def _indicator_chart(content: ReportContent) -> str:
    bars = []
    for row in _percent_rows(content):
        trend = next((t for t in content.trend if t.code == row.code), None)
        low = trend.target_low if trend else None
        high = trend.target_high if trend else None
        bars.append(charts.Bar(row.name, None if row.no_data else row.actual, low, high))
    if not bars:
        return ""
    # The marks are the period's targets (the trend's), not the year's milestones: said so.
    if content.period_end is None:
        title = _("Kết quả năm %(year)s") % {"year": content.year}
    else:
        title = _("Kết quả năm %(year)s so với chỉ tiêu đến năm %(end)s") % {
            "year": content.year,
            "end": content.period_end,
        }
    svg = charts.bar_chart(bars, title=title)
    return mark_safe(svg)  # noqa: S308 - charts.py escapes every text  # nosec B308 B703


def _trend_row(row) -> dict:
    return {
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
            title=row.name if len(row.name) <= 60 else short_name(row.code, row.name[:60]),
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
        ratio = fmt_ratio(figure.numerator, figure.denominator) if figure else ""
        cells.append({"actual": fmt_decimal(row.shown(code)), "ratio": ratio})
    return {"label": row.label, "operating": fmt_int(row.operating), "cells": cells}


# What the chart of a place table is "by", and the most bars it draws (a province has a hundred
# or more 2025 communes/wards: their table is enough).
PLACE_CHARTS = {
    "old_district": gettext_lazy("huyện, thị xã, thành phố"),
    "ward": gettext_lazy("xã, phường"),
    "old_province": gettext_lazy("tỉnh cũ"),
    "province": gettext_lazy("tỉnh, thành phố"),
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
