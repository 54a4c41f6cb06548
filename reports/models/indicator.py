"""The plan's indicators (chỉ tiêu) with their targets for the period, their yearly milestones
and the values staff enter by hand for the indicators that are not computed."""

import unicodedata
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.locking import Versioned

from ..figures import COMPUTED_CODES
from ..plan_seed import BASELINE_2021_2030, INDICATORS_2016_2020

# The units that bound an indicator's numbers (its targets, yearly milestones and manual values;
# number_problem): every number is ≥ 0; a percentage is at most 100; a count of people,
# facilities, courses… is a whole number. The seeded plan uses "%" and "người" (plan_seed.py);
# the other counts are those staff write for the indicators they add. Compared by unit_key.
PERCENT_UNIT = "%"
COUNT_UNITS = frozenset(
    {
        "người",
        "cán bộ",
        "lượt người",
        "cơ sở",
        "doanh nghiệp",
        "khóa",
        "khóa học",
        "lớp",
        "lớp học",
        "lượt",
        "mô hình",
        "hội thảo",
        "đợt",
    }
)


def unit_key(unit: str | None) -> str:
    """A unit as compared: composed Unicode, lower case, single spaces, "khoá" spelt "khóa"."""
    key = " ".join(unicodedata.normalize("NFC", unit or "").split()).lower()
    return key.replace("khoá", "khóa")


def number_problem(unit: str | None, value, what: str) -> str | None:
    """What is wrong with `value` as a number in `unit` (None: nothing); `what` names it in
    the message ("Mốc năm 2018")."""
    if value is None:
        return None
    value = Decimal(str(value))
    key = unit_key(unit)
    if value < 0:
        return gettext("%(what)s không được nhỏ hơn 0.") % {"what": what}
    if key == PERCENT_UNIT and value > 100:
        return gettext("%(what)s là tỷ lệ phần trăm nên không được lớn hơn 100.") % {"what": what}
    if key in COUNT_UNITS and value != value.to_integral_value():
        return gettext("%(what)s là số %(unit)s nên phải là số nguyên.") % {
            "what": what,
            "unit": unit.strip(),
        }
    return None


def _number_errors(unit: str | None, numbers: dict) -> dict[str, ValidationError]:
    """The problems of {field name: (value, what)} in `unit`, each on its field."""
    return {
        name: ValidationError(problem, code="unit_bounds")
        for name, (value, what) in numbers.items()
        if (problem := number_problem(unit, value, what))
    }


def _check_numbers(unit: str | None, numbers: dict) -> None:
    """Raise the problems of {field name: (value, what)} in `unit`, each on its field."""
    if errors := _number_errors(unit, numbers):
        raise ValidationError(errors)


