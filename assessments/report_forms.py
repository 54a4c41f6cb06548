"""Forms of the annual self-reports, their review, deadlines and the report filters."""

from collections import defaultdict
from contextlib import suppress

from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import NumberInputMixin
from core.locking import VersionFieldMixin
from facilities import territory
from facilities.models import AdminUnit, Facility, IndustryCode
from facilities.reference_forms import offer_districts

from .assessment_forms import FacilitySearchForm
from .deadlines import extension_problem, place_field
from .form_utils import DATE, style_place_filters
from .models import (
    AnnualReport,
    DeadlineException,
    QualityFinding,
    ReportingDeadline,
    Severity,
    WorkflowState,
    plan_years,
    valid_report_year,
)


def report_years() -> list[int]:
    """Years a report may be filed for now: within a plan period and not in the future."""
    this_year = timezone.localdate().year
    return sorted((y for y in plan_years() if y <= this_year), reverse=True)


def facility_report_years(facility: Facility, years: list[int] | None = None) -> list[int]:
    """The years `facility` may file, newest first: plan years up to now in which it operated
    (Facility.report_year_problem). `years`: `report_years()` when already read (a page listing
    several facilities)."""
    today = timezone.localdate()
    years = report_years() if years is None else years
    return [y for y in years if facility.report_year_problem(y, today) is None]


def open_report_years(
    facility: Facility, years: list[int] | None = None, filed: set[int] | None = None
) -> list[int]:
    """The years `facility` may still file, newest first: those it may file
    (`facility_report_years`) without a report yet. Empty: nothing is left to file, so no report
    form and no button leading to one. `years` (`report_years()`) and `filed` (the years of its
    reports): when already read."""
    if filed is None:
        filed = filed_years(facility)
    return [y for y in facility_report_years(facility, years) if y not in filed]


def filed_years(facility: Facility) -> set[int]:
    return set(facility.annual_reports.values_list("year", flat=True)) if facility.pk else set()


def with_open_report_years(facilities) -> list[Facility]:
    """`facilities`, each given `open_report_years`, in two queries whatever their number."""
    facilities = list(facilities)
    if not facilities:
        return facilities
    years = report_years()
    filed = defaultdict(set)
    pairs = AnnualReport.objects.filter(facility__in=facilities).values_list("facility_id", "year")
    for facility_id, year in pairs:
        filed[facility_id].add(year)
    for facility in facilities:
        facility.open_report_years = open_report_years(facility, years, filed[facility.pk])
    return facilities


def no_year_left(facility: Facility) -> str:
    """Why `facility` has no report to create (`open_report_years` is empty)."""
    if facility_report_years(facility):
        message = _(
            "Cơ sở “%(name)s” đã có báo cáo cho mọi năm có thể lập, không còn năm nào để lập "
            "báo cáo mới; hãy mở báo cáo cần xem hoặc sửa trong danh sách báo cáo năm dưới đây."
        )
    else:
        message = _(
            "Cơ sở “%(name)s” không có năm nào có thể lập báo cáo: chỉ lập được báo cáo cho các "
            "năm cơ sở hoạt động, trong một kỳ kế hoạch, đến năm nay."
        )
    return message % {"name": facility.name}


def due_year(open_years: list[int]) -> int | None:
    """The year to start the form on: the reporting year (last calendar year) when among
    `open_years` (`open_report_years`), else the most recent of them, else None."""
    reporting_year = timezone.localdate().year - 1
    if reporting_year in open_years:
        return reporting_year
    return open_years[0] if open_years else None


def default_report_year(facility: Facility, years: list[int]) -> int | None:
    """The reporting year (last calendar year) when not yet filed, else the most recent year
    not yet filed, else None."""
    return due_year(open_report_years(facility, years))


def year_choices(blank=None) -> list[tuple]:
    choices = [(year, year) for year in report_years()]
    return [("", blank), *choices] if blank else choices


