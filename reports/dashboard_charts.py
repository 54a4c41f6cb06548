"""The data of the dashboard charts, as plain JSON-ready structures (rendered with json_script)."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from . import indicators as ind
from .figures import TABLE_CODES
from .groupings import Breakdown, default_grouping


def _number(value):
    return float(value) if value is not None else None


def _target(indicator):
    return {
        "min": _number(indicator.target_min),
        "max": _number(indicator.target_max),
    }


def trend_value(code: str, year_results) -> Decimal | None:
    """The value of `code` a trend shows for one year's results (the dashboard's charts, the
    documents' "Diễn biến qua các năm" table and charts): the year's value as the year's own
    table shows it, so both agree (None: "–", a gap). The one rule of a year without data is
    `reports.indicators.judged_figure`: in a year without any approved report the indicators
    measured on the year's own reports (YEAR_BOUND_CODES: SAVING_PCT, ENT_UNIT_PCT, …) have
    none, while the cumulative ones (AWARE_PCT, APPLY_PCT: reports of any year up to it,
    activities, options) keep theirs; a manual indicator has the value staff entered, if any."""
    result = year_results.get(code) if year_results is not None else None
    return result.value.actual if result is not None else None


def _value(code: str, year_results) -> float | None:
    return _number(trend_value(code, year_results))


def _target_lines(indicator, years: list[int], end_year: int) -> list[dict]:
    """The lines a year's value is judged against (DESIGN §4): each year's milestone where there
    is one (None in the other years), and the period's target, labelled with its year."""
    lines = []
    milestones = [indicator.milestone_for(year) for year in years]
    if any(milestones):
        ranged = any(m.target_max is not None for m in milestones if m)
        lines.append(
            {
                "kind": "milestone",
                "label": _("Mốc năm (mức thấp)") if ranged else _("Mốc năm"),
                "values": [_number(m.target_min) if m else None for m in milestones],
            }
        )
        if ranged:
            lines.append(
                {
                    "kind": "milestone_high",
                    "label": _("Mốc năm (mức cao)"),
                    "values": [_number(m.target_max) if m else None for m in milestones],
                }
            )
    if indicator.target_min is not None:
        ranged = indicator.target_max is not None
        label = _("Chỉ tiêu đến %(year)s (mức thấp)") if ranged else _("Chỉ tiêu đến %(year)s")
        lines.append(
            {
                "kind": "target",
                "label": label % {"year": end_year},
                "values": [_number(indicator.target_min)] * len(years),
            }
        )
        if ranged:
            lines.append(
                {
                    "kind": "target_high",
                    "label": _("Chỉ tiêu đến %(year)s (mức cao)") % {"year": end_year},
                    "values": [_number(indicator.target_max)] * len(years),
                }
            )
    return lines


def trend_series(results: ind.IndicatorResults, by_year: dict) -> list[dict]:
    """One series per indicator of the period: its value in each year (`trend_value`), with
    the period's target and the lines to draw (`_target_lines`)."""
    period = results.period
    if period is None:
        return []
    years = chart_years(period)
    series = []
    for result in results.results:
        indicator = result.indicator
        series.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.display_unit,
                "target": _target(indicator),
                "lines": _target_lines(indicator, years, period.end_year),
                "values": [_value(indicator.code, by_year.get(year)) for year in years],
            }
        )
    return series


def chart_years(period) -> list[int]:
    """The period's years up to this one: no future year is plotted."""
    if period is None:
        return []
    this_year = timezone.localdate().year
    return [year for year in period.years if year <= this_year]


def breakdown_series(rows: list[Breakdown]) -> dict:
    """Labels and one dataset per computed indicator, for a grouped bar chart."""
    return {
        "labels": [row.label for row in rows],
        "datasets": [
            {"code": code, "values": [_number(row.values[code].actual) for row in rows]}
            for code in TABLE_CODES
        ],
    }


def dashboard_chart_data(
    results: ind.IndicatorResults, by_year: dict, grouping: str | None = None
) -> dict:
    """`by_year`: the IndicatorResults of each year of the period (compute_years); `grouping`:
    the grouping of the table of groups (by default the place grouping of the year)."""
    period = results.period
    grouping = grouping or default_grouping(results.year)
    return {
        "year": results.year,
        "years": chart_years(period),
        "trend": trend_series(results, by_year),
        "grouping": grouping,
        "groups": breakdown_series(results.groups.get(grouping, [])),
    }