class Indicator(Versioned):
    """A plan indicator (chỉ tiêu) with its target for the period."""

    class Method(models.TextChoices):
        COMPUTED = "computed", _("Tính tự động từ dữ liệu đã duyệt")
        MANUAL = "manual", _("Nhập thủ công theo năm")

    # Plan periods live in assessments (annual reports are filed for plan years; see there).
    period = models.ForeignKey(
        "assessments.PlanPeriod",
        verbose_name=_("giai đoạn"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    code = models.CharField(_("mã chỉ tiêu"), max_length=30)
    name_vi = models.CharField(_("tên chỉ tiêu (tiếng Việt)"), max_length=255)
    name_en = models.CharField(_("tên chỉ tiêu (tiếng Anh)"), max_length=255, blank=True)
    unit = models.CharField(_("đơn vị"), max_length=20, default="%")
    target_min = models.DecimalField(
        _("chỉ tiêu (tối thiểu)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_max = models.DecimalField(
        _("chỉ tiêu (tối đa của khoảng)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Chỉ nhập khi chỉ tiêu là một khoảng, ví dụ 8–13%."),
    )
    baseline_value = models.DecimalField(
        _("giá trị năm gốc"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    baseline_note = models.CharField(_("ghi chú năm gốc"), max_length=255, blank=True)
    method = models.CharField(_("cách tính"), max_length=10, choices=Method.choices)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["period", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["period", "code"], name="indicator_period_code"),
            models.CheckConstraint(
                condition=Q(target_max__isnull=True)
                | Q(target_min__isnull=False, target_max__gte=models.F("target_min")),
                name="indicator_target_range_order",
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    TARGET_FIELDS = ("target_min", "target_max", "baseline_value")

    def clean(self):
        """Only the indicators the portal computes (COMPUTED_CODES) are computed; the targets
        (and the base-year value) are numbers in the indicator's unit (number_problem); a new
        unit must fit the milestones and values already entered."""
        numbers = {
            name: (getattr(self, name), capfirst(self._meta.get_field(name).verbose_name))
            for name in self.TARGET_FIELDS
        }
        errors = _number_errors(self.unit, numbers)
        if self.method == self.Method.COMPUTED and self.code not in COMPUTED_CODES:
            message = _(
                "Chỉ các chỉ tiêu %(codes)s được tính tự động; chỉ tiêu khác nhập thủ công."
            )
            errors["method"] = ValidationError(
                message, code="not_computed", params={"codes": ", ".join(COMPUTED_CODES)}
            )
        if errors:
            raise ValidationError(errors)
        if self.pk is None:
            return
        stored = Indicator.objects.filter(pk=self.pk).values_list("unit", flat=True).first()
        if stored is not None and unit_key(stored) != unit_key(self.unit):
            entered = [*self.milestones.order_by("year"), *self.values.order_by("year")]
            for entry in entered:
                for _name, value, what in entry.numbers():
                    if problem := number_problem(self.unit, value, what):
                        raise ValidationError({"unit": problem}, code="unit_bounds")

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name_vi

    # Pages show these: the shipped wording (reports/plan_seed.py) in the reader's language, what
    # staff wrote as written.
    @property
    def display_unit(self) -> str:
        return _shipped(self.code, 3, self.unit)

    @property
    def display_baseline_note(self) -> str:
        if self.baseline_note == BASELINE_2021_2030:  # the demo 2021–2030 plan's note
            return gettext(BASELINE_2021_2030)
        return _shipped(self.code, 6, self.baseline_note)

    @property
    def target_display(self) -> str:
        """The target as the report files write it: `90`, or a range `8-13`."""
        return _range_display(self.target_min, self.target_max)

    def milestone_for(self, year: int | None) -> "IndicatorMilestone | None":
        """The year's milestone, if staff (or the seed) set one; reads prefetched milestones."""
        if year is None:
            return None
        return next((m for m in self.milestones.all() if m.year == year), None)

    def target_for(self, year: int | None) -> tuple[Decimal | None, Decimal | None]:
        """(low, high) a year is judged against: its milestone, else the period's target."""
        milestone = self.milestone_for(year)
        if milestone is not None:
            return milestone.target_min, milestone.target_max
        return self.target_min, self.target_max

    def target_display_for(self, year: int | None) -> str:
        return _range_display(*self.target_for(year))

    def is_met(self, actual, year: int | None = None) -> bool | None:
        """Whether `actual` reaches the year's milestone (else the period's target)."""
        low, _high = self.target_for(year)
        if actual is None or low is None:
            return None
        return Decimal(str(actual)) >= low


SHIPPED_INDICATORS = {row[0]: row for row in INDICATORS_2016_2020}


def _shipped(code: str, column: int, stored: str) -> str:
    """`stored` in the active language while it is still the shipped wording of the indicator
    `code` (column of INDICATORS_2016_2020), else as written."""
    row = SHIPPED_INDICATORS.get(code)
    shipped = row[column] if row else None
    return gettext(shipped) if shipped and stored == shipped else stored


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _range_display(low: Decimal | None, high: Decimal | None) -> str:
    if low is None:
        return ""
    return f"{_plain(low)}-{_plain(high)}" if high is not None else _plain(low)


class IndicatorMilestone(models.Model):
    """The target of one year inside a plan period (DESIGN §4 "milestones"): a year's status
    compares with it; the period's target is shown beside it."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="milestones"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    target_min = models.DecimalField(_("mốc (tối thiểu)"), max_digits=12, decimal_places=2)
    target_max = models.DecimalField(
        _("mốc (tối đa của khoảng)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mốc chỉ tiêu theo năm")
        verbose_name_plural = _("mốc chỉ tiêu theo năm")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="milestone_year"),
            models.CheckConstraint(
                condition=Q(target_max__isnull=True) | Q(target_max__gte=models.F("target_min")),
                name="milestone_range_order",
            ),
        ]

    def __str__(self):
        return (
            f"{self.indicator.code} {self.year}: {_range_display(self.target_min, self.target_max)}"
        )

    def numbers(self) -> list[tuple]:
        """(field name, value, what the messages call it) of each bound."""
        year = {"year": self.year}
        return [
            ("target_min", self.target_min, gettext("Mốc năm %(year)s") % year),
            ("target_max", self.target_max, gettext("Mức tối đa năm %(year)s") % year),
        ]

    def clean(self):
        """The bounds are numbers in the indicator's unit (number_problem), the maximum not below
        the minimum (the milestone_range_order constraint, told on the field)."""
        if self.indicator_id is None:
            return  # the form refuses the missing indicator
        numbers = {name: (value, what) for name, value, what in self.numbers()}
        _check_numbers(self.indicator.unit, numbers)
        low, high = self.target_min, self.target_max
        if low is not None and high is not None and high < low:
            message = _("Năm %(year)s: mức tối đa không được nhỏ hơn mốc tối thiểu.")
            raise ValidationError({"target_max": message % {"year": self.year}})


class IndicatorValue(models.Model):
    """A manually entered value of an indicator for one year (e.g. DOIT_STAFF)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=2)
    note = models.TextField(_("ghi chú"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("giá trị chỉ tiêu")
        verbose_name_plural = _("giá trị chỉ tiêu")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="indicatorvalue_year")
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.year}: {self.value}"

    def numbers(self) -> list[tuple]:
        """(field name, value, what the messages call it), as IndicatorMilestone.numbers."""
        return [("value", self.value, gettext("Giá trị năm %(year)s") % {"year": self.year})]

    def clean(self):
        """The year is one of the indicator's period and has come (a value is a year's figure, as
        the annual report import refuses the years still to come); the value is a number in the
        indicator's unit (number_problem)."""
        if self.indicator_id is None:
            return  # the form refuses the missing indicator
        numbers = {name: (value, what) for name, value, what in self.numbers()}
        errors = _number_errors(self.indicator.unit, numbers)
        if (problem := self.year_problem()) is not None:
            errors["year"] = problem
        if errors:
            raise ValidationError(errors)

    def year_problem(self) -> ValidationError | None:
        """Why the value cannot be of its year (None: it can)."""
        year, period = self.year, self.indicator.period
        if year is None:
            return None
        if year not in period.years:
            message = _(
                "Năm %(year)s không thuộc giai đoạn %(start)s–%(end)s của chỉ tiêu %(code)s."
            )
            params = {
                "year": year,
                "start": period.start_year,
                "end": period.end_year,
                "code": self.indicator.code,
            }
            return ValidationError(message, code="outside_period", params=params)
        if year > timezone.localdate().year:
            message = _("Năm %(year)s chưa đến, chưa thể ghi giá trị của năm này.")
            return ValidationError(message, code="future_year", params={"year": year})
        return None
