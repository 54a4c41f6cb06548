from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.numbers import round_pct


class Indicator(models.Model):
    """A plan indicator (chỉ tiêu) with its target for the period."""

    class Method(models.TextChoices):
        COMPUTED = "computed", _("Tính tự động từ dữ liệu đã duyệt")
        MANUAL = "manual", _("Nhập thủ công theo năm")

    # Plan periods live in assessments (annual reports are filed for plan years; see there).
    period = models.ForeignKey(
        "assessments.PlanPeriod",
        verbose_name=_("giai đoạn"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    code = models.CharField(_("mã chỉ tiêu"), max_length=30)
    name_vi = models.CharField(_("tên chỉ tiêu (tiếng Việt)"), max_length=255)
    name_en = models.CharField(_("tên chỉ tiêu (tiếng Anh)"), max_length=255, blank=True)
    unit = models.CharField(_("đơn vị"), max_length=20, default="%")
    target_min = models.DecimalField(
        _("chỉ tiêu (tối thiểu)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_max = models.DecimalField(
        _("chỉ tiêu (tối đa của khoảng)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Chỉ nhập khi chỉ tiêu là một khoảng, ví dụ 8–13%."),
    )
    baseline_value = models.DecimalField(
        _("giá trị năm gốc"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    baseline_note = models.CharField(_("ghi chú năm gốc"), max_length=255, blank=True)
    method = models.CharField(_("cách tính"), max_length=10, choices=Method.choices)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["period", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["period", "code"], name="indicator_period_code"),
            models.CheckConstraint(
                condition=Q(target_max__isnull=True)
                | Q(target_min__isnull=False, target_max__gte=models.F("target_min")),
                name="indicator_target_range_order",
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name_vi

    @property
    def target_display(self) -> str:
        """The target as the report files write it: `90`, or a range `8-13`."""
        return _range_display(self.target_min, self.target_max)

    def milestone_for(self, year: int | None) -> "IndicatorMilestone | None":
        """The year's milestone, if staff (or the seed) set one; reads prefetched milestones."""
        if year is None:
            return None
        return next((m for m in self.milestones.all() if m.year == year), None)

    def target_for(self, year: int | None) -> tuple[Decimal | None, Decimal | None]:
        """(low, high) a year is judged against: its milestone, else the period's target."""
        milestone = self.milestone_for(year)
        if milestone is not None:
            return milestone.target_min, milestone.target_max
        return self.target_min, self.target_max

    def target_display_for(self, year: int | None) -> str:
        return _range_display(*self.target_for(year))

    def is_met(self, actual, year: int | None = None) -> bool | None:
        """Whether `actual` reaches the year's milestone (else the period's target)."""
        low, _high = self.target_for(year)
        if actual is None or low is None:
            return None
        return Decimal(str(actual)) >= low


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _range_display(low: Decimal | None, high: Decimal | None) -> str:
    if low is None:
        return ""
    return f"{_plain(low)}-{_plain(high)}" if high is not None else _plain(low)


class IndicatorMilestone(models.Model):
    """The target of one year inside a plan period (DESIGN §4 "milestones"): a year's status
    compares with it; the period's target is shown beside it."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="milestones"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    target_min = models.DecimalField(_("mốc (tối thiểu)"), max_digits=12, decimal_places=2)
    target_max = models.DecimalField(
        _("mốc (tối đa của khoảng)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mốc chỉ tiêu theo năm")
        verbose_name_plural = _("mốc chỉ tiêu theo năm")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="milestone_year"),
            models.CheckConstraint(
                condition=Q(target_max__isnull=True) | Q(target_max__gte=models.F("target_min")),
                name="milestone_range_order",
            ),
        ]

    def __str__(self):
        return (
            f"{self.indicator.code} {self.year}: {_range_display(self.target_min, self.target_max)}"
        )


class IndicatorValue(models.Model):
    """A manually entered value of an indicator for one year (e.g. DOIT_STAFF)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=2)
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
        verbose_name = _("giá trị chỉ tiêu")
        verbose_name_plural = _("giá trị chỉ tiêu")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="indicatorvalue_year")
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.year}: {self.value}"


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


class ReportQuerySet(models.QuerySet):
    def claimable(self, now):
        """Queued jobs, and running jobs whose worker stopped renewing the lease."""
        return self.filter(
            Q(state=Report.State.QUEUED) | Q(state=Report.State.RUNNING, lease_expires_at__lt=now),
            attempts__lt=Report.MAX_ATTEMPTS,
        )

    def lease_expired(self, now):
        return self.filter(
            state__in=[Report.State.QUEUED, Report.State.RUNNING], lease_expires_at__lt=now
        )

    def active(self):
        """Queued or running jobs (the per-user limit and the reuse of identical requests)."""
        return self.filter(state__in=[Report.State.QUEUED, Report.State.RUNNING])

    def retention_expired(self, cutoff):
        """Reports whose file was built before `cutoff` and is still stored: the retention
        purge deletes these files. Issued documents (signed and sent out), once the portal issues
        them, must be kept: exclude them here, the one place that decides what is purged."""
        return self.filter(state=Report.State.SUCCEEDED, finished_at__lt=cutoff).exclude(file="")


class Report(models.Model):
    """A generated report file, produced by a Celery worker (DESIGN §3, reports/generation.py)."""

    MAX_ATTEMPTS = 3

    class Kind(models.TextChoices):
        ANNUAL_PROGRESS = "annual_progress", _("Báo cáo kết quả thực hiện kế hoạch SXSH năm")

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", _("Excel (XLSX)")
        DOCX = "docx", _("Word (DOCX)")

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        SUCCEEDED = "succeeded", _("Hoàn thành")
        FAILED = "failed", _("Lỗi")

    kind = models.CharField(
        _("loại báo cáo"), max_length=30, choices=Kind.choices, default=Kind.ANNUAL_PROGRESS
    )
    year = models.PositiveSmallIntegerField(_("năm báo cáo"))
    format = models.CharField(_("định dạng"), max_length=4, choices=Format.choices)
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    scheduled = models.BooleanField(
        _("tạo theo lịch"),
        default=False,
        help_text=_("Tạo tự động hằng năm; lãnh đạo nhận e-mail khi báo cáo sẵn sàng."),
    )
    file = models.FileField(_("tệp"), upload_to="reports/", max_length=255, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("dung lượng (byte)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    requested_at = models.DateTimeField(_("thời điểm yêu cầu"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    # Queued: when to enqueue again if no worker has claimed the job; running: the worker's
    # lease, renewed with every progress step. The sweeper acts on expired leases.
    lease_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    task_id = models.CharField(max_length=64, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo tổng hợp")
        verbose_name_plural = _("báo cáo tổng hợp")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="report_progress_at_most_100"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year} ({self.get_format_display()})"

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)

    @property
    def file_purged(self) -> bool:
        """Built, but its file was deleted under the retention policy (REPORT_RETENTION_DAYS):
        the purge empties `file` and keeps the row with its size and SHA-256."""
        return self.state == self.State.SUCCEEDED and not self.file

    @property
    def download_name(self) -> str:
        return f"bao-cao-sxsh-{self.year}-{self.pk}.{self.format}"
