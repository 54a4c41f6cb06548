"""What staff write into a report for one year and period (shortcomings, direction,
recommendations); reports.narrative turns it into paragraphs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.locking import Versioned


class ReportNarrative(Versioned):
    """The parts of a report that staff write (DOMAIN "Official documents"): shortcomings and
    their causes, the next period's direction, recommendations — for one year and kind of period
    (annual or half-year), written in the portal before generating the report. Plain text: blank
    lines separate paragraphs, lines starting with "- " are bullets (reports.narrative)."""

    class PeriodKind(models.TextChoices):
        YEAR = "year", _("Cả năm")
        HALF = "half", _("6 tháng đầu năm")

    # National installation (DESIGN §2): the 2025 province code whose document this is; "" =
    # the installation's own province (province mode) or the national document.
    province = models.CharField(_("tỉnh/thành phố"), max_length=2, blank=True, default="")
    year = models.PositiveSmallIntegerField(_("năm"))
    period_kind = models.CharField(
        _("kỳ báo cáo"), max_length=4, choices=PeriodKind.choices, default=PeriodKind.YEAR
    )
    shortcomings = models.TextField(_("tồn tại, hạn chế và nguyên nhân"), blank=True)
    direction = models.TextField(_("phương hướng, nhiệm vụ kỳ tới"), blank=True)
    recommendations = models.TextField(_("kiến nghị, đề xuất"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("nội dung báo cáo do Sở viết")
        verbose_name_plural = _("nội dung báo cáo do Sở viết")
        ordering = ["-year", "period_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "period_kind"], name="narrative_unique_period"
            )
        ]

    def __str__(self):
        return f"{self.year} ({self.period_kind})"
