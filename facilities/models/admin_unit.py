"""Administrative units in both schemes (before and since 1 July 2025: provinces, districts,
communes/wards, with the old communes' 2025 successors), and the place names and 2025 provinces
of facilities placed in them, looked up in few queries."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import fold

from ..provinces import UnknownProvince, successor_of_legacy


class AdminUnit(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh/thành phố")
        DISTRICT = "district", _("Quận/huyện")
        COMMUNE = "commune", _("Xã/phường/thị trấn")

    class Scheme(models.TextChoices):
        PRE2025 = "pre2025", _("Trước 1/7/2025")
        V2025 = "2025", _("Từ 1/7/2025")

    code = models.CharField(_("mã"), max_length=10)
    name = models.CharField(_("tên"), max_length=150)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    scheme = models.CharField(_("hệ thống"), max_length=8, choices=Scheme.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # For a pre-2025 commune: the 2025 communes/wards it became part of (one, or several when
    # the commune was split), from `vietnam-provinces` (facilities.reference).
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("đơn vị mới (từ 1/7/2025)"),
        symmetrical=False,
        blank=True,
        related_name="predecessors",
    )

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["scheme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="adminunit_scheme_code_uniq")
        ]

    def __str__(self):
        return self.name

    @property
    def district(self):
        return self.parent if self.level == self.Level.COMMUNE else None

    def search_names(self) -> str:
        """The accent-free names a facility placed here is found by: a pre-2025 commune with its
        district and old province; a 2025 commune/ward alone (its province is the portal's, the
        same for every facility). Reads `parent__parent` (select_related it)."""
        names = [self.name]
        if self.scheme == self.Scheme.PRE2025 and self.parent_id:
            names.append(self.parent.name)
            if self.parent.parent_id:
                names.append(self.parent.parent.name)
        return fold(" ".join(names))

    def province_2025_code(self) -> str:
        """The 2025 province ("24") a facility placed here belongs to: a 2025 unit's own province;
        for a pre-2025 commune, the province of the 2025 units it became (the most of them), else
        the successor of its old province. "" when unknown. Reads `parent__parent` and
        `successors__parent` (select/prefetch them)."""
        if self.scheme == self.Scheme.V2025:
            if self.level == self.Level.PROVINCE:
                return self.code
            return self.parent.code if self.parent_id else ""
        codes = [unit.parent.code for unit in self.successors.all() if unit.parent_id]
        if codes:
            return max(sorted(set(codes)), key=codes.count)
        old = self
        while old.parent_id:
            old = old.parent
        try:
            return f"{successor_of_legacy(int(old.code)):02d}"
        except (UnknownProvince, ValueError):
            return ""


def place_search_names(unit_ids) -> dict[int, str]:
    """Unit id -> AdminUnit.search_names() for the given ids (None ignored), in few queries."""
    ids, names = sorted({pk for pk in unit_ids if pk}), {}
    for start in range(0, len(ids), 20_000):
        units = AdminUnit.objects.filter(pk__in=ids[start : start + 20_000]).select_related(
            "parent__parent"
        )
        names.update({unit.pk: unit.search_names() for unit in units})
    return names


def place_provinces(unit_ids) -> dict[int, str]:
    """Unit id -> AdminUnit.province_2025_code() for the given ids (None ignored)."""
    ids, provinces = sorted({pk for pk in unit_ids if pk}), {}
    for start in range(0, len(ids), 20_000):
        units = (
            AdminUnit.objects.filter(pk__in=ids[start : start + 20_000])
            .select_related("parent__parent")
            .prefetch_related("successors__parent")
        )
        provinces.update({unit.pk: unit.province_2025_code() for unit in units})
    return provinces
