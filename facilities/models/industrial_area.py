"""Industrial parks, economic zones, industrial clusters and craft villages a facility may be
located in, each in an old district (and so in a 2025 province)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import NFCCharField

from ..provinces import UnknownProvince, successor_of_legacy
from .admin_unit import AdminUnit


class IndustrialArea(models.Model):
    class Kind(models.TextChoices):
        KCN = "kcn", _("Khu công nghiệp (KCN)")
        KKT = "kkt", _("Khu kinh tế (KKT)")
        CCN = "ccn", _("Cụm công nghiệp (CCN)")
        CRAFT = "craft", _("Làng nghề")

    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices)
    # Unique per province, not nationally (a national installation's provinces each name their
    # own areas): IndustrialAreaForm compares the names, case-insensitively, with those of the
    # area's province (territory.industrial_areas); the constraints below are the database's
    # coarser guard, good in both kinds of installation.
    name = NFCCharField(_("tên"), max_length=255)
    district = models.ForeignKey(
        AdminUnit,
        verbose_name=_("huyện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"level": AdminUnit.Level.DISTRICT},
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("khu/cụm công nghiệp")
        verbose_name_plural = _("khu/cụm công nghiệp")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"], name="industrialarea_district_name_uniq"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(district__isnull=True),
                name="industrialarea_name_no_district_uniq",
            ),
        ]

    def __str__(self):
        return self.name

    def province_2025_code(self) -> str | None:
        """The 2025 province ("24") the area belongs to in a national installation: the
        successor of its old district's province; None without a district (no province owns
        it) or when that province is unknown. Reads `district__parent`."""
        if self.district is None or self.district.parent is None:
            return None
        try:
            return f"{successor_of_legacy(int(self.district.parent.code)):02d}"
        except (UnknownProvince, ValueError):
            return None
