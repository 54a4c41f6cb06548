"""The generated report files and their Celery jobs (reports/generation.py), issued documents
with their number in the outgoing register (reports/issuing.py) and the register's counters."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from facilities.territory import territory_name


class ReportQuerySet(models.QuerySet):
    def claimable(self, now):
        """Queued jobs, and running jobs whose worker stopped renewing the lease."""
        return self.filter(
            Q(state=Report.State.QUEUED) | Q(state=Report.State.RUNNING, lease_expires_at__lt=now),
            attempts__lt=Report.MAX_ATTEMPTS,
            number__isnull=True,  # an issued document is never built again
        )

    def lease_expired(self, now):
        return self.filter(
            state__in=[Report.State.QUEUED, Report.State.RUNNING], lease_expires_at__lt=now
        )

    def active(self):
        """Queued or running jobs (the per-user limit and the reuse of identical requests)."""
        return self.filter(state__in=[Report.State.QUEUED, Report.State.RUNNING])

    def issued(self):
        """Documents issued with a number of the outgoing register (never regenerated, deleted
        or purged)."""
        return self.filter(number__isnull=False)

    def drafts(self):
        return self.filter(number__isnull=True)

    def visible_to(self, user):
        """Staff see every report; officials (and the Ministry) the issued documents and their
        own requests (a working copy they asked for), never another draft (DESIGN §5). In a
        national installation staff and officials see only their province's documents
        (`Report.province`); the Ministry every province's issued documents and the national
        ones (its own documents, drafts included)."""
        if not user.is_authenticated:
            return self.none()
        reports = self
        province = user.scoped_province
        if province is not None:
            reports = self.filter(province=province or "-")
        if user.is_portal_staff:
            return reports
        readable = Q(number__isnull=False) | Q(requested_by=user.pk)
        if settings.PORTAL_SCOPE == "national" and province is None:
            readable |= Q(province="")
        return reports.filter(readable)

    def retention_expired(self, cutoff):
        """Reports whose file was built before `cutoff` and is still stored: the retention
        purge deletes these files. Issued documents (signed and sent out), once the portal issues
        them, must be kept: exclude them here, the one place that decides what is purged."""
        return (
            self.filter(state=Report.State.SUCCEEDED, finished_at__lt=cutoff)
            .exclude(file="")
            .filter(number__isnull=True)
        )


# The issuing body's abbreviation in document symbols ("BC-SCT": Sở Công Thương; "BC-BCT": Bộ
# Công Thương, a national installation's national document).
ISSUER_ABBREVIATION = "SCT"
MINISTRY_ABBREVIATION = "BCT"


def is_national_document(province: str) -> bool:
    """Whether a document of `province` (Report.province) is the Ministry's national document:
    "" in a national installation (in a one-province installation "" is the province's own)."""
    return settings.PORTAL_SCOPE == "national" and not province


def issuer_abbreviation(province: str) -> str:
    """The issuing body's abbreviation of a document of `province` (Report.province)."""
    return MINISTRY_ABBREVIATION if is_national_document(province) else ISSUER_ABBREVIATION


class Report(models.Model):
    """A generated report file, produced by a Celery worker (DESIGN §3, reports/generation.py).

    A draft until staff issue it (reports/issuing.py): then it carries a number of the outgoing
    register, its file is frozen (never regenerated, deleted or purged)."""

    MAX_ATTEMPTS = 3

    class DocType(models.TextChoices):
        REPORT = "BC", _("Báo cáo")

    class Kind(models.TextChoices):
        ANNUAL_PROGRESS = "annual_progress", _("Báo cáo kết quả thực hiện kế hoạch SXSH năm")
        HALF_YEAR_PROGRESS = (
            "half_year_progress",
            _("Báo cáo kết quả thực hiện kế hoạch SXSH 6 tháng đầu năm"),
        )
        # The Ministry's summary of the province's results (issue 15 point 5), a data table
        # built with the annual report: XLSX only (reports/files/ministry.py).
        MINISTRY_TABLE = "ministry_table", _("Bảng tổng hợp kết quả SXSH gửi Bộ Công Thương")

    # `generate_report --period year|half` (DESIGN §5) names the kind by its period.
    PERIOD_KINDS = {"year": Kind.ANNUAL_PROGRESS, "half": Kind.HALF_YEAR_PROGRESS}

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", _("Excel (XLSX)")
        DOCX = "docx", _("Word (DOCX)")

    # Kinds built in some formats only; the others are built in every format.
    KIND_FORMATS = {Kind.MINISTRY_TABLE: (Format.XLSX,)}

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        SUCCEEDED = "succeeded", _("Hoàn thành")
        FAILED = "failed", _("Lỗi")

    kind = models.CharField(
        _("loại báo cáo"), max_length=30, choices=Kind.choices, default=Kind.ANNUAL_PROGRESS
    )
    year = models.PositiveSmallIntegerField(_("năm báo cáo"))
    # Whose document (DESIGN §2): "" = the installation's own province (province mode) or, in a
    # national installation, the national document (the Ministry's); a 2025 province code = that
    # province's document (its content, heading and outgoing register).
    province = models.CharField(
        _("tỉnh/thành phố"), max_length=2, blank=True, default="", db_index=True
    )
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
    # Handed to a second requester (generation.report_request_once): its own requester may no
    # longer withdraw it (`cancellable_by`), someone else is waiting for it too.
    shared = models.BooleanField(_("có người khác cùng chờ"), default=False, editable=False)
    file = models.FileField(_("tệp"), upload_to="reports/", max_length=255, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("dung lượng (byte)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    # The SHA-256 of what a PDF or Word draft says (reports.files.content.fingerprint: figures and
    # narrative, not the number, date, signer or recipients), kept when it is built: issuing
    # refuses a draft whose content has changed since (reports/issuing.py). Empty for a draft
    # built before it was kept, which must be built again before it is issued.
    content_sha256 = models.CharField(_("SHA-256 nội dung dự thảo"), max_length=64, blank=True)
    # The SHA-256 of the figures the file holds (reports.files.fingerprint.figures_fingerprint:
    # a PDF or Word draft's content but the staff-written text; an XLSX's sheets), kept when it is
    # built: the pages tell a draft whose figures changed from one whose text alone changed, and
    # an XLSX (no text) is not marked for a changed text. Empty for a draft built before it was
    # kept: such a draft is compared by `content_sha256` alone (`staleness`).
    figures_sha256 = models.CharField(_("SHA-256 số liệu dự thảo"), max_length=64, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    requested_at = models.DateTimeField(_("thời điểm yêu cầu"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    # Queued: when to enqueue again if no worker has claimed the job; running: the worker's
    # lease, renewed with every progress step. The sweeper acts on expired leases.
    lease_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    task_id = models.CharField(max_length=64, blank=True)
    # Issuing (reports/issuing.py): the next number of the issue year's register for the
    # document type, the frozen file's SHA-256 stays in `sha256`.
    doc_type = models.CharField(
        _("loại văn bản"), max_length=10, choices=DocType.choices, blank=True
    )
    register_year = models.PositiveSmallIntegerField(_("năm sổ đăng ký"), null=True, blank=True)
    number = models.PositiveIntegerField(_("số văn bản"), null=True, blank=True)
    issue_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issued_at = models.DateTimeField(_("thời điểm ban hành"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ban hành"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    # A deputy signs on behalf of the head: "KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC" (NĐ 30/2020).
    signer_on_behalf = models.BooleanField(_("ký thay (KT.)"), default=False)
    recipients = models.TextField(_("nơi nhận"), blank=True)

    objects = ReportQuerySet.as_manager()

    # What changed since a built draft was built (`staleness`): its figures, its staff-written
    # text, or (a draft that kept no figures' fingerprint) its content, which cannot tell which.
    STALE_FIGURES = "figures"
    STALE_TEXT = "text"
    STALE_CONTENT = "content"

    # Set for the pages by reports.staleness.mark_stale: one of the STALE_* (what changed) for a
    # built draft whose file no longer says what it would say now, "" otherwise; not stored.
    stale = ""

    class Meta:
        verbose_name = _("báo cáo tổng hợp")
        verbose_name_plural = _("báo cáo tổng hợp")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="report_progress_at_most_100"
            ),
            models.UniqueConstraint(
                fields=["province", "register_year", "doc_type", "number"],
                condition=Q(number__isnull=False),
                name="report_one_number_per_register",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True)
                | Q(register_year__isnull=False, issue_date__isnull=False, state="succeeded")
                & ~Q(doc_type=""),
                name="report_issued_is_complete",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year} ({self.get_format_display()})"

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    @classmethod
    def formats_for(cls, kind: str) -> tuple[str, ...]:
        """The formats a report of `kind` is built in."""
        return cls.KIND_FORMATS.get(kind, tuple(cls.Format.values))

    @property
    def period(self) -> str:
        """ "year" or "half": the period the document covers (reports.files.content.gather)."""
        return "half" if self.kind == self.Kind.HALF_YEAR_PROGRESS else "year"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)

    def cancellable_by(self, user) -> bool:
        """Whether `user` may withdraw this job (reports/job_queue.py `report_cancel`): their own
        request, still waiting for a worker, nobody else waiting for it (`shared`); never a
        document (an issued one is built)."""
        return (
            self.state == self.State.QUEUED
            and not self.shared
            and not self.is_issued
            and user.is_authenticated
            and self.requested_by_id == user.pk
        )

    @property
    def file_purged(self) -> bool:
        """Built, but its file was deleted under the retention policy (REPORT_RETENTION_DAYS):
        the purge empties `file` and keeps the row with its size and SHA-256."""
        return self.state == self.State.SUCCEEDED and not self.file

    @property
    def download_name(self) -> str:
        # A half-year document's name says so: never the annual one's of the same year.
        period = "6-thang-" if self.period == "half" else ""
        if self.is_issued:
            # The number as written, "01/BC-SCT" -> "01-BC-SCT"; each province keeps its own
            # register: its code keeps the names (and the stored files) of two provinces'
            # documents of the same number apart.
            register = self.register_year
            if self.province:
                register = f"{register}-{self.province}"
            number = self.number_label.replace("/", "-")
            return f"{number}-{register}-sxsh-{period}{self.year}.{self.format}"
        if self.kind == self.Kind.MINISTRY_TABLE:
            return f"bang-tong-hop-bct-sxsh-{self.year}-{self.pk}.{self.format}"
        return f"bao-cao-sxsh-{period}{self.year}-{self.pk}.{self.format}"

    @property
    def is_issued(self) -> bool:
        return self.number is not None

    @property
    def scope_name(self) -> str:
        """Whose document, in a national installation: the province's name, or the national
        document's; "" in a one-province installation (every document is the province's)."""
        if settings.PORTAL_SCOPE != "national":
            return ""
        if not self.province:
            return str(_("Toàn quốc (Bộ Công Thương)"))
        return territory_name(self.province)

    @property
    def can_issue(self) -> bool:
        """A built draft in a document format (PDF or Word; the XLSX is a data table)."""
        return (
            not self.is_issued
            and self.state == self.State.SUCCEEDED
            and bool(self.file)
            and self.format in (self.Format.PDF, self.Format.DOCX)
        )

    @property
    def content_checkable(self) -> bool:
        """Whether what this file says is compared with the data now (`content_differs`): a built
        draft, its file still kept, with a content fingerprint. An issued document never is: it
        is frozen, and says what it said the day it was issued whatever changed since. Nor are a
        draft built before the fingerprint was kept, and the Ministry's table (none kept): nothing
        to compare with; nor a purged file (its page offers to build it again anyway). The
        Ministry's table keeps the fingerprint of its figures in both (reports/stale_marks.py)."""
        return (
            not self.is_issued
            and self.state == self.State.SUCCEEDED
            and bool(self.file)
            and bool(self.content_sha256)
        )

    def content_differs(self, current_sha256: str) -> bool:
        """The one comparison of a draft's whole content with the data now (DESIGN §5): whether
        `current_sha256`, the fingerprint of the content gathered now (reports.files.fingerprint;
        reports.staleness), is not the one kept with the draft — or the draft has none. Issuing
        refuses such a draft (generation.ContentChanged); the pages mark it (`staleness`)."""
        return not self.content_sha256 or current_sha256 != self.content_sha256

    @property
    def compared_fingerprints(self) -> tuple[str, ...]:
        """The fingerprints of the content now that `staleness` compares this draft with (none
        when it is not `content_checkable`): "content" (`content_sha256`), and the figures of
        its format ("figures:xlsx", "figures:document") when it kept theirs; the Ministry's
        table by its figures alone ("figures:ministry", reports/stale_marks.py)."""
        if not self.content_checkable:
            return ()
        if self.kind == self.Kind.MINISTRY_TABLE:
            return ("figures:ministry",)
        if not self.figures_sha256:
            return ("content",)
        if self.format == self.Format.XLSX:
            return ("figures:xlsx",)
        return ("figures:document", "content")

    def staleness(self, now) -> str:
        """What changed since this draft was built ("" nothing, or not compared: an issued
        document is frozen), `now` holding the fingerprints of the content now named by
        `compared_fingerprints` (reports.staleness.fingerprints_now). The figures first: a draft
        whose figures changed says so whatever else did. An XLSX holds no text, so its figures
        are all it is compared by. A draft that kept only the whole content's fingerprint (built
        before the figures' was kept) is compared by that, as issuing compares it
        (`content_differs`): marked for any change, without telling which."""
        names = self.compared_fingerprints
        if not names:
            return ""
        if names == ("content",):
            return self.STALE_CONTENT if self.content_differs(now["content"]) else ""
        if now[names[0]] != self.figures_sha256:
            return self.STALE_FIGURES
        if "content" in names and self.content_differs(now["content"]):
            return self.STALE_TEXT
        return ""

    @property
    def symbol(self) -> str:
        """The symbol, "BC-SCT": the document type's abbreviation and the issuing body's ("BC-BCT"
        for a national installation's national document)."""
        return f"{self.doc_type or self.DocType.REPORT}-{issuer_abbreviation(self.province)}"

    @property
    def number_label(self) -> str:
        """The number and symbol, "12/BC-SCT" ("05/BC-SCT": numbers under 10 take a leading zero,
        NĐ 30/2020), once issued; else empty."""
        return f"{self.number:02d}/{self.symbol}" if self.is_issued else ""

    @property
    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]

    @property
    def signer_lines(self) -> list[str]:
        """The authority lines of the signature block recorded at issuing."""
        return authority_lines(self.signer_title, on_behalf=self.signer_on_behalf)


def authority_lines(title: str, *, on_behalf: bool) -> list[str]:
    """The authority of a signature block (NĐ 30/2020): "GIÁM ĐỐC"; a deputy signing on the
    head's behalf: "KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC"."""
    title = " ".join(title.split()).upper()
    if on_behalf:
        return [f"KT. {title}", f"PHÓ {title}"]
    return [title] if title else []


class DocumentCounter(models.Model):
    """The last number given in a year's outgoing register for one document type: issuing locks
    this row (SELECT … FOR UPDATE), so two concurrent issues never share a number."""

    # The issuing body's register (DESIGN §2): "" = the installation's own department (province
    # mode) or the Ministry (national); a 2025 province code = that province's department.
    province = models.CharField(_("tỉnh/thành phố"), max_length=2, blank=True, default="")
    year = models.PositiveSmallIntegerField(_("năm"))
    doc_type = models.CharField(_("loại văn bản"), max_length=10)
    last_number = models.PositiveIntegerField(_("số cuối"), default=0)

    class Meta:
        verbose_name = _("sổ đăng ký văn bản đi")
        verbose_name_plural = _("sổ đăng ký văn bản đi")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "doc_type"], name="one_counter_per_register"
            )
        ]

    def __str__(self):
        return f"{self.year} {self.doc_type}: {self.last_number}"


class ScheduledDraft(models.Model):
    """That the scheduled run (reports/scheduling.py) requested a draft of this kind, year,
    format and province once: a draft staff deleted is not built (nor mailed about) again. Only a
    scheduled draft whose every attempt failed is requested again."""

    kind = models.CharField(max_length=30, choices=Report.Kind.choices)
    year = models.PositiveSmallIntegerField()
    format = models.CharField(max_length=4, choices=Report.Format.choices)
    province = models.CharField(max_length=2, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dự thảo theo lịch đã tạo")
        verbose_name_plural = _("dự thảo theo lịch đã tạo")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "format", "province"], name="one_scheduled_draft"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.year} {self.format} {self.province}".strip()
