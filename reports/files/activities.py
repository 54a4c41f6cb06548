"""The programme's work in a report: activities with participants and funding by source, and
the physical results of the options done in the year (kWh, TOE, tCO₂, water, money).

`province` (a 2025 code) limits everything to one province of a national installation (a
province's document); None: the whole installation. `until` (the half-year report: 30 June)
leaves out activities and assessments dated after it."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import Trim
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.factors import KWH_PER_MWH, Factors
from assessments.models import (
    OPTION_ENERGY_FIELDS,
    Activity,
    Assessment,
    Option,
    Participation,
    WorkflowState,
)

# The year of an assessment and the approved assessments of a year: one home with the
# activities' delete page (Activity.deletion_effect), which states the funding total below.
from assessments.models.activity import assessment_year_q as assessment_year_q
from assessments.models.activity import assessments_of_year
from assessments.option_metrics import tco2_whole
from facilities.models import Facility
from facilities.territory import unit_label


def period_until(year: int, period: str) -> date | None:
    """The last day a half-year report covers (30 June: its activities and assessments are
    those of the first six months); None for the annual report (the whole year)."""
    return date(year, 6, 30) if period == "half" else None


def activities_of(year: int, province: str | None = None, until: date | None = None):
    """The activities held in `year` (up to `until` when given); of a province: held by it
    (Activity.province), or with one of its facilities taking part (as
    `Activity.objects.visible_to` scopes them). What a province's document counts of them:
    `held_by` (their number and budgets) and `participations_in` (their participants).
    An activity planned after today (`Activity.takes_place_later`) has not been held: a report
    of the current year made during it leaves it out, its budget with it."""
    activities = Activity.objects.held_in(year, until)
    if province is None:
        return activities
    taken_part = Participation.objects.filter(facility__province=province)
    return activities.filter(Q(province=province) | Q(pk__in=taken_part.values("activity_id")))


def held_by(activities, province: str | None = None):
    """Those of `activities` a province's document counts and whose budget it counts: the ones
    it holds (Activity.province, `Activity.holding_province`), never another province's its
    facilities took part in (that activity and its money are the holder's); all of them for the
    whole installation. Each activity is thus counted in one province's document only, and the
    provinces' numbers add up to the national one."""
    return activities if province is None else activities.filter(province=province)


def counts_budget(activity: Activity, province: str | None = None) -> bool:
    """Whether a document of `province` counts `activity`'s budget (`held_by`)."""
    return province is None or activity.province == province


def participant_filter(province: str | None = None, prefix: str = "") -> Q:
    """The participations a document of `province` counts: its own facilities' (the province's
    indicators count them too: reports.fact_sql), whoever holds the activity, so that the
    provinces' participants add up to the national figure; every one for the whole
    installation. `prefix`: the path to Participation ("participation__")."""
    return Q() if province is None else Q(**{f"{prefix}facility__province": province})


def participations_in(activities, province: str | None = None):
    """The participations of `activities` a document of `province` counts (`participant_filter`)."""
    return Participation.objects.filter(participant_filter(province), activity__in=activities)


@dataclass(frozen=True)
class ActivityRow:
    day: date
    kind: str
    title: str
    district: str
    facilities: int
    people: int
    budget_vnd: int


@dataclass(frozen=True)
class PhysicalResults:
    """What the options done in the year save each year, and the facilities behind them."""

    options: int = 0
    facilities: int = 0
    electricity_kwh: Decimal = Decimal(0)
    toe: Decimal = Decimal(0)
    # None: electricity saved without a grid factor of the year, or a fuel without tCO₂ per unit.
    tco2: Decimal | None = Decimal(0)
    water_m3: Decimal = Decimal(0)
    saving_vnd: int = 0
    investment_vnd: int = 0


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


def _place_name(activity, *, named_province: bool) -> str:
    """Where `activity` was held (Activity.place: the 2025 commune/ward from 1 July 2025, else
    the old district), with its province when the document covers several: commune names
    repeat from one province to another ("Xã Tân An" in six)."""
    place = activity.place
    if place is None:
        return ""
    if named_province and place.parent_id:
        return f"{place.name}, {place.parent.name}"
    if not activity.ward_id:
        return activity.district_label  # two old districts of one name tell their provinces
    return place.name


def activity_rows(
    year: int, province: str | None = None, until: date | None = None
) -> Iterator[ActivityRow]:
    # A national installation's national document: every province's activities.
    national = province is None and settings.PORTAL_SCOPE == "national"
    counted = participant_filter(province, "participation__")
    activities = (
        activities_of(year, province, until)
        .select_related("district__parent", "ward__parent")
        .annotate(
            district_label=unit_label("district"),
            n_facilities=Count("participation", filter=counted),
            n_people=Sum("participation__people", filter=counted),
        )
        .order_by("date", "id")
    )
    for activity in activities:
        yield ActivityRow(
            day=activity.date,
            kind=str(activity.get_kind_display()),
            title=activity.title,
            district=_place_name(activity, named_province=national),
            facilities=activity.n_facilities,
            people=activity.n_people or 0,
            budget_vnd=activity.total_budget_vnd if counts_budget(activity, province) else 0,
        )


def activity_kind_rows(
    year: int, province: str | None = None, until: date | None = None
) -> list[ActivityKindRow]:
    """One row per kind of activity held in the year (up to `until`): number, participants,
    funding by source. A province's document: the number and budgets of the activities it holds
    (`held_by`), so that the provinces' numbers add up to the national one; the participants of
    its facilities in any activity (`participations_in`), another province's included — a kind
    whose only activities are another province's has a row of 0 activities with them."""
    activities = activities_of(year, province, until)
    held = held_by(activities, province)
    budgets = {
        row["kind"]: row
        for row in held.order_by()
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
        row["activity__kind"]: row
        for row in participations_in(activities, province)
        .order_by()
        .values("activity__kind")
        .annotate(facilities=Count("facility", distinct=True), people=Sum("people"))
    }
    rows = []
    for kind, label in Activity.Kind.choices:
        if kind not in budgets and kind not in people:
            continue
        money, taking_part = budgets.get(kind, {}), people.get(kind, {})
        rows.append(
            ActivityKindRow(
                kind=str(label),
                count=money.get("n") or 0,
                facilities=taking_part.get("facilities") or 0,
                people=taking_part.get("people") or 0,
                province_vnd=money.get("province") or 0,
                national_vnd=money.get("national") or 0,
                enterprise_vnd=money.get("enterprise") or 0,
                other_vnd=money.get("other") or 0,
            )
        )
    return rows


def activity_kind_total(
    year: int, province: str | None = None, until: date | None = None
) -> ActivityKindRow | None:
    """The "Tổng cộng" row of `activity_kind_rows`: its sums, and the DISTINCT facilities taking
    part in any activity of the period (a facility at a workshop and a training counts once);
    of a province, as `activity_kind_rows` counts them (the activities it holds; its facilities'
    participants anywhere). None when there was no activity (held, or with its facilities)."""
    activities = activities_of(year, province, until)
    money = held_by(activities, province).aggregate(
        n=Count("id"),
        province=Sum("budget_province_vnd"),
        national=Sum("budget_national_vnd"),
        enterprise=Sum("budget_enterprise_vnd"),
        other=Sum("budget_other_vnd"),
    )
    taking_part = participations_in(activities, province).aggregate(
        n=Count("id"), facilities=Count("facility", distinct=True), people=Sum("people")
    )
    if not money["n"] and not taking_part["n"]:
        return None
    return ActivityKindRow(
        kind=str(_("Tổng cộng")),
        count=money["n"],
        facilities=taking_part["facilities"] or 0,
        people=taking_part["people"] or 0,
        province_vnd=money["province"] or 0,
        national_vnd=money["national"] or 0,
        enterprise_vnd=money["enterprise"] or 0,
        other_vnd=money["other"] or 0,
    )


@dataclass(frozen=True)
class AssessmentRow:
    """The approved assessments of one kind in the period: how many, at how many facilities,
    their consultancy cost and the support they received."""

    kind: str
    count: int
    facilities: int
    cost_vnd: int
    support_vnd: int


def assessment_rows(
    year: int, province: str | None = None, until: date | None = None
) -> list[AssessmentRow]:
    """One row per kind of assessment (every kind, zero when none), of `assessments_of_year`."""
    found = {
        row["kind"]: row
        for row in assessments_of_year(year, province, until)
        .order_by()
        .values("kind")
        .annotate(
            n=Count("id"),
            facilities=Count("facility", distinct=True),
            cost=Sum("total_cost_vnd"),
            support=Sum("supported_amount_vnd"),
        )
    }
    rows = []
    for kind, label in Assessment.Kind.choices:
        row = found.get(kind, {})
        rows.append(
            AssessmentRow(
                kind=str(label),
                count=row.get("n", 0),
                facilities=row.get("facilities", 0),
                cost_vnd=row.get("cost") or 0,
                support_vnd=row.get("support") or 0,
            )
        )
    return rows


def assessment_total(
    year: int, province: str | None = None, until: date | None = None
) -> AssessmentRow:
    """The "Tổng cộng" row of `assessment_rows`: the DISTINCT facilities assessed in the period
    (one with a quick and a detailed assessment counts once)."""
    sums = assessments_of_year(year, province, until).aggregate(
        n=Count("id"),
        facilities=Count("facility", distinct=True),
        cost=Sum("total_cost_vnd"),
        support=Sum("supported_amount_vnd"),
    )
    return AssessmentRow(
        kind=str(_("Tổng cộng")),
        count=sums["n"],
        facilities=sums["facilities"],
        cost_vnd=sums["cost"] or 0,
        support_vnd=sums["support"] or 0,
    )


@dataclass(frozen=True)
class FundingRow:
    source: str
    amount_vnd: int


# Activity budget field -> the source's name (the documents' and the Ministry's table).
ACTIVITY_SOURCES = {
    "budget_province_vnd": gettext_lazy("Ngân sách tỉnh"),
    "budget_national_vnd": gettext_lazy("Kinh phí khuyến công quốc gia"),
    "budget_enterprise_vnd": gettext_lazy("Doanh nghiệp đóng góp"),
    "budget_other_vnd": gettext_lazy("Nguồn khác"),
}


@dataclass(frozen=True)
class Funding:
    """The programme's money of the period by source: the activities by budget source, then the
    support to the approved assessments by the source they name. The one computation behind the
    documents' section I.2 and the Ministry's table (section V): their totals agree."""

    activities: list[FundingRow]
    support: list[FundingRow]

    @property
    def total_vnd(self) -> int:
        return sum(row.amount_vnd for row in (*self.activities, *self.support))


def funding(year: int, province: str | None = None, until: date | None = None) -> Funding:
    return Funding(activity_funding(year, province, until), support_funding(year, province, until))


def activity_funding(
    year: int, province: str | None = None, until: date | None = None
) -> list[FundingRow]:
    """The period's programme activities, one row per budget source; of a province, those it
    holds (`held_by`)."""
    sums = held_by(activities_of(year, province, until), province).aggregate(
        **{name: Sum(name) for name in ACTIVITY_SOURCES}
    )
    return [FundingRow(str(label), sums[name] or 0) for name, label in ACTIVITY_SOURCES.items()]


def support_funding(
    year: int, province: str | None = None, until: date | None = None
) -> list[FundingRow]:
    """Support to the period's assessments by the source they name ("Không ghi nguồn" when
    none)."""
    rows = (
        assessments_of_year(year, province, until)
        .annotate(source=Trim("funding_source"))
        .order_by("source")
        .values("source")
        .annotate(amount=Sum("supported_amount_vnd"))
    )
    return [
        FundingRow(row["source"] or _("Không ghi nguồn"), row["amount"] or 0)
        for row in rows
        if row["amount"]
    ]


@dataclass(frozen=True)
class Programme:
    """Section I.2 of a document: the activities by kind (`total`: distinct facilities), the
    approved assessments by kind (`assessments_total`: distinct facilities) and the funding by
    source (`funding`)."""

    kinds: list[ActivityKindRow]
    total: ActivityKindRow | None
    assessments: list[AssessmentRow]
    assessments_total: AssessmentRow
    funding: Funding

    @property
    def activities_note(self) -> str:
        """Under the activities table when its rows add up to more facilities than its total
        (a facility in activities of several kinds): what the total counts. Else empty."""
        if self.total is None or self.total.facilities == sum(r.facilities for r in self.kinds):
            return ""
        return _(
            "Ghi chú: Số cơ sở ở dòng “Tổng cộng” là số cơ sở khác nhau; một cơ sở tham gia "
            "nhiều loại hoạt động được tính một lần."
        )

    @property
    def assessments_note(self) -> str:
        """Under the assessments table when its rows add up to more facilities than its total (a
        facility with a quick and a detailed assessment): what the total counts. Else empty."""
        rows = sum(row.facilities for row in self.assessments)
        if self.assessments_total.facilities == rows:
            return ""
        return _(
            "Ghi chú: Số cơ sở ở dòng “Tổng cộng” là số cơ sở khác nhau; một cơ sở có cả đánh "
            "giá nhanh và đánh giá chi tiết được tính một lần."
        )


def programme(year: int, province: str | None = None, until: date | None = None) -> Programme:
    return Programme(
        kinds=activity_kind_rows(year, province, until),
        total=activity_kind_total(year, province, until),
        assessments=assessment_rows(year, province, until),
        assessments_total=assessment_total(year, province, until),
        funding=funding(year, province, until),
    )


@dataclass(frozen=True)
class CarrierSaving:
    """What the options done in the year save of one energy carrier each year."""

    carrier: str  # ConversionFactor.carrier
    amount: Decimal  # in the carrier's unit (kWh, t, L, 1000 m³)
    toe: Decimal
    tco2: Decimal | None  # None: electricity saved and no grid factor of the year


def done_option_totals(year: int, province: str | None = None) -> dict:
    """Sums over the options done in the year: count, facilities, money, each saving field."""
    sums = {name: Sum(name) for name in (*OPTION_ENERGY_FIELDS, "water_saving_m3")}
    return done_options(year, province).aggregate(
        n=Count("id"),
        facilities=Count("assessment__facility", distinct=True),
        saving=Sum("annual_saving_vnd"),
        investment=Sum("investment_vnd"),
        material=Sum("material_saving_t"),
        **sums,
    )


def carrier_savings(totals: dict, year: int) -> list[CarrierSaving]:
    """One row per energy carrier of the options (`done_option_totals`): amount, TOE and tCO₂
    (factor tables; electricity at the grid factor of the year)."""
    factors = Factors.load()
    rows = []
    for name, carrier in OPTION_ENERGY_FIELDS.items():
        amount = Decimal(totals[name] or 0)
        toe = amount * factors.toe.get(carrier, Decimal(0))
        tco2 = Decimal(0)
        if carrier == "electricity":
            grid = factors.grid_factor(year)
            if grid is not None:
                tco2 = amount / KWH_PER_MWH * grid
            elif amount:
                tco2 = None  # no factor of the year: no figure, never another year's
        elif carrier in factors.co2:
            tco2 = amount * factors.co2[carrier]
        elif amount:
            tco2 = None  # a fuel without tCO₂ per unit: no figure, never counted as 0
        rows.append(CarrierSaving(carrier, amount, toe, tco2))
    return rows


def physical_results(year: int, province: str | None = None) -> PhysicalResults:
    """The yearly savings of the options done in the year (approved assessments): kWh, TOE and
    tCO₂ (factor tables; electricity at the grid factor of the year), m³ of water, money saved and
    invested, and the number of facilities behind them."""
    totals = done_option_totals(year, province)
    carriers = carrier_savings(totals, year)
    return PhysicalResults(
        options=totals["n"],
        facilities=totals["facilities"],
        electricity_kwh=Decimal(totals["electricity_saving_kwh"] or 0),
        toe=sum((row.toe for row in carriers), Decimal(0)),
        tco2=tco2_whole(row.tco2 for row in carriers),
        water_m3=Decimal(totals["water_saving_m3"] or 0),
        saving_vnd=totals["saving"] or 0,
        investment_vnd=totals["investment"] or 0,
    )


def done_options(year: int, province: str | None = None):
    """The options of approved assessments done in `year`, at facilities operating in it
    (DESIGN §4: not closed before the year, established no later than it; Option.clean refuses
    others, this keeps out any stored before it did)."""
    options = Option.objects.filter(
        assessment__state=WorkflowState.APPROVED,
        assessment__facility__in=Facility.objects.operating_in(year),
        status=Option.Status.DONE,
        implementation_year=year,
    )
    if province is not None:
        options = options.filter(assessment__facility__province=province)
    return options
