"""The option library's curated examples (issue 17): typical options of a sector taken from the
VNCPC manuals and similar sources. Examples derived from the options of approved assessments are
not stored: they are read from `Option` (its `library_hidden` flag hides one)."""

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.locking import Versioned
from core.text import NFCCharField

from .assessment import OptionCategory, payback_years
from .fields import NON_NEGATIVE


class LibraryExample(Versioned):
    division = models.CharField(
        _("ngành (VSIC cấp 2)"),
        max_length=2,
        validators=[RegexValidator(r"^\d{2}$", _("Mã ngành cấp 2 gồm hai chữ số."))],
    )
    category = models.PositiveSmallIntegerField(_("nhóm giải pháp"), choices=OptionCategory)
    description = NFCCharField(_("mô tả giải pháp"), max_length=500)
    investment_vnd = models.PositiveBigIntegerField(_("vốn đầu tư (đồng)"), default=0)
    # A saving, never below 0 (a stray minus sign would lower the province's money saved).
    annual_saving_vnd = models.BigIntegerField(
        _("tiết kiệm hằng năm (đồng)"), default=0, validators=[MinValueValidator(0)]
    )
    payback_years = models.DecimalField(
        _("thời gian hoàn vốn (năm)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text=_("Để trống để tính từ vốn đầu tư và tiết kiệm hằng năm."),
    )
    toe = models.DecimalField(
        _("tiết kiệm năng lượng (TOE/năm)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    tco2 = models.DecimalField(
        _("giảm phát thải (tCO₂/năm)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    source = NFCCharField(
        _("nguồn"), max_length=255, help_text=_("Ví dụ: Sổ tay SXSH ngành gạch – VNCPC.")
    )
    hidden = models.BooleanField(_("ẩn khỏi thư viện"), default=False)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("giải pháp mẫu")
        verbose_name_plural = _("giải pháp mẫu")
        ordering = ["division", "category", "id"]

    def __str__(self):
        return self.description

    def get_absolute_url(self):
        return reverse("assessments:library_example_edit", args=[self.pk])

    def payback(self):
        """The payback given, else computed by the one payback rule."""
        if self.payback_years is not None:
            return self.payback_years
        return payback_years(self.investment_vnd, self.annual_saving_vnd)
