"""What a generated report says, gathered once for every format.

The indicator figures come from `reports.indicators.compute_indicators` — the same numbers as the
dashboard and the API. Long lists (facilities, options) are generators over server-side cursors,
written only to the XLSX, so memory stays flat whatever the number of facilities.

A national installation (DESIGN §2): a province's document (`Report.province`) reads only its
data and is headed by it; the national one ("") reads every province, headed by the Ministry.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.collation import sort_key
from facilities.provinces import UnknownProvince
from facilities.territory import ALL, legacy_province_codes
from reports.figures import Counts, Figure
from reports.groupings import NONE_KEY, Grouping, default_grouping
from reports.indicators import Status as IndicatorStatus
from reports.indicators import compute_indicators
from reports.models import authority_lines, is_national_document
from reports.narrative import Block, blocks
from reports.reporting import Reporting, provinces_without, registry_coverage, reporting_for

from .activities import (
    ActivityRow,
    PhysicalResults,
    Programme,
    activity_rows,
    assessments_of_year,
    done_options,
    period_until,
    physical_results,
    programme,
)
from .annex import AnnexRow, annex_place_heading, annex_rows
from .issuer import Heading, heading, issuer
from .numbers import NO_VALUE, fmt_decimal, fmt_int, fmt_pct, fmt_ratio
from .trend import TrendRow, trend

Progress = Callable[[int], None]


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
    # The year's own milestone as written ("74", "6.8-11"; "" when the year has none: its value
    # is then judged against the period's target, never printed as the year's milestone) and the
    # period's target; `no_data`: no value for the year (its status says "Chưa có số liệu";
    # `reports.indicators.judged_figure`).
    milestone: str = ""
    period_target: str = ""
    no_data: bool = False
    source_note: str = ""  # a national sum's provinces (IndicatorResult.source_note), or ""


@dataclass(frozen=True)
class Signer:
    """The signature block: "KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC" when a deputy signs."""

    on_behalf: bool
    title: str
    name: str

    @property
    def lines(self) -> list[str]:
        return authority_lines(self.title, on_behalf=self.on_behalf)


# The national document's signer until issuing records who signs.
MINISTER = Signer(on_behalf=False, title="BỘ TRƯỞNG", name="")


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


# The PDF's annex lists this many facilities at most; the XLSX has them all.
@dataclass(frozen=True)
class BreakdownRow:
    label: str
    operating: int
    values: dict[str, Figure]
    key: str = ""
    reported: int | None = None  # its facilities with an approved report of the year

    def shown(self, code: str) -> Decimal | None:
        """The value of `code` the PDF and DOCX write (None: a dash, as for a year-bound
        indicator of a group without an approved report of the year: `judged_figure`)."""
        figure = self.values.get(code)
        return figure.actual if figure else None


@dataclass(frozen=True)
class Breakdown:
    """One table of groups: its grouping (reports.groupings.Grouping), its caption, the label of
    its first column, the name of its XLSX sheet, and its rows."""

    grouping: str
    caption: str
    first: str
    sheet: str
    rows: list[BreakdownRow]


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
    # Section I.2: activities and assessments by kind, funding by source (activities.programme).
    programme: Programme | None = None
    trend_unreported: list[int] = field(default_factory=list)  # trend years without a report
    physical: PhysicalResults = field(default_factory=PhysicalResults)
    narrative: Narrative = field(default_factory=Narrative)
    signer: Signer = field(default_factory=lambda: Signer(False, "GIÁM ĐỐC", ""))
    province: str = ""  # "Thành phố Hải Phòng", for "UBND Thành phố Hải Phòng;" in "Nơi nhận"
    annex: list[AnnexRow] = field(default_factory=list)  # the first ANNEX_LIMIT facilities
    # The recipients recorded at issuing (Report.recipient_lines); empty in a draft.
    issued_recipients: list[str] = field(default_factory=list)
    # Whose figures (a national installation): the 2025 province of a province's document, None
    # for the whole installation; `national`: the Ministry's national document.
    figures_province: str | None = None
    national: bool = False
    period_end: int | None = None  # the plan period's last year ("chỉ tiêu đến năm 2030")

    @property
    def without_milestone(self) -> bool:
        """Whether an indicator without the year's milestone is judged against the period's
        target (the documents say so under their table)."""
        return any(row.period_target and not row.milestone for row in self.indicators)

    @property
    def summed_notes(self) -> list[str]:
        """ "<indicator>: <where its summed national value comes from>", one per such row."""
        return [f"{row.name}: {row.source_note}" for row in self.indicators if row.source_note]

    @property
    def half(self) -> bool:
        """A half-year report ("6 tháng đầu năm"): its activities and assessments are those of
        the first six months, its direction that of the last six."""
        return self.period_kind == "half"

    def indicator(self, code: str) -> IndicatorRow | None:
        return next((row for row in self.indicators if row.code == code), None)

    @property
    def by_district(self) -> list[BreakdownRow]:
        """The rows of the first place breakdown (the year's default grouping)."""
        return self.by_place[0].rows if self.by_place else []

    @property
    def judged(self) -> bool:
        """Whether the year's results can be judged at all: some approved report of the year."""
        return self.reporting.reports > 0

    @property
    def recipients(self) -> list[str]:
        """The "Nơi nhận" lines, the last "- Lưu: VT, …"."""
        if self.issued_recipients:
            return recipient_lines(self.issued_recipients)
        if self.national:
            return [
                _("- Văn phòng Chính phủ;"),
                _("- Lãnh đạo Bộ;"),
                _("- Sở Công Thương các tỉnh, thành phố;"),
                _("- Lưu: VT."),
            ]
        # "UBND tỉnh Bắc Ninh", "UBND thành phố Hải Phòng": the unit's kind in lower case.
        province = self.province[:1].lower() + self.province[1:] if self.province else _("tỉnh")
        return [
            _("- Bộ Công Thương;"),
            _("- UBND %(province)s;") % {"province": province},
            _("- Giám đốc, các Phó Giám đốc Sở;"),
            _("- Lưu: VT, QLCN."),
        ]

    @property
    def annex_truncated(self) -> bool:
        return self.operating > len(self.annex)

    @property
    def annex_place_heading(self) -> str:
        """The head of the annex's place column (`annex_place`)."""
        return annex_place_heading(self.year, national=self.national)


def dated(content: ReportContent, day: date, number: str, province: str = "") -> None:
    """Head `content` as a document dated `day` with `number` ("Số: 01/BC-SCT"): the issuing
    bodies and the place of its date line are those of that day (DESIGN §3: from 1 July 2025 the
    2025 province, before it the old one), as is the People's Committee among the recipients."""
    content.heading = replace(heading(day, province), number=number)
    content.province = issuer(day, province).province


def recipient_lines(names: list[str]) -> list[str]:
    """Recipients as written by staff ("UBND tỉnh", "- Bộ Công Thương;", "Lưu: VT, QLCN") in the
    form of "Nơi nhận": "- UBND tỉnh;" …, the archive's "- Lưu: VT." last (added when missing)."""
    names = [name.strip().lstrip("-–").strip().rstrip(";.,").strip() for name in names]
    names = [name for name in names if name]
    kept = [name for name in names if not name.lower().startswith("lưu")]
    archive = [name for name in names if name.lower().startswith("lưu")] or [_("Lưu: VT")]
    lines = [f"- {name};" for name in kept + archive]
    lines[-1] = lines[-1][:-1] + "."
    return lines


PERIOD_KINDS = ("year", "half")


def gather(
    year: int,
    progress: Progress,
    *,
    period: str = "year",
    signed_by: Signer | None = None,
    province: str = "",
) -> ReportContent:
    """Everything but the long lists; `progress` receives 10–50 as sections are gathered.

    `period` "half" titles the report for the first six months of the year (the figures are those
    of the year's approved data so far). `province` (Report.province): whose document — in a
    national installation a 2025 province's (its data only), "" the national one (every
    province); in a one-province installation always "" (the installation's)."""
    if period not in PERIOD_KINDS:
        raise ValueError(f"period must be one of {PERIOD_KINDS}")
    scope = province or None  # the figures' `province`
    national = is_national_document(province)
    results = compute_indicators(year, province=scope)
    progress(20)
    reporting = reporting_for(results)
    indicators = [_indicator_row(result) for result in results.results]
    computed_codes = [row.code for row in indicators if row.computed]
    trend_of_period = trend(results, year, scope)
    until = period_until(year, period)
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
        heading=heading(day, province),
        operating=results.operating,
        indicators=indicators,
        computed_codes=computed_codes,
        trend_years=trend_of_period.years,
        trend=trend_of_period.rows,
        trend_unreported=trend_of_period.unreported,
        by_place=place_breakdowns(results, province),
        by_sector=[_breakdown_row(row) for row in results.by_division],
        priority=priority_rows(results),
        activities=list(activity_rows(year, scope, until)),
        period_kind=period,
        reporting=reporting,
        coverage=coverage_text(year, results.operating, province),
        programme=programme(year, scope, until),
        physical=physical_results(year, scope),
        narrative=narrative(year, period, province),
        signer=signed_by or (MINISTER if national else signer()),
        province=issuer(day, province).province,
        annex=annex_rows(year, scope, national=national),
        figures_province=scope,
        national=national,
        period_end=results.period.end_year if results.period else None,
    )
    content.summary = summary(year, content)
    progress(50)
    return content


