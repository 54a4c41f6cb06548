"""Cleaner-production assessments and their options."""

from copy import copy
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from core.locking import Versioned
from core.numbers import format_amount
from core.text import NFCCharField

from .amounts import (
    ASSESSMENT_AMOUNT_MAX,
    OPTION_AMOUNT_MAX,
    SUPPORT_MAX_VND,
    amount_error,
    amount_errors,
    facility_support_used,
    max_support,
    support_error,
)
from .annual_report import AnnualReport
from .fields import amount_field
from .savings_cap import (
    BASELINE_CONSUMPTION,
    baseline_use,
    cap_errors,
    facility_saving_errors,
    no_use_error,
    pursued,
    summed_savings,
    unanchored_saving_errors,
)
from .workflow import Reviewed, WorkflowQuerySet, WorkflowState, WorkflowTexts

# Plausible years: a baseline year from EARLIEST_YEAR to this year (as a facility's
# established year, DESIGN §5); an option's implementation year within the range its form offers.
EARLIEST_YEAR = 1900
EARLIEST_OPTION_YEAR = 2000
LATEST_OPTION_YEAR = 2100


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


# An assessment's field -> why its year lies outside the facility's operating years
# (Assessment.operating_year_errors), worded as an option's (Option._year_error).
OUTSIDE_OPERATING_YEARS = {
    "start_date": _("Năm bắt đầu %(year)s nằm ngoài thời gian hoạt động của cơ sở (%(reason)s)."),
    "end_date": _("Năm kết thúc %(year)s nằm ngoài thời gian hoạt động của cơ sở (%(reason)s)."),
    "baseline_year": _("Năm cơ sở %(year)s nằm ngoài thời gian hoạt động của cơ sở (%(reason)s)."),
}


class AssessmentQuerySet(WorkflowQuerySet):
    def with_savings(self):
        """Each assessment with `saved_<field>`: the savings of its pursued options
        (Option.is_pursued) summed per quantity of BASELINE_CONSUMPTION (None: no such saving),
        and its facility, which names it."""
        pursued = ~Q(options__screening=Option.Screening.REJECT) & ~Q(
            options__status=Option.Status.DROPPED
        )
        sums = {
            f"saved_{name}": models.Sum(f"options__{name}", filter=pursued)
            for name in BASELINE_CONSUMPTION
        }
        return self.select_related("facility").annotate(**sums)


