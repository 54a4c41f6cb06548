"""Computed plan indicators (DESIGN §4): one service for a year (or the years of a period),
province-wide and for every grouping of facilities (`reports.groupings`), in a fixed number of
queries whatever the number of facilities. The counts come from the one SQL of facts
(`reports.facts`); the figures and codes from `reports.figures`; the reporting rate and the
registry's coverage from `reports.reporting`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import AnnualReport, PlanPeriod
from core.data_version import cached_counts
from core.numbers import round_pct

from .facts import group_counts, province_counts
from .figures import ENT_UNIT, SAVING, TRAINED, WATER_SAVING, Figure
from .groupings import GROUPINGS, Breakdown, Grouping, breakdowns, default_grouping, group_labels
from .models import Indicator, IndicatorValue
from .models.indicator import COUNT_UNITS, PERCENT_UNIT, unit_key


class Status(models.TextChoices):
    MET = "met", _("Đạt")
    NOT_MET = "not_met", _("Chưa đạt")
    NO_DATA = "no_data", _("Chưa có số liệu")
    NO_TARGET = "no_target", _("Chưa đặt chỉ tiêu")


# Indicators measured on the approved reports of the year itself (DESIGN §4), unlike AWARE_PCT
# and APPLY_PCT, cumulative over the years up to it.
YEAR_BOUND_CODES = frozenset({SAVING, ENT_UNIT, TRAINED, WATER_SAVING})


def judged_figure(code: str, figure: Figure, reported: int) -> Figure:
    """The one rule of "no data" for a year's computed figure (issue 15): a year-bound indicator of
    a group of facilities (the province, or one group of a grouping) without any approved report
    of the year (`reported`) has no value — actual None, so its status is Status.NO_DATA — even
    where its denominator counts facilities (ENT_UNIT_PCT's medium and large ones: "0/22" says
    only that none of them has reported). The numerator and denominator are kept."""
    if code in YEAR_BOUND_CODES and not reported and figure.actual is not None:
        return replace(figure, actual=None)
    return figure


def judged_values(values: dict[str, Figure], reported: int) -> dict[str, Figure]:
    """`judged_figure` of every figure of one group."""
    return {code: judged_figure(code, figure, reported) for code, figure in values.items()}


@dataclass
class IndicatorResult:
    indicator: Indicator
    value: Figure
    manual: IndicatorValue | None = None
    year: int | None = None  # the milestone of this year, when there is one, judges the value
    # A national figure summed from the provinces' own entries (`province_sums`): how many
    # provinces entered one; 0 when the value is not such a sum.
    provinces: int = 0

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def target(self) -> tuple:
        """(low, high) this year is judged against: its milestone, else the period's target."""
        return self.indicator.target_for(self.year)

    @property
    def milestone(self):
        return self.indicator.milestone_for(self.year)

    @property
    def target_display(self) -> str:
        """The year's target as the files write it (`74`, `6.8-11`)."""
        return self.indicator.target_display_for(self.year)

    @property
    def is_computed(self) -> bool:
        return self.indicator.method == Indicator.Method.COMPUTED

    @property
    def source_note(self) -> str:
        """Where a summed national value comes from (`provinces`), as pages and documents say
        it; "" for any other value."""
        if not self.provinces:
            return ""
        return gettext(
            "Tổng số liệu do các tỉnh, thành phố nhập (%(n)s tỉnh, thành phố); chưa có số liệu "
            "toàn quốc nhập riêng."
        ) % {"n": self.provinces}

    @property
    def status(self) -> str:
        return indicator_status(self.indicator, self.value.actual, self.year)

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def no_data(self) -> bool:
        """Whether the year has no value of this indicator (`judged_figure`; a manual one not
        entered)."""
        return self.status == Status.NO_DATA

    @property
    def progress(self) -> int:
        """Actual as a share of the target's low end, 0–100, for the progress bar."""
        target = self.target[0]
        if self.value.actual is None or not target:
            return 0
        return max(0, min(100, int(self.value.actual * 100 / target)))


class LazyGroups(Mapping):
    """{grouping: its groups (Breakdown rows, figures per `judged_values`)} of one year, each built
    when first read: a page shows one grouping, and the wards of a whole country are thousands of
    rows per year."""

    def __init__(self, counts: dict, labels: dict):
        self._counts = {grouping: counts[grouping] for grouping in GROUPINGS if grouping in counts}
        self._labels = labels
        self._built: dict[str, list[Breakdown]] = {}

    def __getitem__(self, grouping: str) -> list[Breakdown]:
        if grouping not in self._built:
            self._built[grouping] = [
                replace(row, values=judged_values(row.values, row.reported))
                for row in breakdowns(grouping, self._counts[grouping], self._labels)
            ]
        return self._built[grouping]

    def __iter__(self):
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)


