"""Enterprise size classes (NĐ 80/2021/NĐ-CP): the one table of limits and its Python and
database readings, below the models (Facility.size_class, the registry filter, the indicators),
and the size in a year (ENT_UNIT_PCT): which figures it is read from, the report's or the
registry's (`year_figures`, `year_figures_annotations`)."""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

# Enterprise size (NĐ 80/2021/NĐ-CP, art. 5; the thresholds of NĐ 39/2018): the one table of upper
# limits by sector group, read by `size_class` (Python), `size_class_q` and `size_at_least_q`
# (the database: the registry filter and the indicators). Per class: (name, max employees,
# max revenue bn VND, max capital bn VND); a class fits when the employees are within its limit
# and the revenue or the capital is; above every class: "large". Each class's limits contain the
# previous one's, so fitting a class means fitting every larger one.
INDUSTRY = "industry"  # agriculture, forestry and fishery; industry and construction
SIZE_LIMITS = {
    INDUSTRY: (
        ("micro", 10, 3, 3),
        ("small", 100, 50, 20),
        ("medium", 200, 200, 100),
    ),
}
LARGE = "large"


def size_class(employees, revenue_bn, capital_bn, group: str = INDUSTRY) -> str | None:
    """The size class: micro, small, medium, large; None when nothing is known. Unknown
    employees count as within a limit, and so do revenue and capital when both are unknown."""
    if employees is None and revenue_bn is None and capital_bn is None:
        return None
    emp = employees if employees is not None else 0
    rev = Decimal(revenue_bn) if revenue_bn is not None else None
    cap = Decimal(capital_bn) if capital_bn is not None else None

    def money_within(rev_limit, cap_limit):
        if rev is None and cap is None:
            return True
        return (rev is not None and rev <= rev_limit) or (cap is not None and cap <= cap_limit)

    for name, emp_limit, rev_limit, cap_limit in SIZE_LIMITS[group]:
        if emp <= emp_limit and money_within(rev_limit, cap_limit):
            return name
    return LARGE


def _fits_q(emp_limit, rev_limit, cap_limit, prefix="") -> Q:
    """`size_class`'s test of one class's limits, as a database condition. Each comparison
    asks first whether the figure is known, so the condition is never NULL and its negation
    (`size_at_least_q`) is right on annotations too, where Django adds no NULL handling."""

    def within(field, limit):
        return Q(**{f"{prefix}{field}__isnull": False, f"{prefix}{field}__lte": limit})

    employees = Q(**{f"{prefix}employees__isnull": True}) | within("employees", emp_limit)
    money = (
        Q(**{f"{prefix}revenue_bn_vnd__isnull": True, f"{prefix}capital_bn_vnd__isnull": True})
        | within("revenue_bn_vnd", rev_limit)
        | within("capital_bn_vnd", cap_limit)
    )
    return employees & money


def _known_q(prefix="") -> Q:
    return ~Q(
        **{
            f"{prefix}employees__isnull": True,
            f"{prefix}revenue_bn_vnd__isnull": True,
            f"{prefix}capital_bn_vnd__isnull": True,
        }
    )


def _smaller_fits_q(name: str, prefix: str, group: str) -> Q | None:
    """Whether the class just below `name` fits (None for the smallest class)."""
    names = [row[0] for row in SIZE_LIMITS[group]] + [LARGE]
    index = names.index(name)
    if index == 0:
        return None
    return _fits_q(*SIZE_LIMITS[group][index - 1][1:], prefix=prefix)


def size_at_least_q(name: str, prefix: str = "", group: str = INDUSTRY) -> Q:
    """The database condition for `size_class(...)` being `name` or larger."""
    smaller = _smaller_fits_q(name, prefix, group)
    return _known_q(prefix) if smaller is None else _known_q(prefix) & ~smaller


def size_class_q(name: str, prefix: str = "", group: str = INDUSTRY) -> Q:
    """The database condition equivalent to `size_class(...) == name`."""
    condition = size_at_least_q(name, prefix, group)
    if name == LARGE:
        return condition
    limits = next(row[1:] for row in SIZE_LIMITS[group] if row[0] == name)
    return condition & _fits_q(*limits, prefix=prefix)


# --- the size in a year (DESIGN §4 ENT_UNIT_PCT) ----------------------------------------------
#
# From that year's approved report when it gives employees, else the registry. The report's
# revenue and capital count where it gives them; a figure it leaves blank is the registry's
# (field by field), so a report that gives only employees never shrinks a facility on its own.
YEAR_PREFIX = "year_size_"


def year_figures(report, registry) -> tuple:
    """(employees, revenue, capital) the size in a year is read from: `report` is the year's
    approved report (None: none) and `registry` the facility, each with employees,
    revenue_bn_vnd and capital_bn_vnd."""
    if report is None or report.employees is None:
        return registry.employees, registry.revenue_bn_vnd, registry.capital_bn_vnd

    def either(field):
        value = getattr(report, field)
        return getattr(registry, field) if value is None else value

    return report.employees, either("revenue_bn_vnd"), either("capital_bn_vnd")


def year_size_class(report, registry, group: str = INDUSTRY) -> str | None:
    """The size class in a year (`year_figures` read by `size_class`)."""
    return size_class(*year_figures(report, registry), group=group)


def year_figures_annotations(registry: str = "facility__") -> dict:
    """`year_figures` for a report that gives employees, as annotations (named YEAR_PREFIX +
    field) of an annual-report queryset reaching its facility by `registry`; read them with
    `size_at_least_q(..., prefix=YEAR_PREFIX)`."""
    return {
        f"{YEAR_PREFIX}employees": F("employees"),
        f"{YEAR_PREFIX}revenue_bn_vnd": Coalesce("revenue_bn_vnd", f"{registry}revenue_bn_vnd"),
        f"{YEAR_PREFIX}capital_bn_vnd": Coalesce("capital_bn_vnd", f"{registry}capital_bn_vnd"),
    }


class SizeClass(models.TextChoices):
    MICRO = "micro", _("Siêu nhỏ")
    SMALL = "small", _("Nhỏ")
    MEDIUM = "medium", _("Vừa")
    LARGE = "large", _("Lớn")