class AnnualReportForm(NumberInputMixin, VersionFieldMixin, forms.ModelForm):
    """The report's data only. The facility comes from the URL and the state, reviewer and
    dates from the services: none of them is a form field, so forged values are ignored."""

    class Meta:
        model = AnnualReport
        fields = ("year", *AnnualReport.DATA_FIELDS, "quality_justification")
        widgets = {"quality_justification": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, facility: Facility, year: str | None = None, **kwargs):
        """`year`: the one asked for (?year= of the link that opened the form, e.g. the
        missing-reports page's), the form's start when the facility may still file it."""
        super().__init__(*args, **kwargs)
        self.instance.facility = facility
        if self.instance.pk:
            del self.fields["year"]
        else:
            years = facility_report_years(facility)
            filed = filed_years(facility)
            self.fields["year"] = forms.TypedChoiceField(
                label=_("Năm báo cáo"),
                # A filed year stays in the list, marked, so that choosing it says where the
                # report is rather than the year seeming to be missing.
                choices=[
                    (y, _("%(year)s (đã có báo cáo)") % {"year": y} if y in filed else y)
                    for y in years
                ],
                coerce=int,
                help_text=_(
                    "Các năm cơ sở hoạt động, trong một kỳ kế hoạch, đến năm nay; năm cần báo "
                    "cáo là năm trước (báo cáo năm %(year)s nộp trong năm %(now)s)."
                )
                % {"year": timezone.localdate().year - 1, "now": timezone.localdate().year},
            )
            # None only once every year is filed, and then report_create shows no form at all.
            open_years = open_report_years(facility, years, filed)
            default = due_year(open_years)
            with suppress(TypeError, ValueError):
                if int(year) in open_years:
                    default = int(year)
            if default is not None:
                self.initial.setdefault("year", default)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not valid_report_year(year):
            raise forms.ValidationError(_("Năm báo cáo phải nằm trong một kỳ kế hoạch."))
        if problem := self.instance.facility.report_year_problem(year):
            raise forms.ValidationError(problem)
        if AnnualReport.objects.filter(facility=self.instance.facility, year=year).exists():
            raise forms.ValidationError(
                _("Cơ sở đã có báo cáo năm %(year)s; hãy mở báo cáo đó để sửa.") % {"year": year}
            )
        return year

    def clean(self):
        data = super().clean()
        if data.get("other_fuel_amount") and not data.get("other_fuel_toe_factor"):
            self.add_error(
                "other_fuel_toe_factor", _("Cần nhập hệ số TOE cho nhiên liệu khác đã khai.")
            )
        if data.get("other_fuel_amount") and not data.get("other_fuel_name"):
            self.add_error("other_fuel_name", _("Cần ghi tên nhiên liệu khác."))
        return data


def place_filter(year: int) -> str:
    """The place filter that fits `year`'s counting (deadlines.place_field): "ward" (the 2025
    commune/ward) from 2025 on, "district" (the pre-2025 district) before."""
    return "ward" if place_field(year) == "ward" else "district"


def report_place(report: AnnualReport) -> AdminUnit | None:
    """The place `report` is counted by (deadlines.place_field of its year): its facility's 2025
    commune/ward from 2025 on, its old district before; None when the facility has none. Reads
    `facility__ward` and `facility__commune__parent` (select_related them for a list)."""
    unit = report.facility
    for name in place_field(report.year).split("__"):
        unit = getattr(unit, name)
        if unit is None:
            return None
    return unit


def with_places(reports):
    """`reports` (a page's rows), each given `place` (report_place) for the place column."""
    for report in reports:
        report.place = report_place(report)
    return reports


