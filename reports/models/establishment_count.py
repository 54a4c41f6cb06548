"""The statistics office's count of industrial establishments per year: the denominator of the
registry's coverage."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.numbers import round_pct


class EstablishmentCount(models.Model):
    """How many industrial establishments the statistics office counts in the province for a
    year (DESIGN §4 "honest denominators"): the registry's coverage is measured against it, and
    every percentage over the registry says so."""

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    count = models.PositiveIntegerField(_("số cơ sở SXCN theo thống kê"))
    source = models.CharField(
        _("nguồn số liệu"),
        max_length=255,
        help_text=_("Ví dụ: Niên giám thống kê tỉnh năm 2020, Cục Thống kê."),
    )
    source_date = models.DateField(_("ngày của số liệu"))
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
        verbose_name = _("số cơ sở SXCN theo thống kê")
        verbose_name_plural = _("số cơ sở SXCN theo thống kê")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gt=0), name="establishments_positive")
        ]

    def __str__(self):
        return f"{self.year}: {self.count}"

    def coverage_pct(self, registered: int) -> Decimal | None:
        """Registered facilities as a share of the statistics office's count, half-up to 0.1."""
        return round_pct(Decimal(registered) * 100 / Decimal(self.count)) if self.count else None
