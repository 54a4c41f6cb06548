"""The facility (cơ sở SXCN) of the registry: its place in both schemes, sector, size figures
and contacts, the search text and 2025 province kept in step with them, and the one scoping rule
(`Facility.objects.visible_to`)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Cast, Collate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.collation import COLLATION
from core.data_version import data_changed
from core.locking import Versioned
from core.text import NFCCharField, fold

from ..size import SizeClass, size_class
from ..validators import validate_phone, validate_tax_code
from .admin_unit import AdminUnit, place_provinces, place_search_names
from .industrial_area import IndustrialArea, area_search_names
from .industry_code import IndustryCode

SEARCH_TEXT_LENGTH = 1000
SEARCH_BATCH = 2000


def facility_search_text(
    name: str, tax_code: str, *places: str, area: str = "", address: str = ""
) -> str:
    """What `Facility.search_text` holds: the folded name, the tax code, the place names, the
    industrial area's name and the address (the longest, last: the first cut if it overflows)."""
    parts = [name, tax_code, *places, area, address]
    return fold(" ".join(p for p in parts if p))[:SEARCH_TEXT_LENGTH]


# The kinds of a facility's dated records (FacilityQuerySet.dated_records), each with how a
# message names its years (Facility.records_outside_years).
RECORD_KINDS = {
    "reports": _("báo cáo năm %(years)s"),
    "activities": _("lượt tham gia hoạt động năm %(years)s"),
    "assessments": _("đánh giá SXSH năm %(years)s"),
    "baselines": _("đánh giá SXSH lấy năm cơ sở %(years)s"),
    "options": _("giải pháp thực hiện năm %(years)s"),
}


def _records_text(records: dict[str, list[int]], keep) -> str:
    """The records of `records` (kind -> years) whose year `keep` accepts, named kind by kind
    ("báo cáo năm 2016, 2017; lượt tham gia hoạt động năm 2016"); "" when there is none."""
    parts = []
    for kind, label in RECORD_KINDS.items():
        if years := [year for year in records.get(kind, ()) if keep(year)]:
            parts.append(label % {"years": ", ".join(map(str, years))})
    return "; ".join(parts)


class FacilityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one scoping rule (DESIGN §2): staff and officials see every facility (in a
        national installation, those of their province; the Ministry every province), a facility
        user the facilities they represent, anyone else (anonymous, inactive) none."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff_or_official:
            province = user.scoped_province
            return self if province is None else self.filter(province=province or "-")
        if user.is_facility_user:
            return self.filter(users=user)
        return self.none()

    def operating_in(self, year: int):
        return self.filter(
            Q(established_year__isnull=True) | Q(established_year__lte=year),
            Q(closed_year__isnull=True) | Q(closed_year__gte=year),
        )

    def dated_records(self) -> dict[int, dict[str, list[int]]]:
        """Facility id -> kind (RECORD_KINDS) -> the years of its records of that kind,
        ascending, each once, for the facilities of this queryset that have any: its annual
        reports (any state), the activities it took part in (the year of the activity's date),
        its assessments (any state: the years of their start and end dates; their baseline
        years), its assessments' options that have an implementation year. One query
        (Facility.records_outside_years)."""
        plain = self.order_by()
        sources = (
            ("reports", "annual_reports__year"),
            ("activities", "activities__date__year"),
            ("assessments", "assessments__start_date__year"),
            ("assessments", "assessments__end_date__year"),
            ("baselines", "assessments__baseline_year"),
            ("options", "assessments__options__implementation_year"),
        )
        parts = [
            plain.filter(**{f"{path}__isnull": False}).values_list(
                "pk",
                Value(kind, output_field=models.CharField()),
                Cast(path, models.IntegerField()),
            )
            for kind, path in sources
        ]
        found: dict[int, dict[str, set[int]]] = {}
        for pk, kind, year in parts[0].union(*parts[1:], all=True).order_by():
            found.setdefault(pk, {}).setdefault(kind, set()).add(year)
        return {
            pk: {kind: sorted(years) for kind, years in kinds.items()}
            for pk, kinds in found.items()
        }

    def search(self, text: str):
        folded = fold(text)
        if not folded:
            return self
        # search_text holds the folded name, the tax code, the place names (old commune,
        # district and province; 2025 ward), the industrial area and the address, so one
        # (trigram-indexed) LIKE serves every query.
        return self.filter(search_text__contains=folded)

    def rebuild_search_text(self) -> int:
        """Compute `search_text` again for these facilities (after a change save() does not see:
        an industrial area renamed or deleted) in few queries; returns how many changed. Writes
        nothing else: no history entry, no new version (what a user edits is the same)."""
        fields = ("pk", "name", "tax_code", "address", "commune_id", "ward_id")
        facilities = list(self.order_by().only(*fields, "industrial_area_id", "search_text"))
        units = {pk for f in facilities for pk in (f.commune_id, f.ward_id)}
        places = place_search_names(units)
        areas = area_search_names(f.industrial_area_id for f in facilities)
        changed = []
        for facility in facilities:
            text = facility.compute_search_text(places, areas)
            if text != facility.search_text:
                facility.search_text = text
                changed.append(facility)
        self.model._base_manager.bulk_update(changed, ["search_text"], batch_size=SEARCH_BATCH)
        return len(changed)

    def rebuild_province(self) -> int:
        """Compute `province` again for these facilities (after a change save() does not see: a
        unit moved to another parent) in few queries; returns how many changed. Writes no history
        entry and no new version; the changed facilities' figures are marked changed
        (core.data_version: the per-province figures and a national installation's scopes
        read `province`)."""
        facilities = list(self.order_by().only("pk", "commune_id", "ward_id", "province"))
        provinces = place_provinces(pk for f in facilities for pk in (f.commune_id, f.ward_id))
        changed = []
        for facility in facilities:
            province = facility.compute_province(provinces)
            if province != facility.province:
                facility.province = province
                changed.append(facility)
        if changed:
            self.model._base_manager.bulk_update(changed, ["province"], batch_size=SEARCH_BATCH)
            data_changed(facilities=[facility.pk for facility in changed])
        return len(changed)


