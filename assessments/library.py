"""The option library (issue 17 point 2): the done options of approved assessments, anonymised, as
examples for their sector (VSIC division: the first two digits of the facility's industry code),
and the examples staff curate from manuals (`LibraryExample`).

An option example carries only the option's own figures and the year: never the facility's name,
tax code, address or contact. The query reads those only to mask them where the option's own
description names them (`anonymise`), and only when a page reads the example's `description`: a
list of every approved option is sorted, cut and paginated first, and only the rows a page shows
pay for their facility's mask (regular expressions). TOE and tCO₂ come from `option_metrics`
(the factor tables), payback from the one payback rule."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from statistics import median

from django.db.models import F
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from facilities.models import IndustryCode

from .anonymise import FacilityMask
from .models import LibraryExample, Option, OptionCategory, WorkflowState
from .option_metrics import load_factors, tco2_avoided, toe_saved

DIVISION_LEVEL = 2

OPTION_FIELDS = (
    "id",
    "category",
    "description",
    "implementation_year",
    "investment_vnd",
    "annual_saving_vnd",
    "electricity_saving_kwh",
    "coal_saving_t",
    "diesel_saving_l",
    "fuel_oil_saving_t",
    "lpg_saving_t",
    "natural_gas_saving_1000m3",
    "library_hidden",
)

# The facility's identifying fields, read (as annotations, in the one query) only to mask them
# in the option's description: the `FacilityMask.build` keyword for each.
FACILITY_IDENTITY = {
    "name": "facility_identity_name",
    "tax_code": "facility_identity_tax_code",
    "address": "facility_identity_address",
    "contact_name": "facility_identity_contact_name",
    "contact_phone": "facility_identity_contact_phone",
    "contact_email": "facility_identity_contact_email",
}


@dataclass(frozen=True)
class Example:
    """One library example, ready for a template. `kind` is "option" or "curated"; `pk` is the
    option's or the curated example's. `description` is the text as shown (an option's masked),
    worked out when first read: `describe` gives it."""

    kind: str
    pk: int
    division: str
    category: int
    describe: Callable[[], str] = field(repr=False, compare=False)
    investment_vnd: int
    annual_saving_vnd: int
    payback_years: Decimal | None
    toe: Decimal | None
    tco2: Decimal | None
    source: str
    hidden: bool

    @cached_property
    def description(self) -> str:
        return self.describe()

    @property
    def is_curated(self) -> bool:
        return self.kind == "curated"

    def get_category_display(self) -> str:
        return OptionCategory(self.category).label


@dataclass(frozen=True)
class CategorySummary:
    category: int
    label: str
    count: int
    median_payback_years: Decimal | None
    median_annual_saving_vnd: Decimal | None


def division_choices() -> list[tuple[str, str]]:
    """The VSIC divisions (level 2), "code – name"."""
    codes = IndustryCode.objects.filter(level=DIVISION_LEVEL).order_by("code", "-version")
    seen, choices = set(), []
    for code, name in codes.values_list("code", "name"):
        if code not in seen:
            seen.add(code)
            choices.append((code, f"{code} – {name}"))
    return choices


def library_options(division: str | None = None, category: int | None = None):
    """The done options of approved assessments, with their `division`; of the facility only
    its identifying fields are read, to mask them (`FACILITY_IDENTITY`)."""
    identity = {
        alias: F(f"assessment__facility__{field}") for field, alias in FACILITY_IDENTITY.items()
    }
    options = (
        Option.objects.filter(status=Option.Status.DONE, assessment__state=WorkflowState.APPROVED)
        .annotate(
            division=Substr(F("assessment__facility__industry__code"), 1, 2),
            facility_identity_id=F("assessment__facility_id"),
            **identity,
        )
        .only(*OPTION_FIELDS)
        .order_by("id")
    )
    if division:
        options = options.filter(assessment__facility__industry__code__startswith=division)
    if category:
        options = options.filter(category=category)
    return options


def _facility_mask(option, masks: dict) -> FacilityMask:
    """The mask of the option's facility, built once per facility."""
    key = option.facility_identity_id
    if key not in masks:
        fields = {field: getattr(option, alias) or "" for field, alias in FACILITY_IDENTITY.items()}
        masks[key] = FacilityMask.build(**fields)
    return masks[key]


def _masked(option, masks: dict) -> Callable[[], str]:
    """The option's description with its facility masked, when asked (`Example.description`)."""
    return lambda: _facility_mask(option, masks).mask(option.description)


def _option_example(option, factors, masks: dict) -> Example:
    """`masks` holds the facilities' masks built so far (one per facility for a whole list)."""
    year = option.implementation_year
    return Example(
        kind="option",
        pk=option.pk,
        division=option.division or "",
        category=option.category,
        describe=_masked(option, masks),
        investment_vnd=option.investment_vnd,
        annual_saving_vnd=option.annual_saving_vnd,
        payback_years=option.payback_years(),
        toe=toe_saved(option, factors),
        tco2=tco2_avoided(option, factors),
        source=(
            _("Từ đánh giá SXSH đã duyệt, năm %(year)s") % {"year": year}
            if year
            else _("Từ đánh giá SXSH đã duyệt")
        ),
        hidden=option.library_hidden,
    )


def _curated_example(example: LibraryExample) -> Example:
    return Example(
        kind="curated",
        pk=example.pk,
        division=example.division,
        category=example.category,
        describe=lambda: example.description,
        investment_vnd=example.investment_vnd,
        annual_saving_vnd=example.annual_saving_vnd,
        payback_years=example.payback(),
        toe=example.toe,
        tco2=example.tco2,
        source=example.source,
        hidden=example.hidden,
    )


def _relevance(example: Example):
    """Options before curated examples; within each, the largest TOE saving first."""
    return (example.is_curated, -(example.toe or 0), example.pk)


def examples(
    division: str | None = None,
    category: int | None = None,
    *,
    include_hidden: bool = False,
    limit: int | None = None,
) -> list[Example]:
    """The library's examples, options first (largest TOE saving first), then curated ones.
    Hidden examples only with `include_hidden` (the staff's view). Four queries: the options,
    the curated examples and the two factor tables. Descriptions are masked when read (`Example`),
    so a caller that cuts or paginates the list masks only the rows it shows."""
    options = library_options(division, category)
    curated = LibraryExample.objects.all()
    if division:
        curated = curated.filter(division=division)
    if category:
        curated = curated.filter(category=category)
    if not include_hidden:
        options = options.filter(library_hidden=False)
        curated = curated.filter(hidden=False)
    factors = load_factors()
    masks: dict = {}
    result = [_option_example(o, factors, masks) for o in options]
    result += [_curated_example(e) for e in curated]
    result.sort(key=_relevance)
    return result[:limit] if limit is not None else result


def category_summaries(items: list[Example]) -> list[CategorySummary]:
    """Per category with examples: their count and the median payback (of those that have one)
    and annual saving. Hidden examples do not count."""
    summaries = []
    for category in OptionCategory:
        rows = [e for e in items if e.category == category and not e.hidden]
        if not rows:
            continue
        paybacks = [e.payback_years for e in rows if e.payback_years is not None]
        summaries.append(
            CategorySummary(
                category=category.value,
                label=category.label,
                count=len(rows),
                median_payback_years=median(paybacks) if paybacks else None,
                median_annual_saving_vnd=median(Decimal(e.annual_saving_vnd) for e in rows),
            )
        )
    return summaries


def library_order(items: list[Example]) -> list[Example]:
    """The library page's order: by category, then by relevance."""
    return sorted(items, key=lambda e: (e.category, *_relevance(e)))