def narrative(year: int, period: str = "year", province: str = "") -> Narrative:
    from reports.models import ReportNarrative

    found = ReportNarrative.objects.filter(province=province, year=year, period_kind=period).first()
    if found is None:
        return Narrative()
    return Narrative(
        blocks(found.shortcomings), blocks(found.direction), blocks(found.recommendations)
    )


def _indicator_row(result, reporting: Reporting | None = None) -> IndicatorRow:
    """The table row of `result`; whether it has data is the figure's own (`judged_figure`), not
    the `reporting` rate's (still taken by callers such as the Ministry's table)."""
    indicator, figure = result.indicator, result.value
    return IndicatorRow(
        code=indicator.code,
        name=indicator.name_vi,
        unit=indicator.unit,
        target=indicator.target_display,
        actual=figure.actual,
        numerator=figure.numerator,
        denominator=figure.denominator,
        status=result.status,
        status_label=str(result.status_label),
        computed=result.is_computed,
        milestone=(result.target_display or "") if result.milestone else "",
        period_target=indicator.target_display or "",
        no_data=result.no_data,
        source_note=result.source_note,
    )


def _breakdown_row(breakdown) -> BreakdownRow:
    return BreakdownRow(
        breakdown.label, breakdown.operating, breakdown.values, breakdown.key, breakdown.reported
    )


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
    # A national installation's national document.
    Grouping.PROVINCE: (
        gettext_lazy("Theo tỉnh, thành phố (từ 1/7/2025)"),
        gettext_lazy("Tỉnh, thành phố"),
        "TheoTinh",
    ),
}
PRIORITY_LABELS = {
    Grouping.HIGH_POLLUTION_RISK: gettext_lazy("Cơ sở có nguy cơ ô nhiễm cao"),
    Grouping.KEY_ENERGY_USER: gettext_lazy("Cơ sở sử dụng năng lượng trọng điểm"),
}