class Assessment(Reviewed, Versioned):
    class Kind(models.TextChoices):
        QUICK = "quick", _("Đánh giá nhanh")
        DETAILED = "detailed", _("Đánh giá chi tiết")

    # TTLT 221/2012/TTLT-BTC-BCT: support <= 50% of the cost and <= 50 million VND per facility,
    # over all its assessments (amounts.support_error).
    MAX_SUPPORT_VND = SUPPORT_MAX_VND

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
    # The one-time token of the creation form that stored this assessment: the same form sent
    # again (back button, double click) finds it instead of creating a duplicate.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = HistoricalRecords(excluded_fields=["form_token", "version"])
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("đánh giá SXSH")
        verbose_name_plural = _("đánh giá SXSH")
        ordering = ["-start_date", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.facility.name}"

    def get_absolute_url(self):
        return reverse("assessments:assessment_detail", args=[self.pk])

    def max_support_vnd(self) -> int:
        """The most this assessment may get: half its cost, within what its facility's other
        assessments leave of the facility's 50 million."""
        used = facility_support_used(self.facility_id, besides=self)
        return max_support(self.total_cost_vnd, used)

    def clean(self):
        errors = amount_errors(self, ASSESSMENT_AMOUNT_MAX)
        if refused := support_error(self):
            errors["supported_amount_vnd"] = refused
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("Ngày kết thúc không được trước ngày bắt đầu.")
        outside = self.operating_year_errors()
        this_year = timezone.localdate().year
        if self.baseline_year is not None and not (
            EARLIEST_YEAR <= self.baseline_year <= this_year
        ):
            errors["baseline_year"] = _("Năm cơ sở phải từ %(first)s đến năm nay (%(last)s).") % {
                "first": EARLIEST_YEAR,
                "last": this_year,
            }
        elif self.baseline_year and self.start_date and self.baseline_year > self.start_date.year:
            errors["baseline_year"] = _("Năm cơ sở không được sau năm bắt đầu đánh giá.")
        elif "baseline_year" not in outside:
            errors.update(self.baseline_year_errors())
        # A year outside the operating years is corrected first: the checks against the
        # options stored wait for it.
        for field, message in outside.items():
            errors.setdefault(field, message)
        for field, messages in self.start_change_errors().items():
            errors.setdefault(field, messages)
        # An approval made here (the admin's state) takes the rule the services' approvals take.
        approving = self.state == WorkflowState.APPROVED and "baseline_year" not in errors
        if approving and (refused := self.approval_errors()):
            errors["baseline_year"] = refused
        if errors:
            raise ValidationError(errors)

    def operating_year_errors(self) -> dict:
        """Field -> why its year lies outside the facility's operating years (DESIGN §4,
        Facility.not_operating_reason): the years of the start and end dates and the baseline
        year. Only a facility operating in a year counts in it; an assessment of a year it was
        not (not yet established, already closed) is not one it made, and its options could
        not take that year (Option._year_error). The facility keeps these years in its
        operating years (Facility.records_outside_years)."""
        facility = self.facility if self.facility_id else None
        if facility is None:
            return {}
        years = {
            "start_date": self.start_date.year if self.start_date else None,
            "end_date": self.end_date.year if self.end_date else None,
            "baseline_year": self.baseline_year,
        }
        errors = {}
        for field, year in years.items():
            reason = facility.not_operating_reason(year) if year else None
            if reason:
                errors[field] = OUTSIDE_OPERATING_YEARS[field] % {"year": year, "reason": reason}
        return errors

    def baseline_year_errors(self) -> dict:
        """The checks of a changed baseline year (or facility) against the options stored: the
        savings cap (`baseline_change_errors`) and their implementation years
        (`baseline_after_options_errors`), the messages of both on the baseline year."""
        errors = {}
        for part in (self.baseline_change_errors(), self.baseline_after_options_errors()):
            for field, messages in part.items():
                errors.setdefault(field, []).extend(messages)
        return errors

    def baseline_report(self):
        """The facility's approved annual report for the baseline year, if any."""
        if not self.baseline_year or not self.facility_id:
            return None
        return (
            AnnualReport.objects.approved()
            .filter(facility_id=self.facility_id, year=self.baseline_year)
            .first()
        )

    def approval_errors(self, options=None) -> list[str]:
        """Why the assessment cannot be approved as it is: its pursued `options` (default: the
        stored ones) saving with nothing to cap them (savings_cap.unanchored_saving_errors), or
        more than the cap allows (`option_saving_errors`: options entered while the baseline
        report was reopened, then approved again unchanged, were never held to it); the one
        rule of every approval. Empty when it can."""
        refused = unanchored_saving_errors(self, options)
        if refused or self.baseline_report() is None:
            return refused
        return [
            _("Chưa thể duyệt: %(reason)s") % {"reason": reason}
            for reason in self.option_saving_errors(options).values()
        ]

    def option_saving_errors(self, options=None) -> dict:
        """The savings cap over a set of this assessment's options: per quantity they save, an
        error when the pursued `options` (default: the stored ones) save too much a year with
        those of the facility's other assessments of the same baseline year, or of all its
        assessments under an approved baseline (savings_cap.cap_errors)."""
        baseline = self.baseline_report()
        if baseline is None:
            return {}
        if options is None:
            options = Option.objects.filter(assessment_id=self.pk) if self.pk else []
        return cap_errors(self, baseline, summed_savings(options))

    def baseline_change_errors(self) -> dict:
        """A new baseline year (or facility) under which the options already stored would
        together save more than the facility used that year: refused on the changed field, the
        totals named, until the options are corrected."""
        if not self.pk:
            return {}
        stored = Assessment.objects.filter(pk=self.pk).values("baseline_year", "facility_id")
        stored = stored.first()
        if stored is None or (stored["baseline_year"], stored["facility_id"]) == (
            self.baseline_year,
            self.facility_id,
        ):
            return {}
        errors = self.option_saving_errors()
        # Whatever its own options save, the assessment leaves its old baseline year's figure
        # behind: the largest of the facility's may fall below what the others save.
        own = summed_savings(Option.objects.filter(assessment_id=self.pk))
        left = facility_saving_errors(self, self.baseline_report(), own, BASELINE_CONSUMPTION)
        if stored["facility_id"] not in (None, self.facility_id):
            left = {**self.removal_errors(stored["facility_id"]), **left}
        for name, error in left.items():
            errors.setdefault(name, error)
        errors = list(errors.values())
        if not errors:
            return {}
        field = "baseline_year" if stored["baseline_year"] != self.baseline_year else "facility"
        return {field: [*errors, _("Hãy sửa hoặc bỏ bớt các giải pháp trước khi thay đổi.")]}

    def removal_errors(self, facility_id=None) -> dict:
        """Taken out of its facility's (`facility_id`, default its own) savings cap group — deleted,
        or moved to another facility —, the largest baseline figure may fall below what the
        other assessments' options save (savings_cap.facility_saving_errors): per quantity, why
        it cannot leave (its baseline year's figure stays in the group only when another of the
        facility's assessments takes that year)."""
        leaving = copy(self)
        leaving.facility_id = facility_id or self.facility_id
        return facility_saving_errors(leaving, None, {}, BASELINE_CONSUMPTION)

    def _options_before(self, year: int) -> dict:
        """{count, first}: this assessment's options implemented before `year`, the earliest
        year among them (start_change_errors, baseline_after_options_errors)."""
        earlier = Option.objects.filter(assessment_id=self.pk, implementation_year__lt=year)
        return earlier.aggregate(count=models.Count("pk"), first=models.Min("implementation_year"))

    def start_change_errors(self) -> dict:
        """A start date moved to a later year (or given for the first time) while options of
        this assessment have an implementation year before it: refused on the start date until
        those options are corrected, as an option cannot come before its assessment
        (Option._year_error)."""
        if not self.pk or not self.start_date:
            return {}
        stored = Assessment.objects.filter(pk=self.pk).values("start_date").first()
        year = self.start_date.year
        if stored is None or (stored["start_date"] and stored["start_date"].year >= year):
            return {}
        found = self._options_before(year)
        if not found["count"]:
            return {}
        return {
            "start_date": [
                ngettext(
                    "Đánh giá đã có %(count)s giải pháp có năm thực hiện trước năm %(year)s "
                    "(sớm nhất: %(first)s): năm thực hiện của giải pháp không được trước năm bắt "
                    "đầu đánh giá. Hãy sửa năm thực hiện của các giải pháp đó trước khi đổi ngày "
                    "bắt đầu.",
                    "Đánh giá đã có %(count)s giải pháp có năm thực hiện trước năm %(year)s "
                    "(sớm nhất: %(first)s): năm thực hiện của giải pháp không được trước năm bắt "
                    "đầu đánh giá. Hãy sửa năm thực hiện của các giải pháp đó trước khi đổi ngày "
                    "bắt đầu.",
                    found["count"],
                )
                % {**found, "year": year}
            ]
        }

    def baseline_after_options_errors(self) -> dict:
        """A baseline year moved to a later year (or given for the first time) while options of
        this assessment have an implementation year before it: refused on the baseline year until
        those options are corrected, as an option cannot come before its baseline
        (Option._year_error)."""
        if not self.pk or not self.baseline_year:
            return {}
        stored = Assessment.objects.filter(pk=self.pk).values("baseline_year").first()
        year = self.baseline_year
        if stored is None or (stored["baseline_year"] or 0) >= year:
            return {}
        found = self._options_before(year)
        if not found["count"]:
            return {}
        return {
            "baseline_year": [
                ngettext(
                    "Đánh giá đã có %(count)s giải pháp có năm thực hiện trước năm %(year)s "
                    "(sớm nhất: %(first)s): năm thực hiện của giải pháp không được trước năm cơ "
                    "sở. Hãy sửa năm thực hiện của các giải pháp đó trước khi đổi năm cơ sở.",
                    "Đánh giá đã có %(count)s giải pháp có năm thực hiện trước năm %(year)s "
                    "(sớm nhất: %(first)s): năm thực hiện của giải pháp không được trước năm cơ "
                    "sở. Hãy sửa năm thực hiện của các giải pháp đó trước khi đổi năm cơ sở.",
                    found["count"],
                )
                % {**found, "year": year}
            ]
        }

    workflow_texts = WorkflowTexts(
        wrong_state=_("Không thể thực hiện thao tác này khi đánh giá ở trạng thái “%(state)s”."),
        locked=_("Đánh giá đã được duyệt; cần mở lại trước khi sửa."),
        pending=_("Đánh giá đang chờ Sở duyệt; chưa sửa được."),
        text_required={
            "return": _("Cần ghi ý kiến khi trả lại đánh giá."),
            "reopen": _("Cần ghi lý do mở lại đánh giá đã duyệt."),
        },
    )