@dataclass
class IndicatorResults:
    year: int
    period: PlanPeriod | None
    operating: int
    results: list[IndicatorResult]
    computed: dict[str, Figure] = field(default_factory=dict)
    # grouping -> its groups; empty when computed without groups (`compute_years(grouped=False)`).
    groups: Mapping[str, list[Breakdown]] = field(default_factory=dict)
    reported: int = 0  # operating facilities with an approved report of the year

    @property
    def by_district(self) -> list[Breakdown]:
        return self.groups.get(Grouping.OLD_DISTRICT, [])

    @property
    def by_division(self) -> list[Breakdown]:
        return self.groups.get(Grouping.SECTOR, [])

    @property
    def default_grouping(self) -> str:
        return default_grouping(self.year)

    def get(self, code: str) -> IndicatorResult | None:
        return next((r for r in self.results if r.code == code), None)

    def value(self, code: str) -> Figure | None:
        result = self.get(code)
        return result.value if result else None


def indicator_status(indicator: Indicator, actual, year: int | None = None) -> str:
    """Met or not against the year's milestone (else the period's target)."""
    if actual is None:
        return Status.NO_DATA
    met = indicator.is_met(actual, year)
    if met is None:
        return Status.NO_TARGET
    return Status.MET if met else Status.NOT_MET


# --- the service --------------------------------------------------------------------------------


def period_for(year: int, province: str | None = None) -> PlanPeriod | None:
    return PlanPeriod.objects.for_year(year, province)


def compute_indicators(
    year: int,
    *,
    period: PlanPeriod | None = None,
    grouped: bool = True,
    province: str | None = None,
) -> IndicatorResults:
    """Every indicator of the plan period covering `year` (or `period`), with its value.

    Computed indicators come from approved data (DESIGN §4), province-wide and, when `grouped`,
    for every grouping of GROUPINGS (`IndicatorResults.groups`); manual ones from
    IndicatorValue. A fixed number of queries.
    """
    period = period or period_for(year, province)
    return compute_years([year], period=period, grouped=grouped, province=province)[year]


def compute_years(
    years,
    *,
    period: PlanPeriod | None,
    grouped: bool = True,
    province: str | None = None,
    groupings: tuple[str, ...] = GROUPINGS,
) -> dict[int, IndicatorResults]:
    """`compute_indicators` for several years of one period, in the same number of queries.
    `province` (a 2025 code) limits the facilities to one province of a national installation
    (User.scoped_province); None: every facility of the installation. `groupings`: the groupings
    computed when `grouped` (a page that shows a few asks for those only)."""
    years = sorted(set(years))
    if not years:
        return {}
    scope = "" if province is None else f"-{province or '-'}"
    if grouped:
        chosen = tuple(grouping for grouping in GROUPINGS if grouping in groupings)
        which = "" if chosen == GROUPINGS else "-" + ",".join(chosen)
        counts_by_year = cached_counts(
            years,
            lambda missing: group_counts(missing, groupings=chosen, province=province),
            name=f"groups{scope}{which}",
        )
        labels = group_labels(counts_by_year)
    else:
        counts_by_year = cached_counts(
            years, lambda missing: group_counts(missing, province=province), name=f"totals{scope}"
        )
        labels = {}
    indicators, manual, summed = [], {}, {}
    if period is not None:
        indicators = list(period.indicators.prefetch_related("milestones"))
        entries = IndicatorValue.objects.filter(indicator__period=period, year__in=years)
        manual = {(entry.indicator_id, entry.year): entry for entry in entries}
        if province is None:
            summed = province_sums(period, indicators, years, manual)
    outcome = {}
    for year in years:
        counts = counts_by_year[year]
        province = province_counts(counts)
        computed = judged_values(province.values(), province.reported)
        results = [_result(indicator, year, computed, manual, summed) for indicator in indicators]
        groups = LazyGroups(counts, labels)
        outcome[year] = IndicatorResults(
            year, period, province.operating, results, computed, groups, province.reported
        )
    return outcome