def _merged_province(province: str = "") -> bool:
    """Whether the portal's province (or the 2025 `province`) was merged from more than one old
    province."""
    try:
        return len(legacy_province_codes(province or None)) > 1
    except UnknownProvince:
        return False


def place_breakdowns(results, province: str = "") -> list[Breakdown]:
    """The place grouping of the reported year (old districts for a year before 2025, 2025
    communes/wards from 2025), then, for a province merged from several, the old provinces. The
    national document (a national installation's, `province` ""): the 2025 provinces."""
    if is_national_document(province):
        groupings = [Grouping.PROVINCE]
    else:
        groupings = [default_grouping(results.year)]
        if _merged_province(province):
            groupings.append(Grouping.OLD_PROVINCE)
    tables = []
    for grouping in groupings:
        caption, first, sheet = PLACE_TABLES[grouping]
        rows = [_breakdown_row(row) for row in results.groups.get(grouping, [])]
        if grouping == Grouping.PROVINCE:  # every province, those without facilities too
            missing = provinces_without({row.key for row in rows})
            rows += [BreakdownRow(name, 0, Counts().values(), code, 0) for code, name in missing]
            rows.sort(key=lambda row: (row.key == NONE_KEY, sort_key(row.label)))
        tables.append(Breakdown(grouping, str(caption), str(first), sheet, rows))
    return tables


def priority_rows(results) -> list[BreakdownRow]:
    """One row per priority group: its facilities (the group "true" of the registry flag), with
    empty figures when no such facility operated in the year."""
    rows = []
    for grouping, label in PRIORITY_LABELS.items():
        found = next((r for r in results.groups.get(grouping, []) if r.key == "true"), None)
        if found:
            operating, values, reported = found.operating, found.values, found.reported
        else:
            operating, values, reported = 0, Counts().values(), 0
        rows.append(BreakdownRow(str(label), operating, values, grouping, reported))
    return rows


def summary(year: int, content: ReportContent) -> list[tuple[str, str]]:
    """Headline numbers of the year, as (label, value) pairs."""
    reports = content.reporting.reports
    until = period_until(year, content.period_kind)
    # Facilities, as the label says: a quick and a detailed assessment of one facility in one
    # year are one facility assessed.
    of_year = assessments_of_year(year, content.figures_province, until)
    assessed = of_year.values("facility_id").distinct().count()
    options = done_options(year, content.figures_province).aggregate(
        n=Count("id"), investment=Sum("investment_vnd"), saving=Sum("annual_saving_vnd")
    )
    return [
        (_("Số cơ sở SXCN hoạt động trong năm"), fmt_int(content.operating)),
        (_("Số báo cáo năm đã được duyệt"), fmt_int(reports)),
        (_("Tỷ lệ báo cáo (báo cáo đã duyệt/cơ sở hoạt động)"), reporting_text(content.reporting)),
        (
            _("Số cơ sở được đánh giá SXSH trong 6 tháng đầu năm")
            if until
            else _("Số cơ sở được đánh giá SXSH trong năm"),
            fmt_int(assessed),
        ),
        (options_label(content, "done"), fmt_int(options["n"])),
        (options_label(content, "investment"), fmt_int(options["investment"] or 0)),
        (options_label(content, "saving"), fmt_int(options["saving"] or 0)),
        # The activities the province holds (activities.held_by), as section I.2's total: the
        # provinces' numbers add up to the national one. The list also shows another province's
        # activities its facilities took part in.
        (_("Số hoạt động của chương trình"), fmt_int(_held_count(content))),
        (_("Đánh giá chung các chỉ tiêu"), met_text(content)),
    ]


