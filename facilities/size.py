"""Enterprise size classes (NĐ 80/2021/NĐ-CP): the one table of limits and its Python and
database readings, below the models (Facility.size_class, the registry filter, the indicators)."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
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
    """`size_class`'s test of one class's limits, as a database condition."""
    employees = Q(**{f"{prefix}employees__isnull": True}) | Q(
        **{f"{prefix}employees__lte": emp_limit}
    )
    money = (
        Q(**{f"{prefix}revenue_bn_vnd__isnull": True, f"{prefix}capital_bn_vnd__isnull": True})
        | Q(**{f"{prefix}revenue_bn_vnd__lte": rev_limit})
        | Q(**{f"{prefix}capital_bn_vnd__lte": cap_limit})
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


class SizeClass(models.TextChoices):
    MICRO = "micro", _("Siêu nhỏ")
    SMALL = "small", _("Nhỏ")
    MEDIUM = "medium", _("Vừa")
    LARGE = "large", _("Lớn")
