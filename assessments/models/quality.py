"""Data-quality rules of annual reports (DESIGN §4 "Data-quality rules"), what they found, and the
runs of the rules over existing data. The checks themselves are in assessments/quality.py; the
rules are seeded by a data migration, then staff change severity, thresholds and `enabled`."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.locking import Versioned

from .. import quality_rules
from ..benchmark import MIN_PEERS
from ..quality_messages import render_message


class Severity(models.TextChoices):
    ERROR = "error", _("Lỗi (chặn gửi, duyệt và nhập)")
    WARNING = "warning", _("Cảnh báo (cần giải trình)")
    INFO = "info", _("Thông tin (cho cán bộ duyệt)")


# Most serious first: the order in which findings are listed.
SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)
# The short word a finding is shown with.
SEVERITY_LABELS = {
    Severity.ERROR: _("Lỗi"),
    Severity.WARNING: _("Cảnh báo"),
    Severity.INFO: _("Thông tin"),
}

# The sector band (INTENSITY_OUT_OF_BAND) is shown to the facility whose report is outside it: it
# must never tell another facility's own figure. So, whatever staff set (DESIGN §4 lets them change
# the thresholds, not these limits), it is made of at least MIN_PEERS facilities, as the benchmark
# score is, and of percentiles from BAND_LOWEST to BAND_HIGHEST: percentile 0 or 100 is exactly the
# lowest or highest peer's intensity.
BAND_LOWEST, BAND_HIGHEST = Decimal(5), Decimal(95)
BAND_PERCENT = [MinValueValidator(BAND_LOWEST), MaxValueValidator(BAND_HIGHEST)]


class QualityRule(Versioned):
    """One rule: its code (what assessments/quality.py runs), its wording and the settings staff
    may change. Which threshold fields a rule reads is `quality.RULE_THRESHOLDS`."""

    code = models.CharField(_("mã quy tắc"), max_length=40, unique=True, editable=False)
    name = models.CharField(_("tên quy tắc"), max_length=200)
    explanation = models.TextField(_("giải thích"))
    severity = models.CharField(
        _("mức độ"), max_length=10, choices=Severity.choices, default=Severity.WARNING
    )
    enabled = models.BooleanField(_("đang áp dụng"), default=True)
    threshold = models.DecimalField(
        _("ngưỡng"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    low_percentile = models.DecimalField(
        _("bách phân vị dưới (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=BAND_PERCENT,
    )
    high_percentile = models.DecimalField(
        _("bách phân vị trên (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=BAND_PERCENT,
    )
    min_facilities = models.PositiveIntegerField(
        _("số cơ sở tối thiểu để so sánh"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_PEERS)],
    )
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("quy tắc kiểm tra số liệu")
        verbose_name_plural = _("quy tắc kiểm tra số liệu")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.code} – {self.display_name}"

    def get_absolute_url(self):
        return reverse("assessments:quality_rule_edit", args=[self.pk])

    # Pages show these: the shipped wording in the reader's language, a staff edit as written.
    @property
    def display_name(self) -> str:
        return quality_rules.display_text(self.code, "name", self.name)

    @property
    def display_explanation(self) -> str:
        return quality_rules.display_text(self.code, "explanation", self.explanation)

    @property
    def band_settings(self) -> tuple[int, Decimal, Decimal]:
        """(facilities needed, low percentile, high percentile) of the sector band, within the
        privacy limits above even for a row stored before them or changed in the database."""
        minimum = max(self.min_facilities or MIN_PEERS, MIN_PEERS)
        low = self.low_percentile if self.low_percentile is not None else BAND_LOWEST
        high = self.high_percentile if self.high_percentile is not None else BAND_HIGHEST
        low = min(max(low, BAND_LOWEST), BAND_HIGHEST)
        high = min(max(high, low), BAND_HIGHEST)
        return minimum, low, high


def severities_shown_to(user) -> tuple:
    """The severities of the findings `user` is shown (DESIGN §4): `info` is for the reviewer
    only, so a facility user sees errors and warnings; staff and officials see every finding."""
    if user.is_staff_or_official:
        return SEVERITY_ORDER
    return (Severity.ERROR, Severity.WARNING)


def open_findings_q(prefix: str = "") -> Q:
    """An open (unresolved) finding, seen through `prefix` (e.g. "quality_findings__" from a
    report): the one rule the lists, counts and filters of open findings use."""
    return Q(**{f"{prefix}resolved_at__isnull": True})


class QualityFindingQuerySet(models.QuerySet):
    def open(self):
        return self.filter(open_findings_q())

    def shown_to(self, user):
        """The findings `user` may see (`severities_shown_to`)."""
        return self.filter(severity__in=severities_shown_to(user))


class QualityFinding(models.Model):
    """What a rule found in a report. Open until a later check of the report no longer finds it
    (then `resolved_at` is set); refreshed when the report is saved, submitted or imported, and by
    a run over existing data (`quality.store_findings`)."""

    report = models.ForeignKey(
        "AnnualReport",
        verbose_name=_("báo cáo năm"),
        on_delete=models.CASCADE,
        related_name="quality_findings",
    )
    rule = models.ForeignKey(
        QualityRule, verbose_name=_("quy tắc"), on_delete=models.CASCADE, related_name="findings"
    )
    severity = models.CharField(_("mức độ"), max_length=10, choices=Severity.choices)
    field = models.CharField(_("trường số liệu"), max_length=40, blank=True)
    message = models.TextField(_("nội dung"))  # in the portal's language (LANGUAGE_CODE)
    # What writes the message in the reader's language (quality.message_params); empty for a
    # finding stored before it was kept, shown by `message` until a check refreshes it.
    params = models.JSONField(_("tham số nội dung"), default=dict, blank=True)
    created_at = models.DateTimeField(_("phát hiện lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("kiểm tra lần cuối"), auto_now=True)
    resolved_at = models.DateTimeField(_("hết vi phạm lúc"), null=True, blank=True)

    objects = QualityFindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("phát hiện khi kiểm tra số liệu")
        verbose_name_plural = _("phát hiện khi kiểm tra số liệu")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "rule"],
                condition=Q(resolved_at__isnull=True),
                name="qualityfinding_one_open_per_rule",
            )
        ]
        indexes = [
            models.Index(fields=["rule", "resolved_at"], name="qualityfinding_rule_open_idx")
        ]

    def __str__(self):
        return f"{self.rule.code}: {self.message}"

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS.get(self.severity, self.severity)

    @property
    def rule_name(self) -> str:
        return self.rule.display_name

    @property
    def display_message(self) -> str:
        """The message in the active language (pages, exports), else as stored."""
        return render_message(self.params) or self.message


class QualityRun(models.Model):
    """A run of the rules over every stored annual report, queued by staff and done by Celery
    (assessments.tasks.run_quality_checks_task), with its progress for the page's bar."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang kiểm tra")
        DONE = "done", _("Xong")
        FAILED = "failed", _("Lỗi")

    state = models.CharField(
        _("trạng thái"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    checked = models.PositiveIntegerField(_("số báo cáo đã kiểm tra"), default=0)
    findings = models.PositiveIntegerField(_("số phát hiện"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt kiểm tra số liệu")
        verbose_name_plural = _("lượt kiểm tra số liệu")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_state_display()} ({self.created_at:%d/%m/%Y %H:%M})"

    @property
    def is_running(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)
