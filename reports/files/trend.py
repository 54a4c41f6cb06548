"""The documents' "Diễn biến qua các năm" table and charts: every indicator's province-wide value
in each year of the period up to the reported one, as each year's own table gives it
(`reports.dashboard_charts.trend_value`, as on the dashboard). In a year without any approved
report only the indicators measured on the year's own reports are gaps ("–"); the cumulative
ones keep their value (`reports.indicators.judged_figure`)."""

from dataclasses import dataclass
from decimal import Decimal

from reports.dashboard_charts import trend_value
from reports.indicators import compute_years


@dataclass(frozen=True)
class TrendRow:
    code: str
    name: str
    unit: str
    target_low: Decimal | None
    target_high: Decimal | None
    values: list[Decimal | None]  # one per ReportContent.trend_years


@dataclass(frozen=True)
class Trend:
    years: list[int]
    rows: list[TrendRow]
    # The years without any approved report: their year-bound values are gaps ("chưa có số
    # liệu"; reports.indicators.YEAR_BOUND_CODES), said under the table.
    unreported: list[int]


def trend(results, year: int, province: str | None = None) -> Trend:
    """Province-wide values of every indicator for each year of the period up to `year` (of the
    2025 `province` when given); `results`: the IndicatorResults of `year`."""
    period = results.period
    if period is None:
        return Trend([], [], [])
    years = [y for y in period.years if y <= year]
    earlier = years[:-1]
    by_year = (
        compute_years(earlier, period=period, grouped=False, province=province) if earlier else {}
    )
    by_year[year] = results
    rows = []
    for result in results.results:
        indicator = result.indicator
        rows.append(
            TrendRow(
                indicator.code,
                indicator.name_vi,
                indicator.unit,
                indicator.target_min,
                indicator.target_max,
                [trend_value(indicator.code, by_year[y]) for y in years],
            )
        )
    unreported = [y for y in years if not by_year[y].reported]
    return Trend(years, rows, unreported)