def _result(
    indicator: Indicator, year: int, computed: dict, manual: dict, summed: dict
) -> IndicatorResult:
    if indicator.method == Indicator.Method.COMPUTED:
        return IndicatorResult(indicator, computed.get(indicator.code, Figure(None)), year=year)
    entry = manual.get((indicator.pk, year))
    if entry is None and (code_year := (indicator.code, year)) in summed:
        total, provinces = summed[code_year]
        return IndicatorResult(indicator, Figure(total), year=year, provinces=provinces)
    value = Figure(entered_value(indicator, entry.value) if entry else None)
    return IndicatorResult(indicator, value, manual=entry, year=year)


def entered_value(indicator: Indicator, value: Decimal) -> Decimal:
    """The value staff entered for a manual indicator as every page, file and status reads it
    (DESIGN §4): a percentage rounded half up to one decimal (`round_pct`, as `figures.share`
    rounds a computed one), so 12.45 % is 12.5 % wherever it is shown and is judged as 12.5;
    any other value as entered (two decimals at most)."""
    return round_pct(value) if unit_key(indicator.unit) == PERCENT_UNIT else value


def sums_provinces(indicator: Indicator) -> bool:
    """Whether the national figure of `indicator` may be the sum of the provinces' entries: a
    manual indicator counting people, courses… (COUNT_UNITS); never a percentage, whose
    provinces' values do not add up."""
    return indicator.method == Indicator.Method.MANUAL and unit_key(indicator.unit) in COUNT_UNITS


def province_sums(period: PlanPeriod, indicators: list[Indicator], years, manual: dict) -> dict:
    """{(code, year): (sum, provinces)} of a national installation's national strategy
    (`period` of no province): for each count indicator (`sums_provinces`) without a national
    entry of the year in `manual`, the sum of the provinces' entries of the indicator of the same
    code and unit in each province's own period of that year (the one PlanPeriod.objects.for_year
    judges the province's year by), and how many provinces entered one. A national entry (a
    superuser's) wins. One query, whatever the number of provinces; none outside that case."""
    if settings.PORTAL_SCOPE != "national" or period.province:
        return {}
    units = {
        indicator.code: unit_key(indicator.unit)
        for indicator in indicators
        if sums_provinces(indicator) and any((indicator.pk, year) not in manual for year in years)
    }
    if not units:
        return {}
    # The province's own period of the entry's year, as PlanPeriod.objects.for_year picks it.
    own_period = (
        PlanPeriod.objects.covering(OuterRef("year"))
        .filter(province=OuterRef("indicator__period__province"))
        .order_by("-start_year")
        .values("pk")[:1]
    )
    entries = (
        IndicatorValue.objects.exclude(indicator__period__province="")
        .filter(
            indicator__code__in=units,
            indicator__method=Indicator.Method.MANUAL,
            year__in=years,
            indicator__period=Subquery(own_period),
        )
        .values_list("indicator__code", "indicator__unit", "year", "value")
    )
    sums: dict[tuple[str, int], tuple[Decimal, int]] = {}
    for code, unit, year, value in entries:
        if unit_key(unit) != units[code]:
            continue  # a province's indicator of the code in another unit does not add up
        total, provinces = sums.get((code, year), (Decimal(0), 0))
        sums[(code, year)] = (total + value, provinces + 1)
    return sums


def manual_entry(user, period: PlanPeriod | None) -> str:
    """What the dashboard's card of a manual indicator of `period` offers `user`: "values", the
    values page (reports.views.plan.indicator_values: portal staff, of a period they may change,
    PlanPeriod.objects.editable_by); "period", for a province's staff whose province has no
    period of its own for the year (they read the national strategy's), a hint to add one (the
    period form, which gives it their province); "" nothing (officials, the Ministry)."""
    if period is None or not user.is_portal_staff:
        return ""
    if PlanPeriod.objects.editable_by(user).filter(pk=period.pk).exists():
        return "values"
    return "period" if user.scoped_province else ""


def indicator_for(code: str, year: int, province: str | None = None) -> Indicator | None:
    period = period_for(year, province)
    return Indicator.objects.filter(code=code, period=period).first() if period else None


def default_year() -> int | None:
    """The latest year with approved reports that a plan period covers, else the latest year of
    the periods up to today."""
    years = [y for period in PlanPeriod.objects.all() for y in period.years]
    if not years:
        return None
    latest = (
        AnnualReport.objects.approved()
        .filter(year__in=years)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    if latest:
        return latest
    today = date.today().year
    past = [y for y in years if y <= today]
    return max(past) if past else min(years)


def plan_years() -> list[int]:
    return sorted(PlanPeriod.objects.years())