class ReportFilterForm(FacilitySearchForm):
    year = forms.TypedChoiceField(label=_("Năm"), required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả")), *WorkflowState.choices]
    )
    # The facility's place in both schemes (DESIGN §3): a chosen year offers the one its
    # reports are counted by (place_filter), no year both.
    district = forms.ModelChoiceField(
        label=_("Huyện (trước 1/7/2025)"), required=False, queryset=None
    )
    ward = forms.ModelChoiceField(
        label=_("Xã/phường (từ 1/7/2025)"), required=False, queryset=AdminUnit.objects.none()
    )
    division = forms.ModelChoiceField(
        label=_("Ngành (VSIC cấp 2)"),
        required=False,
        queryset=IndustryCode.objects.filter(level=2),
        to_field_name="code",
    )
    # Open data-quality findings (QualityFinding.objects.open(), the ones the queue counts).
    findings = forms.ChoiceField(
        label=_("Phát hiện khi kiểm tra số liệu"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            ("open", _("Có phát hiện chưa xử lý")),
            ("error", _("Có lỗi số liệu chưa xử lý")),
            ("none", _("Không có phát hiện chưa xử lý")),
        ],
    )
    facility = forms.IntegerField(required=False, widget=forms.HiddenInput)

    # Filters over the registry, for staff and officials: a facility user sees only the reports
    # of their own facilities, which a place or a sector does not narrow. Nor do they filter by
    # findings: `info` findings are for the reviewer only (severities_shown_to).
    REGISTRY_FILTERS = ("province", "district", "ward", "division", "findings")
    PLACES = {"district": "facility__commune__parent", "ward": "facility__ward"}

    def __init__(self, *args, registry_filters: bool = True, province: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(blank=_("Tất cả"))
        style_place_filters(self, province, places=tuple(self.PLACES))  # wards beside districts
        self.style_search()
        self._offer_places_of_year()
        if not registry_filters:
            for name in self.REGISTRY_FILTERS:
                self.fields.pop(name, None)

    def _offer_places_of_year(self) -> None:
        """A chosen year leaves out the other scheme's place filter, unless the request names
        one (an old bookmark: ?year=2026&district=…), which stays in force and in sight."""
        year = None
        if self.is_bound:
            with suppress(forms.ValidationError):
                year = self.fields["year"].clean(self.data.get("year"))
        if year is None:
            return
        for name in self.PLACES:
            if name != place_filter(year) and not self.data.get(name):
                del self.fields[name]


def filter_reports(
    params,
    queryset,
    *,
    default_state: str = "",
    registry_filters: bool = True,
    province: str | None = None,
):
    """Apply the filters in `params` (a QueryDict) to `queryset`; return (queryset, form).
    `registry_filters=False` (facility users) leaves out the place and sector filters;
    `province` (territory.province_for) is the territory whose districts and wards are offered."""
    if default_state and "state" not in params:
        params = params.copy()
        params["state"] = default_state
    form = ReportFilterForm(params or None, registry_filters=registry_filters, province=province)
    if not form.is_valid():
        # The bad filters are ignored, but not the list's default (the queue stays the queue).
        return (queryset.filter(state=default_state) if default_state else queryset), form
    data = form.cleaned_data
    queryset = form.search(queryset)
    if data["year"]:
        queryset = queryset.filter(year=data["year"])
    if data["state"]:
        queryset = queryset.filter(state=data["state"])
    if data.get("province"):
        queryset = queryset.filter(facility__province=data["province"].code)
    for name, path in ReportFilterForm.PLACES.items():
        if data.get(name):
            queryset = queryset.filter(**{path: data[name]})
    if data.get("division"):
        queryset = queryset.filter(facility__industry__code__startswith=data["division"].code)
    if data["facility"]:
        queryset = queryset.filter(facility_id=data["facility"])
    if data.get("findings"):
        queryset = with_findings(queryset, data["findings"])
    return queryset, form


def with_findings(queryset, choice: str):
    """The reports of `queryset` that have open findings ("open"), open errors ("error") or none
    ("none"): a subquery over QualityFinding.objects.open(), so no extra query."""
    findings = QualityFinding.objects.open().filter(report=OuterRef("pk"))
    if choice == "error":
        findings = findings.filter(severity=Severity.ERROR)
    exists = Exists(findings)
    return queryset.filter(~exists if choice == "none" else exists)


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Năm báo cáo"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        self.fields["year"].widget.attrs["class"] = "form-select"


class PlaceFilterForm(forms.Form):
    """The place a list of facilities is narrowed to: an old district (years before 2025) or a
    2025 commune/ward (deadlines.place_field) of the portal's province, or of `province`
    (territory.province_for)."""

    district = forms.ModelChoiceField(required=False, queryset=None)
    ward = forms.ModelChoiceField(required=False, queryset=None)

    def __init__(self, *args, province: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        offer_districts(self.fields["district"], province)
        self.fields["ward"].queryset = territory.wards(province)

    def place(self, year: int):
        """The chosen place that fits `year`'s counting (None: the whole province)."""
        if not self.is_valid():
            return None
        return self.cleaned_data[place_filter(year)]


def _clean_report_year(year: int) -> int:
    if not valid_report_year(year):
        raise forms.ValidationError(_("Năm báo cáo phải nằm trong một kỳ kế hoạch."))
    return year


class DeadlineForm(forms.Form):
    """Set `province`'s deadline of a reporting year (creates or replaces it); province "" is
    the installation's (ReportingDeadline.province)."""

    year = forms.IntegerField(label=_("Năm báo cáo"))
    deadline = forms.DateField(label=_("Hạn nộp báo cáo"), widget=DATE)

    def __init__(self, *args, province: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.province = province

    def clean_year(self):
        return _clean_report_year(self.cleaned_data["year"])

    def clean(self):
        data = super().clean()
        year, deadline = data.get("year"), data.get("deadline")
        if year and deadline and deadline.year <= year:
            self.add_error("deadline", _("Hạn nộp phải sau năm báo cáo."))
        return data

    def save(self) -> ReportingDeadline:
        data = self.cleaned_data
        deadline, _created = ReportingDeadline.objects.update_or_create(
            province=self.province, year=data["year"], defaults={"deadline": data["deadline"]}
        )
        return deadline


class DeadlineExceptionForm(forms.Form):
    """Let one facility submit after the deadline (replaces an earlier exception of that year)."""

    tax_code = forms.CharField(label=_("Mã số thuế của cơ sở"), max_length=14)
    year = forms.IntegerField(label=_("Năm báo cáo"))
    until = forms.DateField(label=_("Được nộp đến ngày"), widget=DATE)
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        # On one page with DeadlineForm, which has a year field too: ids of its own, so that a
        # label (and the error summary's link) leads to this form's field.
        kwargs.setdefault("auto_id", "id_exception_%s")
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_tax_code(self):
        code = self.cleaned_data["tax_code"].strip()
        facilities = Facility.objects.visible_to(self.user) if self.user else Facility.objects
        self.facility = facilities.filter(tax_code=code).first()
        if self.facility is None:
            raise forms.ValidationError(_("Không có cơ sở mã số thuế %(code)s.") % {"code": code})
        return code

    def clean_year(self):
        return _clean_report_year(self.cleaned_data["year"])

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until < timezone.localdate():
            raise forms.ValidationError(_("Ngày gia hạn không được ở quá khứ."))
        return until

    def clean(self):
        """No extension for a report the facility cannot file (a year it was not operating, one
        to come: Facility.report_year_problem) or has already handed in."""
        data = super().clean()
        facility, year = getattr(self, "facility", None), data.get("year")
        if facility is None or year is None:
            return data
        if problem := facility.report_year_problem(year):
            self.add_error("year", problem)
        elif AnnualReport.objects.filter(facility=facility, year=year).reported().exists():
            self.add_error(
                "year",
                _("Cơ sở đã nộp báo cáo năm %(year)s; không cần gia hạn.") % {"year": year},
            )
        elif data.get("until") and (problem := extension_problem(facility, year, data["until"])):
            self.add_error("until", problem)
        return data

    def save(self, *, by) -> DeadlineException:
        data = self.cleaned_data
        exception, _created = DeadlineException.objects.update_or_create(
            facility=self.facility,
            year=data["year"],
            defaults={"until": data["until"], "reason": data["reason"], "granted_by": by},
        )
        return exception


class ReportImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp báo cáo năm (.xlsx hoặc .csv)"),
        help_text=_("Tối đa 10 MB; dòng 1 là tiêu đề cột (mã cột như tax_code, year, …)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Chỉ kiểm tra, chưa ghi dữ liệu"), required=False, initial=True
    )