class Facility(Versioned):
    class Ownership(models.TextChoices):
        STATE = "state", _("Nhà nước")
        PRIVATE = "private", _("Ngoài nhà nước")
        FDI = "fdi", _("Có vốn đầu tư nước ngoài (FDI)")

    class LegalForm(models.TextChoices):
        LLC1 = "llc1", _("Công ty TNHH một thành viên")
        LLC2 = "llc2", _("Công ty TNHH hai thành viên trở lên")
        JSC = "jsc", _("Công ty cổ phần")
        PARTNERSHIP = "partnership", _("Công ty hợp danh")
        SOLE = "sole", _("Doanh nghiệp tư nhân")
        COOP = "coop", _("Hợp tác xã")
        HOUSEHOLD = "household", _("Hộ kinh doanh")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang hoạt động")
        SUSPENDED = "suspended", _("Tạm ngừng")
        CLOSED = "closed", _("Đã đóng cửa")

    name = NFCCharField(_("tên cơ sở"), max_length=255)
    tax_code = models.CharField(
        _("mã số thuế"), max_length=14, unique=True, validators=[validate_tax_code]
    )
    address = NFCCharField(_("địa chỉ"), max_length=255)
    # The address in both schemes (DESIGN §3): the pre-2025 commune as recorded before 2025
    # (optional) and the 2025 commune/ward; at least one of the two. A facility whose old
    # commune was split has no ward until staff choose it ("needs a 2025 address").
    commune = models.ForeignKey(
        AdminUnit,
        verbose_name=_("xã/phường (trước 1/7/2025)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilities",
        limit_choices_to={"level": AdminUnit.Level.COMMUNE, "scheme": AdminUnit.Scheme.PRE2025},
    )
    ward = models.ForeignKey(
        AdminUnit,
        verbose_name=_("xã/phường (từ 1/7/2025)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilities_2025",
        limit_choices_to={"level": AdminUnit.Level.COMMUNE, "scheme": AdminUnit.Scheme.V2025},
    )
    industrial_area = models.ForeignKey(
        IndustrialArea,
        verbose_name=_("khu/cụm công nghiệp"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilities",
    )
    industry = models.ForeignKey(
        IndustryCode,
        verbose_name=_("ngành nghề (VSIC)"),
        on_delete=models.PROTECT,
        related_name="facilities",
    )
    ownership = models.CharField(
        _("loại hình sở hữu"), max_length=10, choices=Ownership.choices, blank=True
    )
    legal_form = models.CharField(
        _("loại hình doanh nghiệp"), max_length=12, choices=LegalForm.choices, blank=True
    )
    established_year = models.PositiveSmallIntegerField(
        _("năm thành lập"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    employees = models.PositiveIntegerField(_("số lao động"), null=True, blank=True)
    revenue_bn_vnd = models.DecimalField(
        _("doanh thu (tỷ đồng)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    capital_bn_vnd = models.DecimalField(
        _("nguồn vốn (tỷ đồng)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    main_products = NFCCharField(_("sản phẩm chính"), max_length=255, blank=True)
    high_pollution_risk = models.BooleanField(_("nguy cơ ô nhiễm cao"), default=False)
    key_energy_user = models.BooleanField(_("cơ sở sử dụng năng lượng trọng điểm"), default=False)
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    closed_year = models.PositiveSmallIntegerField(
        _("năm đóng cửa"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    contact_name = NFCCharField(_("người liên hệ"), max_length=150, blank=True)
    contact_phone = models.CharField(
        _("điện thoại liên hệ"), max_length=30, blank=True, validators=[validate_phone]
    )
    contact_email = models.EmailField(_("e-mail liên hệ"), blank=True)
    # Accent-free lower-case name, tax code, place names, industrial area and address
    # (facility_search_text), kept in step by save(), by the import's bulk writes and by an
    # area's rename (IndustrialArea.save); indexed for search.
    search_text = models.CharField(
        max_length=SEARCH_TEXT_LENGTH, editable=False, default="", db_index=True
    )
    # The 2025 province ("24") of the facility's place (AdminUnit.province_2025_code: its 2025
    # commune/ward, else its old commune), kept in step like search_text: the province scope of
    # a national installation (FacilityQuerySet.visible_to) and the national breakdown.
    province = models.CharField(
        _("tỉnh/thành phố"), max_length=2, editable=False, default="", db_index=True
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["search_text", "province", "updated_at", "version"]
    )
    objects = FacilityQuerySet.as_manager()

    # Fields a facility's own representative may change.
    SELF_EDITABLE_FIELDS = ("contact_name", "contact_phone", "contact_email")

    class Meta:
        verbose_name = _("cơ sở SXCN")
        verbose_name_plural = _("cơ sở SXCN")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(commune__isnull=False) | Q(ward__isnull=False),
                name="facility_has_old_or_new_commune",
            ),
            models.CheckConstraint(
                condition=Q(closed_year__isnull=True) | Q(status="closed"),
                name="facility_closed_year_only_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(revenue_bn_vnd__isnull=True) | Q(revenue_bn_vnd__gte=0),
                name="facility_revenue_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(capital_bn_vnd__isnull=True) | Q(capital_bn_vnd__gte=0),
                name="facility_capital_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(established_year__isnull=True)
                | Q(established_year__gte=1900, established_year__lte=2100),
                name="facility_established_year_range",
            ),
        ]
        indexes = [
            # Default list order, and the status filter with that order.
            models.Index(fields=["name", "id"], name="facility_name_id_idx"),
            models.Index(fields=["status", "name"], name="facility_status_name_idx"),
            # The list's Vietnamese name order (core.collation), whole registry and one
            # province of a national installation: an index scan instead of sorting every row.
            models.Index(Collate(F("name"), COLLATION), F("id"), name="facility_name_vi_idx"),
            models.Index(
                F("province"),
                Collate(F("name"), COLLATION),
                F("id"),
                name="facility_province_name_vi_idx",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.tax_code})"

    SEARCHED_FIELDS = frozenset(
        {
            "name",
            "tax_code",
            "address",
            "commune",
            "commune_id",
            "ward",
            "ward_id",
            "industrial_area",
            "industrial_area_id",
        }
    )

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or self.SEARCHED_FIELDS & set(update_fields):
            self.search_text = self.compute_search_text()
            self.province = self.compute_province()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text", "province"}
        super().save(*args, **kwargs)

    def compute_province(self, provinces: dict[int, str] | None = None) -> str:
        """`province` for the current place: the 2025 ward's, else the old commune's.
        `provinces` (place_provinces) saves the queries."""
        if provinces is None:
            provinces = place_provinces([self.ward_id, self.commune_id])
        return provinces.get(self.ward_id) or provinces.get(self.commune_id) or ""

    def compute_search_text(
        self, places: dict[int, str] | None = None, areas: dict[int, str] | None = None
    ) -> str:
        """`search_text` for the current values; `places` (place_search_names) and `areas`
        (area_search_names) save the queries."""
        if places is None:
            places = place_search_names([self.commune_id, self.ward_id])
        if areas is None:
            if self.industrial_area_id and Facility.industrial_area.is_cached(self):
                areas = {self.industrial_area_id: self.industrial_area.name}
            else:
                areas = area_search_names([self.industrial_area_id])
        return facility_search_text(
            self.name,
            self.tax_code,
            places.get(self.commune_id),
            places.get(self.ward_id),
            area=areas.get(self.industrial_area_id),
            address=self.address,
        )

    def get_absolute_url(self):
        return reverse("facilities:detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.status == self.Status.CLOSED and not self.closed_year:
            errors["closed_year"] = _("Cần nhập năm đóng cửa khi cơ sở đã đóng cửa.")
        if self.closed_year and self.status != self.Status.CLOSED:
            errors["closed_year"] = _("Chỉ nhập năm đóng cửa khi tình trạng là đã đóng cửa.")
        this_year = timezone.localdate().year
        if self.established_year and self.established_year > this_year:
            errors["established_year"] = _("Năm thành lập không được ở tương lai.")
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def closing_year_problem(closed_year: int | None, established_year: int | None):
        """Why `closed_year` cannot be a facility's closing year (None when it can): not in the
        future (the year cell itself stops it in an import), not before the year it was established;
        the forms and the import (importing._cross_check) ask here."""
        if closed_year is None:
            return None
        if closed_year > timezone.localdate().year:
            return _("Năm đóng cửa không được ở tương lai.")
        if established_year and closed_year < established_year:
            return _("Năm đóng cửa không được trước năm thành lập.")
        return None

    def records_outside_years(
        self,
        established_year: int | None,
        closed_year: int | None,
        records: dict[str, list[int]] | None = None,
    ) -> dict[str, str]:
        """Field -> why this facility cannot take these operating years ({} when it can): it
        has dated records (FacilityQuerySet.dated_records: annual reports in any state, the
        activities it took part in, its assessments' dates and baseline years, its options'
        implementation years) for years it would then not have been operating in, by the rule
        of `not_operating_reason` (before the year it was established, after the year it
        closed). Such reports would drop out of the year figures, and such an activity,
        assessment or option could not be saved again (Participation.clean, Assessment.clean,
        Option.clean). The rule of the forms (edit, close, admin) and of the import
        (importing._cross_check). `records` (this facility's dated_records) saves the query."""
        if not established_year and not closed_year:
            return {}
        if records is None:
            records = (
                type(self).objects.filter(pk=self.pk).dated_records().get(self.pk, {})
                if self.pk
                else {}
            )
        errors = {}
        if established_year and (
            before := _records_text(records, lambda year: year < established_year)
        ):
            errors["established_year"] = _(
                "Cơ sở đã có %(records)s trước năm thành lập %(year)s: kiểm tra lại năm thành "
                "lập; nếu các mục đó ghi sai, đề nghị quản trị viên sửa hoặc xoá chúng trước."
            ) % {"records": before, "year": established_year}
        if closed_year and (after := _records_text(records, lambda year: year > closed_year)):
            errors["closed_year"] = _(
                "Cơ sở đã có %(records)s sau năm đóng cửa %(year)s: kiểm tra lại năm đóng cửa; "
                "nếu các mục đó ghi sai, đề nghị quản trị viên sửa hoặc xoá chúng trước."
            ) % {"records": after, "year": closed_year}
        return errors

    def not_operating_reason(self, year: int):
        """Why this facility was not operating in `year` (None when it was), as
        `FacilityQuerySet.operating_in` counts it (DESIGN §4): established no later than the
        year, not closed before it. The one rule of the years of its annual reports
        (`report_year_problem`), of its assessments' dates and baseline years, of its options'
        implementation years and of its taking part in an activity."""
        if self.established_year and year < self.established_year:
            return _("cơ sở thành lập năm %(year)s") % {"year": self.established_year}
        if self.closed_year and year > self.closed_year:
            return _("cơ sở đã đóng cửa năm %(year)s") % {"year": self.closed_year}
        return None

    def report_year_problem(self, year: int, today=None):
        """Why this facility cannot have an annual report for `year` (None when it can): a year
        it was not operating, or one still to come (`today`: timezone.localdate()). The rule of
        the report form's years and of the report import."""
        this_year = (today or timezone.localdate()).year
        if year > this_year:
            return _("Năm %(year)s chưa đến, chưa thể có báo cáo năm này.") % {"year": year}
        if reason := self.not_operating_reason(year):
            return _(
                "Cơ sở không hoạt động trong năm %(year)s (%(reason)s), không thể có báo cáo năm "
                "này."
            ) % {"year": year, "reason": reason}
        return None

    def size_class(self) -> str | None:
        return size_class(self.employees, self.revenue_bn_vnd, self.capital_bn_vnd)

    def get_size_class_display(self) -> str:
        value = self.size_class()
        return SizeClass(value).label if value else ""

    @property
    def district(self):
        """The pre-2025 district (None without an old commune)."""
        return self.commune.parent if self.commune_id else None

    @property
    def old_province(self):
        """The pre-2025 province (None without an old commune)."""
        district = self.district
        return district.parent if district is not None else None

    @property
    def needs_ward(self) -> bool:
        """No 2025 commune/ward yet (its old commune was split): staff must choose it."""
        return self.ward_id is None
