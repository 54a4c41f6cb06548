"""Industrial parks, economic zones, industrial clusters and craft villages a facility may be
located in, each in an old district (and so in a 2025 province)."""

from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver
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

    def save(self, *args, **kwargs):
        """A renamed area is renamed in its facilities' search text (Facility.search_text)."""
        before = None
        if self.pk is not None and not self._state.adding:
            before = IndustrialArea.objects.filter(pk=self.pk).values_list("name", flat=True)
            before = before.first()
        super().save(*args, **kwargs)
        if before is not None and before != self.name:
            self.facilities.all().rebuild_search_text()

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


def area_search_names(area_ids) -> dict[int, str]:
    """Area id -> its name, for the given ids (None ignored), in one query: what a facility in
    the area is found by (Facility.compute_search_text)."""
    ids = {pk for pk in area_ids if pk}
    if not ids:
        return {}
    return dict(IndustrialArea.objects.filter(pk__in=ids).values_list("pk", "name"))


@receiver(pre_delete, sender=IndustrialArea)
def _note_facilities_of_deleted_area(sender, instance, **kwargs):
    """Deleting an area leaves its facilities without one (SET_NULL, an UPDATE that save() does
    not see): their ids are kept for `_forget_deleted_area`."""
    instance._facility_ids = list(instance.facilities.values_list("pk", flat=True))


@receiver(post_delete, sender=IndustrialArea)
def _forget_deleted_area(sender, instance, **kwargs):
    """The facilities of a deleted area are no longer found by its name."""
    if ids := getattr(instance, "_facility_ids", None):
        facilities = instance._meta.get_field("facilities").related_model
        facilities.objects.filter(pk__in=ids).rebuild_search_text()
