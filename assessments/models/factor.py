"""Conversion factors (TOE per unit) and grid emission factors, editable by staff."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import factors


class ConversionFactor(models.Model):
    """TOE per unit of an energy carrier (MOIT CV 3505/BCT-KHCN by default); editable by staff."""

    carrier = models.CharField(_("mã nhiên liệu"), max_length=30, unique=True)
    name = models.CharField(_("tên"), max_length=100)
    unit = models.CharField(_("đơn vị"), max_length=20)
    toe_per_unit = models.DecimalField(_("TOE/đơn vị"), max_digits=14, decimal_places=9)
    co2_t_per_unit = models.DecimalField(
        _("tCO₂/đơn vị (nhiên liệu)"), max_digits=14, decimal_places=9, null=True, blank=True
    )
    source = models.CharField(_("nguồn"), max_length=255)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hệ số quy đổi TOE")
        verbose_name_plural = _("hệ số quy đổi TOE")
        ordering = ["carrier"]

    def __str__(self):
        return f"{self.display_name} ({self.toe_per_unit} TOE/{self.display_unit})"

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


class GridEmissionFactor(models.Model):
    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    t_co2_per_mwh = models.DecimalField(_("tCO₂/MWh"), max_digits=8, decimal_places=4)
    source = models.CharField(_("nguồn"), max_length=255)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hệ số phát thải lưới điện")
        verbose_name_plural = _("hệ số phát thải lưới điện")
        ordering = ["year"]

    def __str__(self):
        return f"{self.year}: {self.t_co2_per_mwh} tCO₂/MWh"

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
