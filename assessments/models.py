from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.locking import Versioned
from core.numbers import format_vnd
from core.text import NFCCharField
from facilities.access import is_representative
from facilities.models import Facility

NON_NEGATIVE = [MinValueValidator(0)]


def amount_field(label, **kwargs):
    return models.DecimalField(
        label,
        max_digits=18,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        **kwargs,
    )


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
        return f"{self.name} ({self.toe_per_unit} TOE/{self.unit})"


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


# Report field -> ConversionFactor.carrier. The unit of each field is the factor's unit.
ENERGY_FIELDS = {
    "electricity_kwh": "electricity",
    "coal_t": "coal",
    "diesel_l": "diesel_l",
    "fuel_oil_t": "fuel_oil",
    "lpg_t": "lpg",
    "natural_gas_1000m3": "natural_gas",
}


class WorkflowState(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Đã gửi, chờ duyệt")
    RETURNED = "returned", _("Trả lại để sửa")
    APPROVED = "approved", _("Đã duyệt")


class WorkflowQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(state=WorkflowState.APPROVED)

    def visible_to(self, user):
        return self.filter(facility__in=Facility.objects.visible_to(user))


class PlanPeriodQuerySet(models.QuerySet):
    def covering(self, year: int):
        return self.filter(start_year__lte=year, end_year__gte=year)

    def years(self) -> set[int]:
        """Every year covered by these periods: the one home of "plan years"."""
        years = set()
        for start, end in self.values_list("start_year", "end_year"):
            years.update(range(start, end + 1))
        return years


class PlanPeriod(models.Model):
    """A plan or programme period (2016–2020 seeded; 2021–2030 fits the same model).

    It lives here, below `reports` (its indicators and targets), because annual reports may be
    filed only for a plan year: `assessments` must read the periods and must not import `reports`
    (DESIGN §1 layers). Passing the years in from a caller would not do: the report forms, views
    and import of this app are the callers. Moved from reports in issue 12 without moving its
    tables (state-only migrations), hence the table names.
    """

    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên kế hoạch"), max_length=255)
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"))
    basis = models.CharField(_("căn cứ"), max_length=255, blank=True)
    history = HistoricalRecords(table_name="reports_historicalplanperiod")
    objects = PlanPeriodQuerySet.as_manager()

    class Meta:
        db_table = "reports_planperiod"
        verbose_name = _("giai đoạn kế hoạch")
        verbose_name_plural = _("giai đoạn kế hoạch")
        ordering = ["start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="planperiod_years_order"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.start_year}–{self.end_year})"

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


def plan_years() -> set[int]:
    """Years covered by a plan period: annual reports may be filed for them."""
    return PlanPeriod.objects.years()


def valid_report_year(year: int, years: set[int] | None = None) -> bool:
    """Whether `year` lies within a plan period; pass `years` (plan_years()) to save a query."""
    return year in (plan_years() if years is None else years)


class AnnualReportQuerySet(WorkflowQuerySet):
    def reported(self):
        """Reports that count as handed in: submitted or approved."""
        return self.filter(state__in=(WorkflowState.SUBMITTED, WorkflowState.APPROVED))

    def awaiting_review(self):
        return self.filter(state=WorkflowState.SUBMITTED)


class AnnualReport(Versioned):
    """A facility's self-report for one year (DESIGN §3). Only approved reports count."""

    facility = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("cơ sở"),
        on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    year = models.PositiveSmallIntegerField(
        _("năm báo cáo"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    product = NFCCharField(_("sản phẩm chính"), max_length=255, blank=True)
    product_unit = NFCCharField(_("đơn vị sản phẩm"), max_length=50, blank=True)
    output = amount_field(_("sản lượng"))
    electricity_kwh = amount_field(_("điện (kWh)"))
    coal_t = amount_field(_("than (tấn)"))
    diesel_l = amount_field(_("dầu diesel (lít)"))
    fuel_oil_t = amount_field(_("dầu FO (tấn)"))
    lpg_t = amount_field(_("LPG (tấn)"))
    natural_gas_1000m3 = amount_field(_("khí thiên nhiên (1000 m³)"))
    other_fuel_name = NFCCharField(_("nhiên liệu khác"), max_length=100, blank=True)
    other_fuel_amount = amount_field(_("lượng nhiên liệu khác"))
    other_fuel_toe_factor = models.DecimalField(
        _("hệ số TOE của nhiên liệu khác"),
        max_digits=14,
        decimal_places=9,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    water_m3 = amount_field(_("nước (m³)"))
    employees = models.PositiveIntegerField(_("số lao động"), null=True, blank=True)
    revenue_bn_vnd = models.DecimalField(
        _("doanh thu (tỷ đồng)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    capital_bn_vnd = models.DecimalField(
        _("nguồn vốn (tỷ đồng)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    aware = models.BooleanField(_("nhận thức được lợi ích SXSH"), default=False)
    applies_cp = models.BooleanField(_("đang áp dụng SXSH"), default=False)
    has_cp_unit = models.BooleanField(_("có bộ phận chuyên trách SXSH"), default=False)
    trained_staff = models.PositiveIntegerField(_("số cán bộ được đào tạo SXSH"), default=0)

    state = models.CharField(
        _("trạng thái"), max_length=10, choices=WorkflowState.choices, default=WorkflowState.DRAFT
    )
    review_comment = models.TextField(_("ý kiến của Sở"), blank=True)
    submitted_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("ngày duyệt"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["version"])
    objects = AnnualReportQuerySet.as_manager()

    # Report fields filled by the facility (or staff on its behalf): forms and the import.
    DATA_FIELDS = (
        "product",
        "product_unit",
        "output",
        *ENERGY_FIELDS,
        "other_fuel_name",
        "other_fuel_amount",
        "other_fuel_toe_factor",
        "water_m3",
        "employees",
        "revenue_bn_vnd",
        "capital_bn_vnd",
        "aware",
        "applies_cp",
        "has_cp_unit",
        "trained_staff",
    )

    class Meta:
        verbose_name = _("báo cáo năm")
        verbose_name_plural = _("báo cáo năm")
        ordering = ["facility_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "year"], name="annualreport_facility_year"),
            models.CheckConstraint(
                condition=Q(output__isnull=True) | Q(output__gte=0),
                name="annualreport_output_non_negative",
            ),
        ]
        indexes = [models.Index(fields=["year", "state"], name="annualreport_year_state_idx")]

    def __str__(self):
        return f"{self.facility} – {self.year}"

    def get_absolute_url(self):
        return reverse("assessments:report_detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.state == WorkflowState.APPROVED

    def is_editable_by(self, user) -> bool:
        """Staff may change any report not yet approved (it is approved on save); a facility's
        representative only their own drafts and returned reports; officials nothing."""
        if self.is_locked:
            return False
        if user.is_portal_staff:
            return True
        if self.state not in EDITABLE_BY_FACILITY:
            return False
        return is_representative(user, self.facility)

    def total_toe(self, factors: dict[str, Decimal]) -> Decimal:
        """Energy use in TOE; `factors` maps ConversionFactor.carrier -> TOE per unit."""
        total = Decimal(0)
        for field, carrier in ENERGY_FIELDS.items():
            amount = getattr(self, field)
            if amount:
                total += Decimal(amount) * factors[carrier]
        if self.other_fuel_amount and self.other_fuel_toe_factor:
            total += self.other_fuel_amount * self.other_fuel_toe_factor
        return total

    def energy_intensity(self, factors: dict[str, Decimal]) -> Decimal | None:
        """TOE per unit of output, or None without output."""
        if not self.output:
            return None
        return self.total_toe(factors) / self.output


class WorkflowEvent(models.Model):
    """One step of a report's or assessment's review workflow, with its comment."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Gửi duyệt")
        RETURN = "return", _("Trả lại")
        APPROVE = "approve", _("Duyệt")
        REOPEN = "reopen", _("Mở lại")
        SAVE = "save", _("Lưu")
        IMPORT = "import", _("Nhập từ tệp")

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    assessment = models.ForeignKey(
        "Assessment", on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    action = models.CharField(_("thao tác"), max_length=10, choices=Action.choices)
    from_state = models.CharField(max_length=10, choices=WorkflowState.choices, blank=True)
    to_state = models.CharField(max_length=10, choices=WorkflowState.choices)
    comment = models.TextField(_("ý kiến"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("các bước xử lý")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False, assessment__isnull=True)
                | Q(report__isnull=True, assessment__isnull=False),
                name="workflowevent_one_target",
            )
        ]

    def __str__(self):
        return f"{self.get_action_display()} ({self.at:%d/%m/%Y})"


class OptionCategory(models.IntegerChoices):
    """The eight categories of cleaner-production options (DOMAIN.md)."""

    HOUSEKEEPING = 1, _("Quản lý nội vi")
    RAW_MATERIAL = 2, _("Thay đổi nguyên liệu")
    PROCESS_CONTROL = 3, _("Kiểm soát quá trình tốt hơn")
    EQUIPMENT = 4, _("Cải tiến thiết bị")
    TECHNOLOGY = 5, _("Thay đổi công nghệ")
    ONSITE_REUSE = 6, _("Tận thu, tái sử dụng tại chỗ")
    BY_PRODUCTS = 7, _("Tạo sản phẩm phụ hữu ích")
    PRODUCT = 8, _("Cải tiến sản phẩm")

    @property
    def group(self) -> "OptionGroup":
        if self <= 5:
            return OptionGroup.SOURCE_REDUCTION
        if self <= 7:
            return OptionGroup.RECYCLING
        return OptionGroup.PRODUCT_MODIFICATION


class OptionGroup(models.TextChoices):
    """The three groups the eight option categories fall into (DOMAIN.md)."""

    SOURCE_REDUCTION = "source", _("Giảm thiểu tại nguồn")
    RECYCLING = "recycling", _("Tuần hoàn, tái sử dụng")
    PRODUCT_MODIFICATION = "product", _("Cải tiến sản phẩm")


# States in which a facility's representative may still change their own assessment.
EDITABLE_BY_FACILITY = (WorkflowState.DRAFT, WorkflowState.RETURNED)


class Assessment(models.Model):
    class Kind(models.TextChoices):
        QUICK = "quick", _("Đánh giá nhanh")
        DETAILED = "detailed", _("Đánh giá chi tiết")

    # TTLT 221/2012/TTLT-BTC-BCT: support <= 50% of the cost and <= 50 million VND per facility.
    MAX_SUPPORT_VND = 50_000_000
    MAX_SUPPORT_SHARE = Decimal("0.5")

    facility = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("cơ sở"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    kind = models.CharField(_("loại đánh giá"), max_length=10, choices=Kind.choices)
    start_date = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    end_date = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    consultant = NFCCharField(_("đơn vị tư vấn"), max_length=255, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("năm cơ sở"), null=True, blank=True)
    funding_source = NFCCharField(_("nguồn kinh phí hỗ trợ"), max_length=255, blank=True)
    total_cost_vnd = models.PositiveBigIntegerField(_("tổng chi phí tư vấn (đồng)"), default=0)
    supported_amount_vnd = models.PositiveBigIntegerField(_("kinh phí hỗ trợ (đồng)"), default=0)
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=WorkflowState.choices, default=WorkflowState.DRAFT
    )
    review_comment = models.TextField(_("ý kiến của Sở"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = WorkflowQuerySet.as_manager()

    class Meta:
        verbose_name = _("đánh giá SXSH")
        verbose_name_plural = _("đánh giá SXSH")
        ordering = ["-start_date", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.facility.name}"

    def get_absolute_url(self):
        return reverse("assessments:assessment_detail", args=[self.pk])

    def max_support_vnd(self) -> int:
        return min(self.MAX_SUPPORT_VND, int(self.total_cost_vnd * self.MAX_SUPPORT_SHARE))

    def clean(self):
        errors = {}
        support_error = self._support_error()
        if support_error:
            errors["supported_amount_vnd"] = support_error
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("Ngày kết thúc không được trước ngày bắt đầu.")
        if self.baseline_year and self.start_date and self.baseline_year > self.start_date.year:
            errors["baseline_year"] = _("Năm cơ sở không được sau năm bắt đầu đánh giá.")
        if errors:
            raise ValidationError(errors)

    def _support_error(self):
        supported, total = self.supported_amount_vnd or 0, self.total_cost_vnd or 0
        # Integer comparison: exactly 50% is allowed, 50.1% is not.
        if supported * 2 > total:
            return _(
                "Kinh phí hỗ trợ không được vượt quá 50%% tổng chi phí tư vấn "
                "(tối đa %(max)s đồng) theo TTLT 221/2012/TTLT-BTC-BCT."
            ) % {"max": format_vnd(total // 2)}
        if supported > self.MAX_SUPPORT_VND:
            return _(
                "Kinh phí hỗ trợ không được vượt quá %(max)s đồng cho một cơ sở "
                "theo TTLT 221/2012/TTLT-BTC-BCT."
            ) % {"max": format_vnd(self.MAX_SUPPORT_VND)}
        return None

    @property
    def is_locked(self) -> bool:
        return self.state == WorkflowState.APPROVED

    def is_editable_by(self, user) -> bool:
        """Staff may change anything not yet approved; a facility's representative only their
        own drafts and returned assessments; officials nothing."""
        if self.is_locked:
            return False
        if user.is_portal_staff:
            return True
        if self.state not in EDITABLE_BY_FACILITY:
            return False
        return is_representative(user, self.facility)


class Option(models.Model):
    class Screening(models.TextChoices):
        IMPLEMENT = "implement", _("Thực hiện ngay")
        STUDY = "study", _("Cần nghiên cứu thêm")
        REJECT = "reject", _("Loại bỏ")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Dự kiến")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Đã thực hiện")
        DROPPED = "dropped", _("Hủy bỏ")

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("đánh giá"), on_delete=models.CASCADE, related_name="options"
    )
    category = models.PositiveSmallIntegerField(_("nhóm giải pháp"), choices=OptionCategory)
    description = NFCCharField(_("mô tả giải pháp"), max_length=500)
    screening = models.CharField(
        _("kết quả sàng lọc"), max_length=10, choices=Screening.choices, default=Screening.IMPLEMENT
    )
    status = models.CharField(
        _("tình trạng"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    implementation_year = models.PositiveSmallIntegerField(
        _("năm thực hiện"), null=True, blank=True
    )
    investment_vnd = models.PositiveBigIntegerField(_("vốn đầu tư (đồng)"), default=0)
    annual_saving_vnd = models.BigIntegerField(_("tiết kiệm hằng năm (đồng)"), default=0)
    electricity_saving_kwh = amount_field(_("tiết kiệm điện (kWh/năm)"))
    coal_saving_t = amount_field(_("tiết kiệm than (tấn/năm)"))
    diesel_saving_l = amount_field(_("tiết kiệm dầu diesel (lít/năm)"))
    fuel_oil_saving_t = amount_field(_("tiết kiệm dầu FO (tấn/năm)"))
    lpg_saving_t = amount_field(_("tiết kiệm LPG (tấn/năm)"))
    natural_gas_saving_1000m3 = amount_field(_("tiết kiệm khí (1000 m³/năm)"))
    water_saving_m3 = amount_field(_("tiết kiệm nước (m³/năm)"))
    material_saving_t = amount_field(_("tiết kiệm nguyên vật liệu (tấn/năm)"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("giải pháp SXSH")
        verbose_name_plural = _("giải pháp SXSH")
        ordering = ["assessment_id", "category", "id"]

    def __str__(self):
        return self.description

    @property
    def group(self) -> OptionGroup:
        return OptionCategory(self.category).group

    def get_group_display(self) -> str:
        return self.group.label

    def clean(self):
        started = (self.Status.IN_PROGRESS, self.Status.DONE)
        if self.status in started and not self.implementation_year:
            raise ValidationError(
                {"implementation_year": _("Cần nhập năm thực hiện khi giải pháp đã triển khai.")}
            )

    def payback_years(self) -> Decimal | None:
        return payback_years(self.investment_vnd, self.annual_saving_vnd)


def payback_years(investment_vnd, annual_saving_vnd) -> Decimal | None:
    """The one payback rule: investment ÷ annual net saving, in years (unrounded); None when
    there is no saving."""
    if not annual_saving_vnd or annual_saving_vnd <= 0:
        return None
    return Decimal(investment_vnd or 0) / Decimal(annual_saving_vnd)


# Option saving field -> ConversionFactor.carrier.
OPTION_ENERGY_FIELDS = {
    "electricity_saving_kwh": "electricity",
    "coal_saving_t": "coal",
    "diesel_saving_l": "diesel_l",
    "fuel_oil_saving_t": "fuel_oil",
    "lpg_saving_t": "lpg",
    "natural_gas_saving_1000m3": "natural_gas",
}


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and officials see every activity; a facility's representative only those
        their facilities took part in."""
        if user.is_authenticated and user.is_staff_or_official:
            return self
        facilities = Facility.objects.visible_to(user)
        taken_part = Participation.objects.filter(facility__in=facilities)
        return self.filter(pk__in=taken_part.values("activity_id"))


class Activity(models.Model):
    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Hội thảo nâng cao nhận thức")
        TRAINING = "training", _("Khóa đào tạo")
        TECHNICAL = "technical", _("Hỗ trợ kỹ thuật")
        DEMONSTRATION = "demonstration", _("Mô hình trình diễn")
        COMMUNICATION = "communication", _("Truyền thông")

    # Kinds that make participants aware of cleaner production (AWARE_PCT, DESIGN §4).
    AWARENESS_KINDS = (Kind.WORKSHOP, Kind.TRAINING)

    kind = models.CharField(_("loại hoạt động"), max_length=15, choices=Kind.choices)
    title = NFCCharField(_("tên hoạt động"), max_length=255)
    date = models.DateField(_("ngày tổ chức"))
    district = models.ForeignKey(
        "facilities.AdminUnit",
        verbose_name=_("huyện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("nội dung"), blank=True)
    budget_province_vnd = models.PositiveBigIntegerField(_("ngân sách tỉnh (đồng)"), default=0)
    budget_national_vnd = models.PositiveBigIntegerField(
        _("kinh phí khuyến công quốc gia (đồng)"), default=0
    )
    budget_enterprise_vnd = models.PositiveBigIntegerField(
        _("doanh nghiệp đóng góp (đồng)"), default=0
    )
    budget_other_vnd = models.PositiveBigIntegerField(_("nguồn khác (đồng)"), default=0)
    participants = models.ManyToManyField(
        "facilities.Facility", through="Participation", related_name="activities", blank=True
    )
    history = HistoricalRecords()
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("hoạt động chương trình")
        verbose_name_plural = _("hoạt động chương trình")
        ordering = ["-date", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("assessments:activity_detail", args=[self.pk])

    @property
    def total_budget_vnd(self) -> int:
        return (
            self.budget_province_vnd
            + self.budget_national_vnd
            + self.budget_enterprise_vnd
            + self.budget_other_vnd
        )


class Participation(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE)
    facility = models.ForeignKey("facilities.Facility", on_delete=models.PROTECT)
    people = models.PositiveIntegerField(_("số người tham gia"), default=1)

    class Meta:
        verbose_name = _("cơ sở tham gia")
        verbose_name_plural = _("cơ sở tham gia")
        constraints = [
            models.UniqueConstraint(fields=["activity", "facility"], name="participation_uniq")
        ]

    def __str__(self):
        return f"{self.facility} @ {self.activity}"


def default_deadline(year: int) -> date:
    """15 January of the next year, like the key energy users' report (DOMAIN.md)."""
    return date(year + 1, 1, 15)


class ReportingDeadline(models.Model):
    """The deadline for a reporting year when staff set one; else `default_deadline(year)`."""

    year = models.PositiveSmallIntegerField(_("năm báo cáo"), unique=True)
    deadline = models.DateField(_("hạn nộp báo cáo"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hạn nộp báo cáo năm")
        verbose_name_plural = _("hạn nộp báo cáo năm")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}: {self.deadline:%d/%m/%Y}"

    @classmethod
    def deadline_for(cls, year: int) -> date:
        stored = cls.objects.filter(year=year).values_list("deadline", flat=True).first()
        return stored or default_deadline(year)


class DeadlineException(models.Model):
    """Staff let one facility submit its report for `year` after the deadline, until `until`."""

    facility = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("cơ sở"),
        on_delete=models.CASCADE,
        related_name="deadline_exceptions",
    )
    year = models.PositiveSmallIntegerField(_("năm báo cáo"))
    until = models.DateField(_("được nộp đến ngày"))
    reason = models.TextField(_("lý do"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cho phép"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("thời điểm cho phép"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gia hạn nộp báo cáo")
        verbose_name_plural = _("gia hạn nộp báo cáo")
        ordering = ["-year", "facility_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "year"], name="deadlineexception_facility_year"
            )
        ]

    def __str__(self):
        return f"{self.facility} – {self.year} ({self.until:%d/%m/%Y})"
