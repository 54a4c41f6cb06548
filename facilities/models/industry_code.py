"""The VSIC industry codes (sectors) that facilities are classified by, with the plan's priority
sectors."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class IndustryCode(models.Model):
    version = models.CharField(_("phiên bản"), max_length=10, default="VSIC2018")
    code = models.CharField(_("mã ngành"), max_length=6)
    name = models.CharField(_("tên ngành"), max_length=255)
    level = models.PositiveSmallIntegerField(_("cấp"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("ngành cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    is_priority = models.BooleanField(_("ngành ưu tiên của kế hoạch"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mã ngành VSIC")
        verbose_name_plural = _("mã ngành VSIC")
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="industrycode_version_code_uniq"
            )
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    @property
    def division_code(self) -> str:
        return self.code[:2] if self.code[:1].isdigit() else ""
