"""The data of the dashboard charts, as plain JSON-ready structures (rendered with json_script)."""

from django.utils import timezone

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


def trend_series(results: ind.IndicatorResults, by_year: dict) -> list[dict]:
    """One series per indicator of the period: its value in each year, with the target."""
    period = results.period
    if period is None:
        return []
    series = []
    for result in results.results:
        indicator = result.indicator
        values = []
        for year in chart_years(period):
            other = by_year[year].get(indicator.code) if year in by_year else None
            values.append(_number(other.value.actual) if other else None)
        series.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.display_unit,
                "target": _target(indicator),
                "values": values,
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