class Option(Versioned):
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
    # A saving, never below 0 (a stray minus sign would lower the province's money saved).
    annual_saving_vnd = models.BigIntegerField(
        _("tiết kiệm hằng năm (đồng)"), default=0, validators=[MinValueValidator(0)]
    )
    electricity_saving_kwh = amount_field(_("tiết kiệm điện (kWh/năm)"))
    coal_saving_t = amount_field(_("tiết kiệm than (tấn/năm)"))
    diesel_saving_l = amount_field(_("tiết kiệm dầu diesel (lít/năm)"))
    fuel_oil_saving_t = amount_field(_("tiết kiệm dầu FO (tấn/năm)"))
    lpg_saving_t = amount_field(_("tiết kiệm LPG (tấn/năm)"))
    natural_gas_saving_1000m3 = amount_field(_("tiết kiệm khí (1000 m³/năm)"))
    water_saving_m3 = amount_field(_("tiết kiệm nước (m³/năm)"))
    material_saving_t = amount_field(_("tiết kiệm nguyên vật liệu (tấn/năm)"))
    # Staff hide a done option from the option library (assessments/library.py); the history
    # records who did it and the reason.
    library_hidden = models.BooleanField(_("ẩn khỏi thư viện giải pháp"), default=False)
    # The one-time token of the "add option" form that stored this option (see
    # Assessment.form_token): the same form sent twice does not create a second option.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = HistoricalRecords(excluded_fields=["form_token", "version"])

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
        errors = {}
        status_error, year_error = self._status_error(), self._year_error()
        if status_error:
            errors["status"] = status_error
        if year_error:
            errors["implementation_year"] = year_error
        errors.update(self._saving_errors())
        if errors:
            raise ValidationError(errors)

    def _status_error(self):
        started = (self.Status.IN_PROGRESS, self.Status.DONE)
        if self.screening == self.Screening.REJECT and self.status in started:
            # A rejected option brings no benefit to the totals (is_pursued) and must not make
            # the facility count as applying CP either (DESIGN §4 APPLY_PCT).
            return _(
                "Giải pháp đã bị loại khi sàng lọc không thể có tình trạng đang hoặc đã thực hiện."
            )
        return None

    def _year_error(self):
        year = self.implementation_year
        if self.status in (self.Status.IN_PROGRESS, self.Status.DONE) and year is None:
            return _("Cần nhập năm thực hiện khi giải pháp đã triển khai.")
        if year is None:
            return None
        # A done option counts towards APPLY_PCT from its implementation year on (DESIGN §4):
        # a year before the programme, or a "done" one still to come, would move the figure.
        if not EARLIEST_OPTION_YEAR <= year <= LATEST_OPTION_YEAR:
            return _("Năm thực hiện phải từ %(first)s đến %(last)s.") % {
                "first": EARLIEST_OPTION_YEAR,
                "last": LATEST_OPTION_YEAR,
            }
        this_year = timezone.localdate().year
        if self.status == self.Status.DONE and year > this_year:
            return _(
                "Giải pháp đã thực hiện không thể có năm thực hiện sau năm nay (%(year)s)."
            ) % {"year": this_year}
        # An option comes out of its assessment: a year before the assessment started would
        # count a "done" option in years already over then (DESIGN §4 APPLY_PCT, SAVING_PCT).
        assessment = self._assessment()
        started = assessment.start_date if assessment else None
        if started and year < started.year:
            return _(
                "Năm thực hiện không được trước năm bắt đầu đánh giá (%(year)s): giải pháp được "
                "đề xuất trong đánh giá này."
            ) % {"year": started.year}
        # Nor before the baseline year its savings are measured against: a "done" option would
        # count in years before it (an assessment may have no start date).
        baseline_year = assessment.baseline_year if assessment else None
        if baseline_year and year < baseline_year:
            return _(
                "Năm thực hiện không được trước năm cơ sở của đánh giá (%(year)s): giải pháp được "
                "tính so với năm cơ sở nên chỉ thực hiện từ năm đó trở đi."
            ) % {"year": baseline_year}
        # Only a facility operating in the year counts in that year's figures (DESIGN §4): an
        # option of a year the facility was closed (or not yet established) is not one it made.
        facility = assessment.facility if assessment and assessment.facility_id else None
        reason = facility.not_operating_reason(year) if facility else None
        if reason:
            return _(
                "Năm thực hiện %(year)s nằm ngoài thời gian hoạt động của cơ sở (%(reason)s)."
            ) % {"year": year, "reason": reason}
        return None

    def _assessment(self):
        """The option's assessment; None while it has none."""
        try:
            return self.assessment
        except ObjectDoesNotExist:
            return None

    def _saving_errors(self) -> dict:
        """A saving (or investment) no option can make: more than OPTION_AMOUNT_MAX allows for
        the field, or more of a quantity a year than the facility used in its assessment's
        baseline year (its approved annual report for that year; a figure it leaves empty or 0:
        none used), alone or together with the other options still pursued of the assessment and
        of the facility's other assessments of that baseline year, or of all its assessments under
        an approved baseline (the annual physical results add them all up: savings_cap)."""
        errors, totals = {}, {}
        assessment = self._assessment()
        baseline = assessment.baseline_report() if assessment else None
        pursued_now = baseline is not None and self.is_pursued()
        others = self._other_savings() if pursued_now else {}
        for name, limit in OPTION_AMOUNT_MAX.items():
            value = getattr(self, name)
            if value is None:
                continue
            if too_much := amount_error(self, name, limit):
                errors[name] = too_much
                continue
            if baseline is None or name not in BASELINE_CONSUMPTION:
                continue
            label = capfirst(self._meta.get_field(name).verbose_name)
            used = baseline_use(baseline, name)
            if value > used and not used:
                errors[name] = no_use_error(label, baseline, name)
            elif value > used:
                errors[name] = _(
                    "%(field)s không được vượt quá lượng cơ sở đã dùng trong năm cơ sở %(year)s "
                    "(%(used)s theo báo cáo năm đã duyệt)."
                ) % {"field": label, "year": baseline.year, "used": format_amount(used)}
            elif value and pursued_now and not self.savings_summed_by_formset:
                totals[name] = value + (others.get(name) or 0)
        if baseline is None and assessment is not None and assessment.is_locked:
            # An option of an approved assessment (the admin's): held to its approval's rule.
            saving = next((name for name in BASELINE_CONSUMPTION if getattr(self, name)), None)
            if refused := assessment.approval_errors([self]):
                errors.setdefault(saving, refused)
        return {**cap_errors(assessment, baseline, totals), **errors}

    # True when a form set that saves several options of the assessment at once holds their sum
    # to the cap itself (the admin's OptionInlineFormSet, Assessment.option_saving_errors): each
    # option's own check then leaves the sum out, which it would take with the stored values of
    # options the same save changes (4 + 24 + 55 judged as 24 + 14 + 55).
    savings_summed_by_formset = False

    def _other_savings(self) -> dict:
        """The savings of the assessment's other options still pursued (is_pursued), summed per
        field bounded by the baseline year's use; this option's stored values are left out."""
        others = pursued(Option.objects.filter(assessment_id=self.assessment_id))
        if self.pk:
            others = others.exclude(pk=self.pk)
        return others.aggregate(**{name: models.Sum(name) for name in BASELINE_CONSUMPTION})

    def payback_years(self) -> Decimal | None:
        return payback_years(self.investment_vnd, self.annual_saving_vnd)

    def is_pursued(self) -> bool:
        """Rejected at screening or dropped later: the option brings no benefit and needs no
        investment, so it stays out of an assessment's totals."""
        return self.screening != self.Screening.REJECT and self.status != self.Status.DROPPED


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
