"""Annual self-reports (DESIGN §3) and their deadlines."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.locking import Versioned
from core.text import NFCCharField

from . import savings_cap
from .fields import NON_NEGATIVE, amount_field
from .workflow import Reviewed, WorkflowQuerySet, WorkflowState, WorkflowTexts

# Report field -> ConversionFactor.carrier. The unit of each field is the factor's unit.
ENERGY_FIELDS = {
    "electricity_kwh": "electricity",
    "coal_t": "coal",
    "diesel_l": "diesel_l",
    "fuel_oil_t": "fuel_oil",
    "lpg_t": "lpg",
    "natural_gas_1000m3": "natural_gas",
}


class AnnualReportQuerySet(WorkflowQuerySet):
    def reported(self):
        """Reports that count as handed in: submitted or approved."""
        return self.filter(state__in=(WorkflowState.SUBMITTED, WorkflowState.APPROVED))

    def awaiting_review(self):
        return self.filter(state=WorkflowState.SUBMITTED)


class AnnualReport(Reviewed, Versioned):
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
    # The facility's explanation of the data-quality warnings (assessments/quality.py), required
    # before a report with warnings is submitted and shown to the reviewer.
    quality_justification = models.TextField(
        _("giải trình về cảnh báo số liệu"),
        blank=True,
        help_text=_(
            "Bắt buộc khi báo cáo có cảnh báo về số liệu: giải thích vì sao số liệu như vậy."
        ),
    )
    submitted_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)
    # Each review step records its own date: a return never fills the approval date.
    returned_at = models.DateTimeField(_("ngày trả lại"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("ngày duyệt"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ xem xét"),
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

    workflow_texts = WorkflowTexts(
        wrong_state=_("Không thể thực hiện thao tác này khi báo cáo ở trạng thái “%(state)s”."),
        locked=_("Báo cáo đã được duyệt và bị khóa; cán bộ Sở cần mở lại trước khi sửa."),
        pending=_("Báo cáo đang chờ Sở duyệt nên không sửa được."),
        text_required={
            "return": _("Cần ghi ý kiến khi trả lại báo cáo."),
            "reopen": _("Cần ghi lý do mở lại báo cáo đã duyệt."),
        },
    )

    def clean(self):
        # A report of a year its facility was not operating or still to come (the facility's
        # rule of its report years): the admin can move a report to another facility, which the
        # report form and import cannot.
        if (
            self.facility_id
            and self.year
            and (problem := self.facility.report_year_problem(self.year))
        ):
            raise ValidationError({"facility": problem})
        # Only an approved report is an assessment's baseline (Assessment.baseline_report): a
        # draft or submitted one is held to the savings when it is approved.
        if self.state == WorkflowState.APPROVED and (errors := self.baseline_use_errors()):
            raise ValidationError(errors)

    def baseline_use_errors(self) -> dict[str, list[str]]:
        """The savings cap seen from the baseline (savings_cap), for this report as approved with
        its figures: per consumption field, an error when the pursued options of all the
        facility's assessments with this year as baseline year together save more a year than
        the report gives (an empty figure: none used), or when, this report taking the place of
        the stored one of its year, the largest figure of the facility's approved baseline-year
        reports falls below what the options of all its assessments under them save. Within a
        transaction all the facility's assessments stay locked, in pk order, as the option
        services lock them (savings_cap.lock_cap_group) before checking an option against the
        reports."""
        if not self.facility_id or not self.year:
            return {}
        assessments = self.facility.assessments.all()
        if transaction.get_connection().in_atomic_block:
            list(assessments.order_by("pk").select_for_update().values_list("pk", flat=True))
        assessments = list(assessments.filter(baseline_year__isnull=False).with_savings())
        stored = savings_cap.approved_baselines([self.facility_id], assessments, besides=self.pk)
        approved = {year: report for (_facility, year), report in stored.items()}
        return self.savings_errors(assessments, self._approved_before(), approved)

    def savings_errors(self, assessments, before=None, approved=None) -> dict[str, list[str]]:
        """`baseline_use_errors` over given `assessments` (`with_savings()`: all the facility's
        assessments with a baseline year), `before`, the approved version this one replaces
        (None: none), and `approved`, year -> the facility's approved report of that year that
        stays (the stored ones, the others a file writes)."""
        return savings_cap.baseline_use_errors(self, assessments, approved or {}, before)

    def _approved_before(self):
        """The version of this report the new figures replace as the baseline: the stored one
        if it is approved for the same facility and year; else, a report reopened since (returned
        to be corrected, sent again), the version approved last, from its history; else None."""
        if not self.pk:
            return None
        stored = (
            type(self)
            .objects.approved()
            .filter(pk=self.pk, facility_id=self.facility_id, year=self.year)
        )
        if approved := stored.first():
            return approved
        record = (
            self.history.filter(state=WorkflowState.APPROVED)
            .order_by("-history_date", "-history_id")
            .first()
        )
        if record is None or (record.facility_id, record.year) != (self.facility_id, self.year):
            return None
        return record.instance

    def stamp(self, step: str, by) -> list[str]:
        if step == "submit":
            self.submitted_at = timezone.now()
            return ["submitted_at"]
        if step == "return":
            self.reviewed_by, self.returned_at = by, timezone.now()
            return ["reviewed_by", "returned_at"]
        if step == "approve":
            self.reviewed_by, self.reviewed_at = by, timezone.now()
            return ["reviewed_by", "reviewed_at"]
        if step == "reopen":
            # No longer approved: the approval date stays in the history, not on the report.
            self.reviewed_at = None
            return ["reviewed_at"]
        return []

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


def default_deadline(year: int) -> date:
    """15 January of the next year, like the key energy users' report (DOMAIN.md)."""
    return date(year + 1, 1, 15)


class ReportingDeadline(models.Model):
    """The deadline for a reporting year when staff set one; else `default_deadline(year)`.

    Deadlines differ by province (DOMAIN.md): in a national installation (DESIGN §2) each
    province's staff set their province's; a row of province "" is the installation's own (a
    one-province installation's) or, in a national one, the default a superuser set for every
    province that sets none."""

    # A national installation: the 2025 province ("24") whose deadline this is; "" as above.
    province = models.CharField(_("tỉnh/thành phố"), max_length=2, blank=True, default="")
    year = models.PositiveSmallIntegerField(_("năm báo cáo"))
    deadline = models.DateField(_("hạn nộp báo cáo"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hạn nộp báo cáo năm")
        verbose_name_plural = _("hạn nộp báo cáo năm")
        ordering = ["-year", "province"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year"], name="reportingdeadline_province_year"
            )
        ]

    def __str__(self):
        prefix = f"{self.province} – " if self.province else ""
        return f"{prefix}{self.year}: {self.deadline:%d/%m/%Y}"

    @classmethod
    def deadline_for(cls, year: int, province: str = "") -> date:
        """`province`'s own deadline for `year`, else the installation's (province ""), else
        `default_deadline(year)`."""
        return cls.deadlines_for([year], province)[year]

    @classmethod
    def deadlines_for(cls, years, province: str = "") -> dict:
        """`deadline_for` of each of `years`, in one query: {year: date}."""
        stored = {
            (p, y): deadline
            for p, y, deadline in cls.objects.filter(
                year__in=years, province__in={province, ""}
            ).values_list("province", "year", "deadline")
        }
        return {
            year: stored.get((province, year)) or stored.get(("", year)) or default_deadline(year)
            for year in years
        }


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