def _held_count(content: ReportContent) -> int:
    total = content.programme.total if content.programme else None
    return total.count if total else 0


# The option figures' labels. Options record their year of implementation only (no date): a
# half-year document cannot give the first six months' options, so it says the whole year's.
OPTION_LABELS = {
    "done": (
        gettext_lazy("Số giải pháp SXSH hoàn thành trong năm"),
        gettext_lazy("Số giải pháp SXSH hoàn thành trong năm %(year)s (cả năm)"),
    ),
    "investment": (
        gettext_lazy("Vốn đầu tư cho các giải pháp (đồng)"),
        gettext_lazy("Vốn đầu tư cho các giải pháp hoàn thành trong năm %(year)s (cả năm, đồng)"),
    ),
    "saving": (
        gettext_lazy("Lợi ích tiết kiệm hằng năm (đồng)"),
        gettext_lazy(
            "Lợi ích tiết kiệm hằng năm của các giải pháp hoàn thành trong năm %(year)s "
            "(cả năm, đồng)"
        ),
    ),
}


def options_label(content: ReportContent, what: str) -> str:
    whole_year, half = OPTION_LABELS[what]
    return str(half) % {"year": content.year} if content.half else str(whole_year)


def coverage_text(year: int, operating: int, province: str = "") -> str:
    """The registry the percentages are over, and its coverage of the statistics office's
    count of industrial establishments when staff recorded it (the installation's own province
    only: a national installation's documents have no such count)."""
    if settings.PORTAL_SCOPE == "national":
        count, coverage = registry_coverage(year, operating, province or ALL)
    else:
        count, coverage = registry_coverage(year, operating)
    if is_national_document(province):
        text = _(
            "Các tỷ lệ được tính trên %(n)s cơ sở SXCN đã đăng ký trên Cổng thông tin, hoạt động "
            "trong năm %(year)s (không phải toàn bộ cơ sở công nghiệp của cả nước)."
        ) % {"n": fmt_int(operating), "year": year}
    else:
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
    """ "12,5 % (5/40)" — the rate with its numerator and denominator."""
    rate = reporting.rate
    ratio = fmt_ratio(reporting.reports, reporting.operating)
    return f"{fmt_pct(rate)} ({ratio})" if rate is not None else f"{NO_VALUE} ({ratio})"


# The statuses the indicator table grades a value with.
GRADED = (IndicatorStatus.MET, IndicatorStatus.NOT_MET)


def met_text(content: ReportContent) -> str:
    """How many targets were met, over those the indicator table grades (Đạt/Chưa đạt): the ones
    without data are counted apart, never as not met; no claim over them all when no report of
    the year was approved. `targeted`: the indicators with a target for the year (its milestone,
    else the period's target)."""
    targeted = [row for row in content.indicators if row.milestone or row.period_target]
    graded = [row for row in targeted if row.status in GRADED]
    if not graded:
        if not content.judged:
            return _("Chưa đánh giá được: chưa có báo cáo năm nào của năm được duyệt")
        if not targeted:
            return _("Chưa có chỉ tiêu nào có mục tiêu định lượng để đánh giá")
        return _("Chưa đánh giá được: các chỉ tiêu có mục tiêu định lượng chưa có số liệu")
    met = sum(1 for row in graded if row.status == IndicatorStatus.MET)
    missing = len(targeted) - len(graded)
    if content.judged and not missing:
        return _("%(met)s/%(total)s chỉ tiêu có mục tiêu định lượng đạt") % {
            "met": met,
            "total": len(targeted),
        }
    text = _("%(met)s/%(total)s chỉ tiêu có số liệu đạt mục tiêu") % {
        "met": met,
        "total": len(graded),
    }
    if missing:
        text += "; " + _("%(n)s chỉ tiêu chưa có số liệu") % {"n": missing}
    if content.judged:
        return text
    return _("Chưa đánh giá được đầy đủ (chưa có báo cáo năm nào của năm được duyệt): %(text)s") % {
        "text": text
    }
