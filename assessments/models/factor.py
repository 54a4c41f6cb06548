"""Conversion factors (TOE per unit) and grid emission factors, editable by staff.

A factor changes every TOE and tCO₂ figure of every year at once, so a value typed with the wrong
separator ("1.090" for LPG's 1,09 TOE/t, 1.000 times too big) is refused by the model (`clean`,
which the staff forms and the admin run): more than 10 times or less than a tenth of the shipped
default (assessments/factors.py) is taken for such a slip. A carrier with no shipped default is
only refused at 0 or below."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.locking import Versioned
from core.numbers import format_decimal

from .. import factors

PLAUSIBLE_RATIO = Decimal(10)
# The shipped defaults' sources as a reader checks them (DOMAIN.md, Units and factors).
TOE_SOURCE = "CV 3505/BCT-KHCN"
CO2_SOURCE = "IPCC 2006"
SHIPPED_TOE = {row[0]: Decimal(row[3]) for row in factors.CONVERSION_FACTORS}
SHIPPED_CO2 = {row[0]: Decimal(row[4]) for row in factors.CONVERSION_FACTORS if row[4]}
SHIPPED_GRID = {year: Decimal(value) for year, value in factors.GRID_EMISSION_FACTORS.items()}


def _implausible(model, field: str, value, default: Decimal, source: str) -> ValidationError | None:
    """The refusal of `value` for `field` if it is more than 10 times or less than a tenth of
    `default` (`source` names where the default comes from), else None."""
    if value is None:
        return None
    if value > default * PLAUSIBLE_RATIO:
        message = _(
            "Hệ số %(field)s %(value)s gấp hơn 10 lần hệ số mặc định %(default)s (%(source)s); "
            "hãy kiểm tra dấu chấm (phân cách hàng nghìn) và dấu phẩy (phần thập phân)."
        )
    elif value < default / PLAUSIBLE_RATIO:
        message = _(
            "Hệ số %(field)s %(value)s nhỏ hơn một phần mười hệ số mặc định %(default)s "
            "(%(source)s); hãy kiểm tra dấu chấm (phân cách hàng nghìn) và dấu phẩy (phần thập "
            "phân)."
        )
    else:
        return None
    return ValidationError(
        message,
        code="implausible",
        params={
            "field": model._meta.get_field(field).verbose_name,
            "value": format_decimal(value),
            "default": format_decimal(default),
            "source": source,
        },
    )


def _not_positive(value) -> ValidationError | None:
    if value is not None and value <= 0:
        return ValidationError(_("Hệ số phải lớn hơn 0."), code="not_positive")
    return None


def _raise(errors: dict) -> None:
    errors = {field: error for field, error in errors.items() if error is not None}
    if errors:
        raise ValidationError(errors)


class ConversionFactor(Versioned):
    """TOE per unit of an energy carrier (MOIT CV 3505/BCT-KHCN by default); editable by staff."""

    carrier = models.CharField(_("mã nhiên liệu"), max_length=30, unique=True)
    name = models.CharField(_("tên"), max_length=100)
    unit = models.CharField(_("đơn vị"), max_length=20)
    toe_per_unit = models.DecimalField(_("TOE/đơn vị"), max_digits=14, decimal_places=9)
    co2_t_per_unit = models.DecimalField(
        _("tCO₂/đơn vị (nhiên liệu)"), max_digits=14, decimal_places=9, null=True, blank=True
    )
    source = models.CharField(_("nguồn"), max_length=255)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("hệ số quy đổi TOE")
        verbose_name_plural = _("hệ số quy đổi TOE")
        ordering = ["carrier"]

    def __str__(self):
        return f"{self.display_name} ({self.toe_per_unit} TOE/{self.display_unit})"

    def clean(self):
        """Refuse a factor of 0 or below, and one out of proportion with the carrier's shipped
        default (a separator slip: see the module)."""
        toe, co2 = SHIPPED_TOE.get(self.carrier), SHIPPED_CO2.get(self.carrier)
        _raise(
            {
                "toe_per_unit": _not_positive(self.toe_per_unit)
                or (toe and _implausible(self, "toe_per_unit", self.toe_per_unit, toe, TOE_SOURCE)),
                "co2_t_per_unit": co2
                and _implausible(self, "co2_t_per_unit", self.co2_t_per_unit, co2, CO2_SOURCE),
            }
        )

    # Pages show these: the shipped wording in the reader's language, a staff edit as written.
    @property
    def display_name(self) -> str:
        return factors.display_conversion(self.carrier, "name", self.name)

    @property
    def display_unit(self) -> str:
        return factors.display_conversion(self.carrier, "unit", self.unit)

    @property
    def display_source(self) -> str:
        return factors.display_conversion(self.carrier, "source", self.source)


class GridEmissionFactor(Versioned):
    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    t_co2_per_mwh = models.DecimalField(_("tCO₂/MWh"), max_digits=8, decimal_places=4)
    source = models.CharField(_("nguồn"), max_length=255)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("hệ số phát thải lưới điện")
        verbose_name_plural = _("hệ số phát thải lưới điện")
        ordering = ["year"]

    def __str__(self):
        return f"{self.year}: {self.t_co2_per_mwh} tCO₂/MWh"

    def clean(self):
        """Refuse a factor of 0 or below, and one out of proportion with the shipped default of
        its year, or of the nearest shipped year for a year without one (a separator slip: see
        the module)."""
        year = self.default_year()
        _raise(
            {
                "t_co2_per_mwh": _not_positive(self.t_co2_per_mwh)
                or _implausible(
                    self,
                    "t_co2_per_mwh",
                    self.t_co2_per_mwh,
                    SHIPPED_GRID[year],
                    _("năm %(year)s") % {"year": year},
                )
            }
        )

    def default_year(self) -> int:
        """The shipped year whose default this factor is checked against: its own year, else
        the nearest (the latest for a year after them), the latest without a year."""
        if self.year is None:
            return max(SHIPPED_GRID)
        return min(SHIPPED_GRID, key=lambda shipped: (abs(shipped - self.year), -shipped))

    @classmethod
    def missing_years(cls, years) -> list[int]:
        """The years among `years` up to this year without a factor: their annual reports'
        electricity has no CO₂ figure until staff add one."""
        this_year = timezone.localdate().year
        known = set(cls.objects.values_list("year", flat=True))
        return sorted(y for y in years if y <= this_year and y not in known)

    @property
    def display_source(self) -> str:
        return factors.display_grid_source(self.source)
