"""A facility spreadsheet import run in the background (facilities/import_jobs.py), with what
its check found and its progress."""

from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see the import jobs of their scope: every job in a one-province installation,
        in a national one the jobs started by staff of their own province."""
        if not user.is_authenticated or not user.is_portal_staff:
            return self.none()
        province = user.scoped_province
        return self if province is None else self.filter(requested_by__province=province or "-")

    def lease_expired(self, now):
        """Imports whose worker died with its whole process (import_jobs.py): claimed at least
        once and the lease no longer renewed. A redelivered message must not run them again."""
        return self.filter(ImportJob.lease_expired_q(now))


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
    # While a task runs the job: the claim starts a lease of IMPORT_LEASE_SECONDS that every
    # progress write renews. An import whose lease expired lost its worker (import_jobs.py).
    lease_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

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

    @classmethod
    def lease_expired_q(cls, now) -> Q:
        """The one rule for "this import's worker is gone": `importing`, claimed by a task
        (attempts > 0; a confirmed job waiting in the queue has none) and no lease renewed
        until `now` (none at all: claimed before leases existed)."""
        return Q(state=cls.State.IMPORTING, attempts__gt=0) & (
            Q(lease_expires_at__lt=now) | Q(lease_expires_at__isnull=True)
        )

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
