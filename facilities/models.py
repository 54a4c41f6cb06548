from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Collate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.collation import COLLATION
from core.locking import Versioned
from core.text import NFCCharField, fold

from .provinces import UnknownProvince, successor_of_legacy
from .size import SizeClass, size_class
from .validators import validate_phone, validate_tax_code


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


SEARCH_TEXT_LENGTH = 600


def facility_search_text(name: str, tax_code: str, *places: str) -> str:
    """What `Facility.search_text` holds: the folded name, the tax code and the place names."""
    return fold(" ".join([name or "", tax_code or "", *(p for p in places if p)]))[
        :SEARCH_TEXT_LENGTH
    ]


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

    def search(self, text: str):
        folded = fold(text)
        if not folded:
            return self
        # search_text holds the folded name, the tax code and the place names (old commune,
        # district and province; 2025 ward), so one (trigram-indexed) LIKE serves every query.
        return self.filter(search_text__contains=folded)


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
    # Accent-free lower-case name, tax code and place names (facility_search_text), kept in step
    # by save() and by the import's bulk writes; indexed for search.
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

    SEARCHED_FIELDS = frozenset({"name", "tax_code", "commune", "commune_id", "ward", "ward_id"})

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

    def compute_search_text(self, places: dict[int, str] | None = None) -> str:
        """`search_text` for the current values; `places` (place_search_names) saves a query."""
        if places is None:
            places = place_search_names([self.commune_id, self.ward_id])
        return facility_search_text(
            self.name, self.tax_code, places.get(self.commune_id), places.get(self.ward_id)
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


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see the import jobs of their scope: every job in a one-province installation,
        in a national one the jobs started by staff of their own province."""
        if not user.is_authenticated or not user.is_portal_staff:
            return self.none()
        province = user.scoped_province
        return self if province is None else self.filter(requested_by__province=province or "-")


class ImportJob(models.Model):
    """A spreadsheet import too big for one request (more than importing.ASYNC_ROW_THRESHOLD
    rows), checked and then imported by Celery tasks (facilities/import_jobs.py).

    queued → validating → validated | invalid; on confirmation validated → importing → done |
    invalid (the file no longer passes) | failed. The uploaded file lives in MEDIA_ROOT/imports/
    until the job ends."""

    MAX_ATTEMPTS = 3  # claims of one phase (a worker that dies mid-task gets the message again)
    MAX_PROBLEMS = 500  # problems (and warnings) kept and shown; the counts count them all

    class Kind(models.TextChoices):
        FACILITIES = "facilities", _("Danh sách cơ sở SXCN")

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ kiểm tra")
        VALIDATING = "validating", _("Đang kiểm tra")
        VALIDATED = "validated", _("Hợp lệ, chờ xác nhận")
        INVALID = "invalid", _("Tệp có lỗi")
        IMPORTING = "importing", _("Đang nhập")
        DONE = "done", _("Đã nhập xong")
        FAILED = "failed", _("Lỗi")

    RUNNING_STATES = (State.QUEUED, State.VALIDATING, State.IMPORTING)

    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, default=Kind.FACILITIES)
    file_path = models.CharField(
        _("tệp đã tải lên"), max_length=255, help_text=_("Đường dẫn trong MEDIA_ROOT.")
    )
    original_name = models.CharField(_("tên tệp"), max_length=255)
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=State.choices, default=State.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    to_create = models.PositiveIntegerField(_("thêm mới"), default=0)
    to_update = models.PositiveIntegerField(_("cập nhật"), default=0)
    unchanged = models.PositiveIntegerField(_("giữ nguyên"), default=0)
    problem_count = models.PositiveIntegerField(_("số lỗi"), default=0)
    problems = models.JSONField(
        _("lỗi"), default=list, blank=True, help_text=_("[{row, column, message}], tối đa 500.")
    )
    warning_count = models.PositiveIntegerField(_("số cảnh báo"), default=0)
    warnings = models.JSONField(
        _("cảnh báo"),
        default=list,
        blank=True,
        help_text=_("[{row, column, message}], tối đa 500; các dòng đó vẫn được nhập."),
    )
    error = models.TextField(_("lỗi hệ thống"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), default=timezone.now)
    validated_at = models.DateTimeField(_("kiểm tra xong"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("xác nhận"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("lượt nhập tệp")
        verbose_name_plural = _("lượt nhập tệp")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="importjob_progress_at_most_100"
            ),
        ]

    def __str__(self):
        return f"{self.original_name} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("facilities:import_job", args=[self.pk])

    @property
    def path(self) -> Path:
        return Path(settings.MEDIA_ROOT) / self.file_path

    @property
    def is_running(self) -> bool:
        return self.state in self.RUNNING_STATES

    # What the import preview (templates/facilities/includes/import_preview.html) reads of a plan.
    @property
    def filename(self) -> str:
        return self.original_name

    @property
    def is_valid(self) -> bool:
        return self.state == self.State.VALIDATED
