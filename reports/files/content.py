"""What a generated report says, gathered once for every format.

The indicator figures come from `reports.indicators.compute_indicators` — the same numbers as the
dashboard and the API. Long lists (facilities, options) are generators over server-side cursors,
written only to the XLSX, so memory stays flat whatever the number of facilities.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import islice

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.factors import KWH_PER_MWH, Factors
from assessments.models import (
    OPTION_ENERGY_FIELDS,
    Activity,
    Assessment,
    Option,
    OptionCategory,
    WorkflowState,
    payback_years,
)
from core.numbers import format_number, round_half_up
from facilities.models import AdminUnit, Facility, IndustryCode
from facilities.territory import (
    UnknownProvince,
    legacy_province_codes,
    portal_province_code,
    portal_province_name,
)
from reports.indicators import (
    ENT_UNIT,
    SAVING,
    Counts,
    Figure,
    Grouping,
    Reporting,
    compute_indicators,
    compute_years,
    default_grouping,
    facts_sql,
    registry_coverage,
    reporting_for,
)
from reports.indicators import Status as IndicatorStatus
from reports.narrative import Block, blocks

Progress = Callable[[int], None]
UNKNOWN = "…"


@dataclass(frozen=True)
class Heading:
    """The official heading of an administrative document (NĐ 30/2020/NĐ-CP)."""

    superior: str  # "UBND TỈNH BẮC NINH"
    issuing_body: str  # "SỞ CÔNG THƯƠNG"
    number: str  # "Số: …/BC-SCT", the clerk fills the number in
    place: str  # "Bắc Ninh"
    day: date

    @property
    def place_and_date(self) -> str:
        # Days below 10 and months 1–2 take a leading zero in official documents.
        day = f"{self.day.day:02d}" if self.day.day < 10 else str(self.day.day)
        month = f"{self.day.month:02d}" if self.day.month < 3 else str(self.day.month)
        return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
            "place": self.place,
            "day": day,
            "month": month,
            "year": self.day.year,
        }


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    unit: str
    target: str  # as written in the plan: "90", or a range "8-13"
    actual: Decimal | None
    numerator: int | None
    denominator: int | None
    status: str
    status_label: str
    computed: bool
    # The year's milestone as written ("74", "6.8-11"; the period target when the year has none)
    # and the period's target; `no_data`: a year-bound indicator without an approved report of
    # the year behind it (its status says "Chưa có số liệu").
    milestone: str = ""
    period_target: str = ""
    no_data: bool = False


# Indicators measured on the reports of the year itself: without an approved report of the year
# they have nothing behind them (their 0/0 says nothing).
YEAR_BOUND_CODES = (ENT_UNIT, SAVING)


@dataclass(frozen=True)
class ActivityKindRow:
    """The activities of one kind in the year: how many, participants, funding by source."""

    kind: str
    count: int
    facilities: int
    people: int
    province_vnd: int
    national_vnd: int
    enterprise_vnd: int
    other_vnd: int

    @property
    def total_vnd(self) -> int:
        return self.province_vnd + self.national_vnd + self.enterprise_vnd + self.other_vnd


@dataclass(frozen=True)
class PhysicalResults:
    """What the options done in the year save each year, and the facilities behind them."""

    options: int = 0
    facilities: int = 0
    electricity_kwh: Decimal = Decimal(0)
    toe: Decimal = Decimal(0)
    tco2: Decimal = Decimal(0)
    water_m3: Decimal = Decimal(0)
    saving_vnd: int = 0
    investment_vnd: int = 0


@dataclass(frozen=True)
class Signer:
    """The signature block: "KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC" when a deputy signs."""

    on_behalf: bool
    title: str
    name: str

    @property
    def lines(self) -> list[str]:
        if self.on_behalf:
            return [f"KT. {self.title.upper()}", f"PHÓ {self.title.upper()}"]
        return [self.title.upper()]


def signer(
    name: str | None = None, title: str | None = None, on_behalf: bool | None = None
) -> Signer:
    """The signer of settings REPORT_SIGNER_*, each part overridable (e.g. by the request)."""
    return Signer(
        on_behalf=settings.REPORT_SIGNER_ON_BEHALF if on_behalf is None else on_behalf,
        title=title or settings.REPORT_SIGNER_TITLE,
        name=settings.REPORT_SIGNER_NAME if name is None else name,
    )


@dataclass(frozen=True)
class Narrative:
    """The staff-written sections, as blocks (reports.narrative)."""

    shortcomings: list[Block] = field(default_factory=list)
    direction: list[Block] = field(default_factory=list)
    recommendations: list[Block] = field(default_factory=list)


# Short Vietnamese column heads of the computed indicators in the breakdown tables (the PDF and
# DOCX never print the internal codes; the XLSX keeps them).
SHORT_NAMES = {
    "AWARE_PCT": gettext_lazy("Nhận thức SXSH (%)"),
    "APPLY_PCT": gettext_lazy("Áp dụng SXSH (%)"),
    "SAVING_PCT": gettext_lazy("Tiết kiệm NL bình quân (%)"),
    "ENT_UNIT_PCT": gettext_lazy("DN vừa và lớn có bộ phận SXSH (%)"),
}


def short_name(code: str, name: str = "") -> str:
    return str(SHORT_NAMES.get(code, name or code))


# The PDF's annex lists this many facilities at most; the XLSX has them all.
ANNEX_LIMIT = 200


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    operating: int
    values: dict[str, Figure]
    key: str = ""


@dataclass(frozen=True)
class Breakdown:
    """One table of groups: its grouping (reports.indicators.Grouping), its caption, the label of
    its first column, the name of its XLSX sheet, and its rows."""

    grouping: str
    caption: str
    first: str
    sheet: str
    rows: list[BreakdownRow]


@dataclass(frozen=True)
class TrendRow:
    code: str
    name: str
    unit: str
    target_low: Decimal | None
    target_high: Decimal | None
    values: list[Decimal | None]  # one per ReportContent.trend_years


@dataclass(frozen=True)
class ActivityRow:
    day: date
    kind: str
    title: str
    district: str
    facilities: int
    people: int
    budget_vnd: int


@dataclass
class ReportContent:
    year: int
    title: str
    period_name: str
    heading: Heading
    operating: int
    indicators: list[IndicatorRow]
    computed_codes: list[str]
    trend_years: list[int]
    trend: list[TrendRow]
    # The place breakdown of the reported year (old districts before 2025, 2025 communes/wards
    # from 2025) and, for a province merged from several, by old province.
    by_place: list[Breakdown]
    by_sector: list[BreakdownRow]
    # The priority groups (DESIGN §4): high pollution risk, key energy users.
    priority: list[BreakdownRow]
    activities: list[ActivityRow]
    summary: list[tuple[str, str]] = field(default_factory=list)
    period_kind: str = "year"  # "year" or "half" (ReportNarrative.PeriodKind)
    reporting: Reporting = field(default_factory=lambda: Reporting(0, 0))
    # Over whom the percentages are (DESIGN §4, honest denominators): see `coverage_text`.
    coverage: str = ""
    activity_kinds: list[ActivityKindRow] = field(default_factory=list)
    physical: PhysicalResults = field(default_factory=PhysicalResults)
    narrative: Narrative = field(default_factory=Narrative)
    signer: Signer = field(default_factory=lambda: Signer(False, "GIÁM ĐỐC", ""))
    province: str = ""  # "Thành phố Hải Phòng", for "UBND Thành phố Hải Phòng;" in "Nơi nhận"
    annex: list[list] = field(default_factory=list)  # the first ANNEX_LIMIT facility_rows

    def indicator(self, code: str) -> IndicatorRow | None:
        return next((row for row in self.indicators if row.code == code), None)

    @property
    def by_district(self) -> list[BreakdownRow]:
        """The rows of the first place breakdown (the year's default grouping)."""
        return self.by_place[0].rows if self.by_place else []

    @property
    def met_count(self) -> int:
        return sum(
            1 for row in self.indicators if row.status == IndicatorStatus.MET and not row.no_data
        )

    @property
    def with_target_count(self) -> int:
        return sum(1 for row in self.indicators if row.target)

    @property
    def judged(self) -> bool:
        """Whether the year's results can be judged at all: some approved report of the year."""
        return self.reporting.reports > 0

    @property
    def recipients(self) -> list[str]:
        """The "Nơi nhận" lines, the last "- Lưu: VT, …"."""
        province = self.province or _("tỉnh")
        return [
            _("- Bộ Công Thương;"),
            _("- UBND %(province)s;") % {"province": province},
            _("- Giám đốc, các Phó Giám đốc Sở;"),
            _("- Lưu: VT, QLCN."),
        ]

    @property
    def annex_truncated(self) -> bool:
        return self.operating > len(self.annex)


PERIOD_KINDS = ("year", "half")


def gather(
    year: int, progress: Progress, *, period: str = "year", signed_by: Signer | None = None
) -> ReportContent:
    """Everything but the long lists; `progress` receives 10–50 as sections are gathered.

    `period` "half" titles the report for the first six months of the year (the figures are those
    of the year's approved data so far)."""
    if period not in PERIOD_KINDS:
        raise ValueError(f"period must be one of {PERIOD_KINDS}")
    results = compute_indicators(year)
    progress(20)
    reporting = reporting_for(year, results.operating)
    indicators = [_indicator_row(result, reporting) for result in results.results]
    computed_codes = [row.code for row in indicators if row.computed]
    trend_years, trend = _trend(results, year)
    progress(40)
    day = timezone.localdate()
    content = ReportContent(
        year=year,
        title=(
            _(
                "Kết quả thực hiện Kế hoạch hành động sản xuất sạch hơn trong công nghiệp "
                "6 tháng đầu năm %s"
            )
            if period == "half"
            else _(
                "Kết quả thực hiện Kế hoạch hành động sản xuất sạch hơn trong công nghiệp năm %s"
            )
        )
        % year,
        period_name=results.period.name if results.period else "",
        heading=heading(day),
        operating=results.operating,
        indicators=indicators,
        computed_codes=computed_codes,
        trend_years=trend_years,
        trend=trend,
        by_place=place_breakdowns(results),
        by_sector=[_breakdown_row(row) for row in results.by_division],
        priority=priority_rows(results),
        activities=list(activity_rows(year)),
        period_kind=period,
        reporting=reporting,
        coverage=coverage_text(year, results.operating),
        activity_kinds=activity_kind_rows(year),
        physical=physical_results(year),
        narrative=narrative(year, period),
        signer=signed_by or signer(),
        province=issuer(day).province,
        annex=list(islice(facility_rows(year), ANNEX_LIMIT)),
    )
    content.summary = summary(year, content)
    progress(50)
    return content


def narrative(year: int, period: str = "year") -> Narrative:
    from reports.models import ReportNarrative

    found = ReportNarrative.objects.filter(year=year, period_kind=period).first()
    if found is None:
        return Narrative()
    return Narrative(
        blocks(found.shortcomings), blocks(found.direction), blocks(found.recommendations)
    )


def _indicator_row(result, reporting: Reporting | None = None) -> IndicatorRow:
    indicator, figure = result.indicator, result.value
    no_data = indicator.code in YEAR_BOUND_CODES and (
        (reporting is not None and reporting.reports == 0) or not figure.denominator
    )
    return IndicatorRow(
        code=indicator.code,
        name=indicator.name_vi,
        unit=indicator.unit,
        target=indicator.target_display,
        actual=figure.actual,
        numerator=figure.numerator,
        denominator=figure.denominator,
        status=IndicatorStatus.NO_DATA if no_data else result.status,
        status_label=str(IndicatorStatus.NO_DATA.label if no_data else result.status_label),
        computed=result.is_computed,
        milestone=result.target_display or "",
        period_target=indicator.target_display or "",
        no_data=no_data,
    )


def _breakdown_row(breakdown) -> BreakdownRow:
    return BreakdownRow(breakdown.label, breakdown.operating, breakdown.values, breakdown.key)


# grouping -> (caption, first column, XLSX sheet) of the place breakdowns.
PLACE_TABLES = {
    Grouping.OLD_DISTRICT: (
        gettext_lazy("Theo huyện, thị xã, thành phố (địa giới trước 1/7/2025)"),
        gettext_lazy("Huyện"),
        "TheoHuyen",
    ),
    Grouping.WARD: (
        gettext_lazy("Theo xã, phường (từ 1/7/2025)"),
        gettext_lazy("Xã/phường"),
        "TheoXaPhuong",
    ),
    Grouping.OLD_PROVINCE: (
        gettext_lazy("Theo tỉnh, thành phố trước hợp nhất (trước 1/7/2025)"),
        gettext_lazy("Tỉnh cũ"),
        "TheoTinhCu",
    ),
}
PRIORITY_LABELS = {
    Grouping.HIGH_POLLUTION_RISK: gettext_lazy("Cơ sở có nguy cơ ô nhiễm cao"),
    Grouping.KEY_ENERGY_USER: gettext_lazy("Cơ sở sử dụng năng lượng trọng điểm"),
}


def _merged_province() -> bool:
    """Whether the portal's province was merged from more than one old province."""
    try:
        return len(legacy_province_codes()) > 1
    except UnknownProvince:
        return False


def place_breakdowns(results) -> list[Breakdown]:
    """The place grouping of the reported year (old districts for a year before 2025, 2025
    communes/wards from 2025), then, for a province merged from several, the old provinces."""
    groupings = [default_grouping(results.year)]
    if _merged_province():
        groupings.append(Grouping.OLD_PROVINCE)
    tables = []
    for grouping in groupings:
        caption, first, sheet = PLACE_TABLES[grouping]
        rows = [_breakdown_row(row) for row in results.groups.get(grouping, [])]
        tables.append(Breakdown(grouping, str(caption), str(first), sheet, rows))
    return tables


def priority_rows(results) -> list[BreakdownRow]:
    """One row per priority group: its facilities (the group "true" of the registry flag), with
    empty figures when no such facility operated in the year."""
    rows = []
    for grouping, label in PRIORITY_LABELS.items():
        found = next((r for r in results.groups.get(grouping, []) if r.key == "true"), None)
        operating, values = (found.operating, found.values) if found else (0, Counts().values())
        rows.append(BreakdownRow(str(label), operating, values, grouping))
    return rows


def _trend(results, year: int) -> tuple[list[int], list[TrendRow]]:
    """Province-wide values of every indicator for each year of the period up to `year`."""
    period = results.period
    if period is None:
        return [], []
    years = [y for y in period.years if y <= year]
    earlier = years[:-1]
    by_year = compute_years(earlier, period=period, grouped=False) if earlier else {}
    by_year[year] = results
    rows = []
    for result in results.results:
        indicator = result.indicator
        values = [_actual(by_year[y].get(indicator.code)) for y in years]
        rows.append(
            TrendRow(
                indicator.code,
                indicator.name_vi,
                indicator.unit,
                indicator.target_min,
                indicator.target_max,
                values,
            )
        )
    return years, rows


def _actual(result) -> Decimal | None:
    return result.value.actual if result else None


# Since 1 July 2025 the merged provinces' People's Committees and Departments issue documents.
TERRITORY_CHANGE = date(2025, 7, 1)


@dataclass(frozen=True)
class Issuer:
    """Who issues a document dated on a given day, and the place in its date line."""

    province: str  # "Thành phố Hải Phòng"
    superior: str  # "UBND THÀNH PHỐ HẢI PHÒNG"
    issuing_body: str  # "SỞ CÔNG THƯƠNG"
    place: str  # "Hải Phòng"


def issuer(on_date: date) -> Issuer:
    """The issuing bodies of a document dated `on_date` (DESIGN §3).

    From 1 July 2025: the People's Committee and Department of the portal's 2025 province.
    Before: those of the old province whose code the 2025 province kept, else the first of the
    old provinces that merged into it. The unit type comes from the name ("Tỉnh X" → "UBND
    TỈNH X", "Thành phố X" → "UBND THÀNH PHỐ X").
    """
    name = province_name(on_date)
    place = name or UNKNOWN
    for prefix in ("Tỉnh ", "Thành phố "):
        place = place.removeprefix(prefix)
    return Issuer(
        province=name or UNKNOWN,
        superior=f"UBND {name.upper() if name else f'TỈNH {UNKNOWN}'}",
        issuing_body="SỞ CÔNG THƯƠNG",
        place=place,
    )


def province_name(on_date: date | None = None) -> str | None:
    """The name of the province issuing documents on `on_date` (today by default): the loaded
    unit's, else the `vietnam-provinces` reference; None when the province is unknown."""
    on_date = on_date or timezone.localdate()
    try:
        if on_date >= TERRITORY_CHANGE:
            return portal_province_name()
        codes = legacy_province_codes()
        own = portal_province_code()
        return _old_province_name(own if own in codes else codes[0])
    except (UnknownProvince, IndexError):
        return None


def _old_province_name(code: str) -> str | None:
    loaded = (
        AdminUnit.objects.filter(
            level=AdminUnit.Level.PROVINCE, scheme=AdminUnit.Scheme.PRE2025, code=code
        )
        .values_list("name", flat=True)
        .first()
    )
    if loaded:
        return loaded
    from vietnam_provinces.legacy import Province
    from vietnam_provinces.legacy.codes import ProvinceCode

    try:
        return Province.from_code(ProvinceCode(int(code))).name
    except ValueError:
        return None


def heading(day: date | None = None) -> Heading:
    """The heading of a document dated `day` (the generation date: today by default)."""
    day = day or timezone.localdate()
    by = issuer(day)
    return Heading(
        superior=by.superior,
        issuing_body=by.issuing_body,
        number=f"Số: {UNKNOWN}/BC-SCT",
        place=by.place,
        day=day,
    )


def activity_rows(year: int) -> Iterator[ActivityRow]:
    activities = (
        Activity.objects.filter(date__year=year)
        .select_related("district")
        .annotate(n_facilities=Count("participation"), n_people=Sum("participation__people"))
        .order_by("date", "id")
    )
    for activity in activities:
        yield ActivityRow(
            day=activity.date,
            kind=str(activity.get_kind_display()),
            title=activity.title,
            district=activity.district.name if activity.district_id else "",
            facilities=activity.n_facilities,
            people=activity.n_people or 0,
            budget_vnd=activity.total_budget_vnd,
        )


def activity_kind_rows(year: int) -> list[ActivityKindRow]:
    """One row per kind of activity held in the year: number, participants, funding by source."""
    activities = Activity.objects.filter(date__year=year)
    budgets = {
        row["kind"]: row
        for row in activities.order_by()
        .values("kind")
        .annotate(
            n=Count("id"),
            province=Sum("budget_province_vnd"),
            national=Sum("budget_national_vnd"),
            enterprise=Sum("budget_enterprise_vnd"),
            other=Sum("budget_other_vnd"),
        )
    }
    people = {
        row["kind"]: row
        for row in activities.order_by()
        .values("kind")
        .annotate(
            facilities=Count("participation__facility", distinct=True),
            people=Sum("participation__people"),
        )
    }
    rows = []
    for kind, label in Activity.Kind.choices:
        if kind not in budgets:
            continue
        money, taking_part = budgets[kind], people.get(kind, {})
        rows.append(
            ActivityKindRow(
                kind=str(label),
                count=money["n"],
                facilities=taking_part.get("facilities") or 0,
                people=taking_part.get("people") or 0,
                province_vnd=money["province"] or 0,
                national_vnd=money["national"] or 0,
                enterprise_vnd=money["enterprise"] or 0,
                other_vnd=money["other"] or 0,
            )
        )
    return rows


def physical_results(year: int) -> PhysicalResults:
    """The yearly savings of the options done in the year (approved assessments): kWh, TOE and
    tCO₂ (factor tables; electricity at the grid factor of the year), m³ of water, money saved and
    invested, and the number of facilities behind them."""
    sums = {name: Sum(name) for name in (*OPTION_ENERGY_FIELDS, "water_saving_m3")}
    totals = _done_options(year).aggregate(
        n=Count("id"),
        facilities=Count("assessment__facility", distinct=True),
        saving=Sum("annual_saving_vnd"),
        investment=Sum("investment_vnd"),
        **sums,
    )
    factors = Factors.load()
    toe = tco2 = Decimal(0)
    for name, carrier in OPTION_ENERGY_FIELDS.items():
        amount = Decimal(totals[name] or 0)
        if not amount:
            continue
        toe += amount * factors.toe.get(carrier, Decimal(0))
        if carrier == "electricity":
            grid = factors.grid_factor(year)
            if grid is not None:
                tco2 += amount / KWH_PER_MWH * grid
        elif carrier in factors.co2:
            tco2 += amount * factors.co2[carrier]
    return PhysicalResults(
        options=totals["n"],
        facilities=totals["facilities"],
        electricity_kwh=Decimal(totals["electricity_saving_kwh"] or 0),
        toe=toe,
        tco2=tco2,
        water_m3=Decimal(totals["water_saving_m3"] or 0),
        saving_vnd=totals["saving"] or 0,
        investment_vnd=totals["investment"] or 0,
    )


def summary(year: int, content: ReportContent) -> list[tuple[str, str]]:
    """Headline numbers of the year, as (label, value) pairs."""
    reports = content.reporting.reports
    assessments = (
        Assessment.objects.approved()
        .filter(Q(end_date__year=year) | Q(end_date__isnull=True, start_date__year=year))
        .count()
    )
    options = _done_options(year).aggregate(
        n=Count("id"), investment=Sum("investment_vnd"), saving=Sum("annual_saving_vnd")
    )
    return [
        (_("Số cơ sở SXCN hoạt động trong năm"), fmt_int(content.operating)),
        (_("Số báo cáo năm đã được duyệt"), fmt_int(reports)),
        (_("Tỷ lệ báo cáo (báo cáo đã duyệt/cơ sở hoạt động)"), reporting_text(content.reporting)),
        (_("Số cơ sở được đánh giá SXSH trong năm"), fmt_int(assessments)),
        (_("Số giải pháp SXSH hoàn thành trong năm"), fmt_int(options["n"])),
        (_("Vốn đầu tư cho các giải pháp (đồng)"), fmt_int(options["investment"] or 0)),
        (_("Lợi ích tiết kiệm hằng năm (đồng)"), fmt_int(options["saving"] or 0)),
        (_("Số hoạt động của chương trình"), fmt_int(len(content.activities))),
        (_("Đánh giá chung các chỉ tiêu"), met_text(content)),
    ]


def coverage_text(year: int, operating: int) -> str:
    """The registry the percentages are over, and its coverage of the statistics office's
    count of industrial establishments when staff recorded it."""
    count, coverage = registry_coverage(year, operating)
    text = _(
        "Các tỷ lệ được tính trên %(n)s cơ sở SXCN đã đăng ký trên Cổng thông tin, hoạt động "
        "trong năm %(year)s (không phải toàn bộ cơ sở công nghiệp của tỉnh)."
    ) % {"n": fmt_int(operating), "year": year}
    if count is None:
        return text + " " + _("Chưa có số liệu thống kê về tổng số cơ sở công nghiệp của năm.")
    return (
        text
        + " "
        + _(
            "Theo %(source)s (%(day)s), toàn tỉnh có %(m)s cơ sở công nghiệp; danh sách của "
            "Cổng bao quát %(pct)s%%."
        )
        % {
            "source": count.source,
            "day": count.source_date.strftime("%d/%m/%Y"),
            "m": fmt_int(count.count),
            "pct": fmt_decimal(coverage),
        }
    )


def reporting_text(reporting: Reporting) -> str:
    """ "12,5% (5/40)" — the rate with its numerator and denominator."""
    rate = reporting.rate
    ratio = fmt_ratio(reporting.reports, reporting.operating)
    return f"{fmt_decimal(rate)}% ({ratio})" if rate is not None else f"{NO_VALUE} ({ratio})"


def met_text(content: ReportContent) -> str:
    """How many targets were met — never claimed when no report of the year was approved."""
    if not content.judged:
        return _("Chưa đánh giá được: chưa có báo cáo năm nào của năm được duyệt")
    return _("%(met)s/%(total)s chỉ tiêu có mục tiêu định lượng đạt") % {
        "met": content.met_count,
        "total": content.with_target_count,
    }


def _done_options(year: int):
    return Option.objects.filter(
        assessment__state=WorkflowState.APPROVED,
        status=Option.Status.DONE,
        implementation_year=year,
    )


# --- long lists (XLSX only) ----------------------------------------------------------------------

FACILITY_COLUMNS = (
    gettext_lazy("Mã số thuế"),
    gettext_lazy("Tên cơ sở"),
    gettext_lazy("Địa chỉ"),
    gettext_lazy("Xã/phường"),
    gettext_lazy("Huyện"),
    gettext_lazy("Mã ngành VSIC"),
    gettext_lazy("Tình trạng"),
    gettext_lazy("Nhận thức SXSH"),
    gettext_lazy("Áp dụng SXSH"),
    gettext_lazy("DN vừa và lớn"),
    gettext_lazy("Có bộ phận SXSH"),
    gettext_lazy("Tiết kiệm năng lượng/đơn vị SP (%)"),
)


FACILITY_SQL = """
SELECT f.tax_code, f.name, f.address, commune.name, district.name, industry.code, f.status,
       flags.aware, flags.applies, flags.big, flags.has_unit, flags.saving_pct
FROM flags
JOIN {facility} f ON f.id = flags.facility_id
LEFT JOIN {unit} commune ON commune.id = f.commune_id
LEFT JOIN {unit} district ON district.id = commune.parent_id
JOIN {industry} industry ON industry.id = f.industry_id
ORDER BY district.name, f.name, f.id
"""


def facility_rows(year: int) -> Iterator[list]:
    """One row per facility operating in `year`, with the per-facility facts behind the
    indicators (the `flags` of `reports.indicators.facts_sql`), read through a server-side
    cursor."""
    sql, params = facts_sql([year])
    sql += FACILITY_SQL.format(
        facility=Facility._meta.db_table,
        unit=AdminUnit._meta.db_table,
        industry=IndustryCode._meta.db_table,
    )
    yes, no = _("có"), _("không")
    statuses = {value: str(label) for value, label in Facility.Status.choices}
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(2000):
            for *text, status, aware, applies, big, has_unit, saving in chunk:
                yield [
                    *text,
                    statuses.get(status, status),
                    yes if aware else no,
                    yes if applies else no,
                    yes if big else no,
                    yes if has_unit else no,
                    round_half_up(saving, 1),
                ]


OPTION_COLUMNS = (
    gettext_lazy("Mã số thuế"),
    gettext_lazy("Tên cơ sở"),
    gettext_lazy("Loại đánh giá"),
    gettext_lazy("Nhóm giải pháp"),
    gettext_lazy("Mô tả giải pháp"),
    gettext_lazy("Kết quả sàng lọc"),
    gettext_lazy("Tình trạng"),
    gettext_lazy("Năm thực hiện"),
    gettext_lazy("Vốn đầu tư (đồng)"),
    gettext_lazy("Tiết kiệm hằng năm (đồng)"),
    gettext_lazy("Thời gian hoàn vốn (năm)"),
)


def option_sheet_rows(year: int) -> Iterator[list]:
    """Options of approved assessments implemented (or planned without a year) up to `year`."""
    categories = {value: str(label) for value, label in OptionCategory.choices}
    kinds = {value: str(label) for value, label in Assessment.Kind.choices}
    screening = {value: str(label) for value, label in Option.Screening.choices}
    statuses = {value: str(label) for value, label in Option.Status.choices}
    queryset = (
        Option.objects.filter(assessment__state=WorkflowState.APPROVED)
        .filter(Q(implementation_year__lte=year) | Q(implementation_year__isnull=True))
        .order_by("assessment__facility__name", "assessment_id", "category", "id")
        .values_list(
            "assessment__facility__tax_code",
            "assessment__facility__name",
            "assessment__kind",
            "category",
            "description",
            "screening",
            "status",
            "implementation_year",
            "investment_vnd",
            "annual_saving_vnd",
        )
    )
    rows = queryset.iterator(chunk_size=2000)
    for tax, name, kind, category, text, screen, status, impl, invest, saving in rows:
        payback = round_half_up(payback_years(invest, saving), 1)
        yield [
            tax,
            name,
            kinds.get(kind, kind),
            categories.get(category, category),
            text,
            screening.get(screen, screen),
            statuses.get(status, status),
            impl,
            invest,
            saving,
            payback,
        ]


# --- formatting ----------------------------------------------------------------------------------


# The report files' text goes through core.numbers (half up, Vietnamese separators), with a dash
# for a missing value; XLSX cells keep the numbers themselves (rounded by `round_half_up`).
NO_VALUE = "–"


def fmt_int(value) -> str:
    """1234567 -> "1.234.567"; None -> ""."""
    return format_number(value, 0)


def fmt_decimal(value, places: int = 1) -> str:
    """45.45 -> "45,5"; 1234.5 -> "1.234,5"; None -> "–"."""
    return format_number(value, places, empty=NO_VALUE)


def fmt_value(value, unit: str) -> str:
    if value is None:
        return NO_VALUE
    if unit == "%":
        return f"{fmt_decimal(value)}%"
    value = Decimal(value)
    return fmt_int(value) if value == value.to_integral() else fmt_decimal(value, 2)


def fmt_ratio(numerator, denominator) -> str:
    if numerator is None or denominator is None:
        return ""
    return f"{fmt_int(numerator)}/{fmt_int(denominator)}"
