"""The forms of the reports app: the dashboard's year and facility scope, the plan's periods,
indicators and yearly values, and the generated-report request."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import PlanPeriod
from core.forms import DecimalInputField, NumberInputMixin, PlainTextMixin
from core.locking import VersionFieldMixin
from core.widgets import DayFirstDateInput
from facilities.models import AdminUnit

from . import issuing
from .groupings import FLAG_GROUPINGS, Grouping
from .indicators import plan_years
from .models import EstablishmentCount, Indicator, IndicatorMilestone, IndicatorValue, Report
from .plan_wording import period_label
from .services import milestones_fingerprint

# --- dashboard -----------------------------------------------------------------------------------


class DashboardYearForm(forms.Form):
    """The year the dashboard shows, among the years of the plan periods, and the grouping of
    its table of groups (by default the place grouping of the year: `default_grouping`)."""

    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False)
    group = forms.ChoiceField(
        label=_("Nhóm cơ sở"),
        choices=[("", _("Mặc định theo năm")), *Grouping.choices],
        required=False,
        error_messages={"invalid_choice": _("Cách nhóm cơ sở không hợp lệ.")},
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]
        self.fields["year"].widget.attrs["class"] = "form-select"
        self.fields["group"].widget.attrs["class"] = "form-select"


class FacilityScopeForm(forms.Form):
    """The optional narrowing of a list of facilities: one group of a grouping (`group` and
    `key`, as in the dashboard and the API), an old district (id) or a VSIC division."""

    group = forms.ChoiceField(
        choices=Grouping.choices,
        required=False,
        error_messages={"invalid_choice": _("Cách nhóm cơ sở không hợp lệ.")},
    )
    key = forms.RegexField(
        regex=r"^[0-9A-Za-z]{1,10}$",
        required=False,
        error_messages={"invalid": _("Mã nhóm không hợp lệ.")},
    )

    district = forms.ModelChoiceField(
        queryset=AdminUnit.objects.filter(
            level=AdminUnit.Level.DISTRICT, scheme=AdminUnit.Scheme.PRE2025
        ),
        required=False,
    )
    division = forms.RegexField(
        regex=r"^\d{2}$",
        required=False,
        error_messages={"invalid": _("Mã ngành cấp 2 gồm đúng 2 chữ số.")},
    )

    def clean(self):
        data = super().clean()
        group, key = data.get("group"), data.get("key")
        if group and not key:
            self.add_error("key", _("Cần cho biết mã nhóm."))
        elif group in FLAG_GROUPINGS and key not in ("true", "false"):
            self.add_error("key", _("Mã nhóm chỉ là true hoặc false."))
        elif key and not group and "key" not in self.errors:
            self.add_error("group", _("Cần cho biết cách nhóm cơ sở."))
        return data


# --- plan: periods, indicators and their yearly values -------------------------------------------


class PlanPeriodForm(PlainTextMixin, VersionFieldMixin, forms.ModelForm):
    """An edit carries the version it was loaded with (optimistic locking, core/locking.py)."""

    copy_from = forms.ModelChoiceField(
        label=_("Sao chép danh mục chỉ tiêu từ giai đoạn"),
        queryset=PlanPeriod.objects.all(),
        required=False,
        help_text=_("Các chỉ tiêu (mã, tên, đơn vị, chỉ tiêu) được sao chép để sửa tiếp."),
    )

    class Meta:
        model = PlanPeriod
        fields = ["code", "name", "start_year", "end_year", "basis"]

    def __init__(self, *args, province: str = "", **kwargs):
        """`province`: whose plan this is ("" the installation's or national strategy's); a
        new period belongs to it (PlanPeriod.clean refuses an overlap with its other periods),
        and only its periods (and the installation's) may be copied."""
        super().__init__(*args, **kwargs)
        # One message naming the true range, not the column's "≥ 0" (PlanPeriod.clean).
        message = PlanPeriod.year_range_message()
        for name in ("start_year", "end_year"):
            field = self.fields[name]
            self.fields[name] = forms.IntegerField(
                label=field.label,
                min_value=PlanPeriod.FIRST_YEAR,
                max_value=PlanPeriod.LAST_YEAR,
                error_messages={"min_value": message, "max_value": message},
            )
        self.province = province
        if not self.instance.pk:
            self.instance.province = province
        if self.instance.pk:
            del self.fields["copy_from"]
        else:
            self.fields["copy_from"].queryset = PlanPeriod.objects.filter(
                province__in={province, ""}
            )
            self.fields["copy_from"].label_from_instance = period_label


class IndicatorForm(NumberInputMixin, VersionFieldMixin, forms.ModelForm):
    """An edit carries the version it was loaded with (optimistic locking, core/locking.py)."""

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name_vi",
            "name_en",
            "unit",
            "method",
            "target_min",
            "target_max",
            "baseline_value",
            "baseline_note",
            "order",
        ]

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        taken = Indicator.objects.filter(period=self.instance.period, code=code)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("Giai đoạn này đã có chỉ tiêu mã %(code)s.") % {"code": code}
            )
        return code

    def clean(self):
        data = super().clean()
        low, high = data.get("target_min"), data.get("target_max")
        if high is not None and (low is None or high < low):
            self.add_error(
                "target_max", _("Khoảng chỉ tiêu cần có mức tối thiểu nhỏ hơn mức tối đa.")
            )
        # Only the computed codes may be computed: the model's rule (Indicator.clean).
        return data


class IndicatorValueForm(NumberInputMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int)
    value = forms.DecimalField(label=_("Giá trị"), max_digits=14, decimal_places=2)
    note = forms.CharField(
        label=_("Ghi chú (nguồn số liệu)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        # Every year of the period is a valid choice, so a year still to come is refused in
        # words (IndicatorValue.clean); the list offers only the years that have come.
        this_year = timezone.localdate().year
        years = indicator.period.years
        self.fields["year"].choices = [(y, y) for y in years]
        self.open_years = [y for y in years if y <= this_year]
        self.fields["year"].widget.choices = [(y, y) for y in self.open_years]

    def clean(self):
        """The year is one that has come and the value obeys the indicator's unit: the model's
        rules (IndicatorValue.clean)."""
        data = super().clean()
        if (year := data.get("year")) is not None:
            entry = IndicatorValue(indicator=self.indicator, year=year, value=data.get("value"))
            _model_rules(self, entry, {"year": "year", "value": "value"})
        return data


class IndicatorValueDeleteForm(forms.Form):
    """Removing the manual values of some years (a "Xóa" box per year of the values table):
    a value entered for the wrong year. The history keeps what was removed."""

    delete = forms.TypedMultipleChoiceField(
        label=_("Xóa"),
        coerce=int,
        error_messages={
            "required": _("Chọn ít nhất một năm để xóa giá trị."),
            "invalid_choice": _("Năm %(value)s không có giá trị để xóa."),
        },
    )

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        years = indicator.values.order_by("year").values_list("year", flat=True)
        self.fields["delete"].choices = [(year, year) for year in years]

    def chosen(self) -> list[IndicatorValue]:
        """The values of the chosen years (what the confirmation page lists)."""
        return list(
            self.indicator.values.filter(year__in=self.cleaned_data["delete"]).order_by("year")
        )

    @transaction.atomic
    def remove(self) -> list[IndicatorValue]:
        """Delete the chosen years' values, one by one so that history records each removal;
        returns the removed entries (for the success messages)."""
        entries = self.chosen()
        for entry in entries:
            entry.delete()
        return entries


class EstablishmentCountForm(NumberInputMixin, forms.ModelForm):
    class Meta:
        model = EstablishmentCount
        fields = ["year", "count", "source", "source_date", "note"]
        widgets = {
            "source_date": DayFirstDateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = forms.TypedChoiceField(
            label=_("Năm"),
            coerce=int,
            choices=[(y, y) for y in range(timezone.localdate().year, 2009, -1)],
        )

    def validate_unique(self):
        """A year already entered is corrected, not refused (the view updates it)."""


class MilestonesForm(forms.Form):
    """One row per year of the indicator's period: the year's target (low, and high for a
    range). An empty row removes that year's milestone (the period target then judges it)."""

    # The fingerprint of the milestones the form was loaded with (services.milestones_fingerprint):
    # a save over someone else's newer one is refused. A POST without it is not checked.
    loaded = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        existing = {m.year: m for m in indicator.milestones.all()}
        self.fields["loaded"].initial = milestones_fingerprint(existing.values())
        for year in indicator.period.years:
            milestone = existing.get(year)
            for part, label in (("min", _("Mốc %(year)s")), ("max", _("Tối đa %(year)s"))):
                self.fields[f"y{year}_{part}"] = DecimalInputField(
                    label=label % {"year": year},
                    required=False,
                    max_digits=12,
                    decimal_places=2,
                    initial=getattr(milestone, f"target_{part}", None),
                )

    def rows(self):
        """(year, low bound field, high bound field) for the template."""
        return [
            (year, self[f"y{year}_min"], self[f"y{year}_max"])
            for year in self.indicator.period.years
        ]

    def clean(self):
        data = super().clean()
        for year in self.indicator.period.years:
            low, high = data.get(f"y{year}_min"), data.get(f"y{year}_max")
            if high is not None and low is None and f"y{year}_min" not in self.errors:
                # An empty minimum removes the year's milestone: a maximum alone is no milestone.
                self.add_error(
                    f"y{year}_min",
                    _("Năm %(year)s: cần nhập mốc tối thiểu khi có mức tối đa.") % {"year": year},
                )
            # The bounds obey the indicator's unit: the model's rule (IndicatorMilestone.clean).
            milestone = IndicatorMilestone(
                indicator=self.indicator, year=year, target_min=low, target_max=high
            )
            fields = {"target_min": f"y{year}_min", "target_max": f"y{year}_max"}
            _model_rules(self, milestone, fields)
        return data

    def milestones(self) -> dict[int, tuple]:
        data = self.cleaned_data
        return {
            year: (data.get(f"y{year}_min"), data.get(f"y{year}_max"))
            for year in self.indicator.period.years
        }

    def loaded_fingerprint(self) -> str | None:
        """The fingerprint the form was loaded with; None (not checked) when not posted."""
        return self.cleaned_data.get("loaded") or None


def _model_rules(form: forms.Form, instance, fields: dict[str, str]) -> None:
    """Run `instance`'s clean() (the model's rules) and put its errors on the form's fields:
    `fields` maps the model's field names to the form's; a field already refused keeps its own
    error only."""
    try:
        instance.clean()
    except ValidationError as error:
        for name, errors in error.message_dict.items():
            target = fields.get(name)
            if target is None:
                form.add_error(None, errors)
            elif target not in form.errors:
                form.add_error(target, errors)


# --- generated-report request --------------------------------------------------------------------


def requestable_years() -> list[int]:
    """Years of the plan periods, up to this year, newest first."""
    this_year = timezone.localdate().year
    return sorted((y for y in plan_years() if y <= this_year), reverse=True)


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại báo cáo"), choices=Report.Kind.choices, initial=Report.Kind.ANNUAL_PROGRESS
    )
    year = forms.TypedChoiceField(label=_("Năm báo cáo"), coerce=int)
    format = forms.ChoiceField(
        label=_("Định dạng"),
        choices=Report.Format.choices,
        initial=Report.Format.PDF,
        widget=forms.RadioSelect,
        help_text=_(
            "PDF để lưu hồ sơ, Word để chỉnh sửa trước khi ký, Excel cho số liệu chi tiết."
        ),
    )

    def __init__(self, *args, all_formats: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        years = requestable_years()
        self.fields["year"].choices = [(year, str(year)) for year in years]
        if years:
            self.fields["year"].initial = years[0]
        # "Tạo cả 3 định dạng" asks for every format of the kind: no format to choose.
        self.all_formats = all_formats
        self.fields["format"].required = not all_formats

    def clean(self):
        data = super().clean()
        kind, fmt = data.get("kind"), data.get("format")
        if kind and fmt and not self.all_formats and fmt not in Report.formats_for(kind):
            formats = ", ".join(
                str(Report.Format(value).label) for value in Report.formats_for(kind)
            )
            self.add_error(
                "format",
                _("%(kind)s chỉ có định dạng %(formats)s.")
                % {"kind": Report.Kind(kind).label, "formats": formats},
            )
        return data


# --- issuing a generated document ---------------------------------------------------------------


class ReportIssueForm(PlainTextMixin, forms.Form):
    """Issuing a draft (reports/issuing.py): the signer and the recipients ("Nơi nhận").

    Given the draft (`report`), the form names the staff-written sections still empty
    (`missing_sections`, shown on the page beforehand) and refuses to issue while there are any
    (issuing.issue_report refuses too). It names the same document issued already
    (`earlier_issues`, shown on the page) and then issues only with the box `reissue` ticked,
    for every earlier issue the page showed (`SEEN_ISSUES`, the ids the page was drawn with: one
    issued since must be shown and confirmed first); `cleaned_data["reissue_of"]` passes them to
    issuing.issue_report, which checks again under the register's lock.

    What is recorded is printed in the document and written in the register and its XLSX: the
    signer and the recipients keep no control character (PlainTextMixin), a line break typed
    into the signer's name or title is a space."""

    SEEN_ISSUES = "seen_issues"

    signer_title = forms.CharField(
        label=_("Chức vụ người ký"),
        max_length=120,
        help_text=_("Chức vụ của người đứng đầu, ví dụ: GIÁM ĐỐC."),
    )
    on_behalf = forms.BooleanField(
        label=_("Cấp phó ký thay (KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC)"),
        required=False,
    )
    signer_name = forms.CharField(label=_("Họ và tên người ký"), max_length=120)
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        help_text=_("Mỗi nơi nhận một dòng, ví dụ: UBND tỉnh; Bộ Công Thương; Lưu: VT."),
    )
    reissue = forms.BooleanField(
        label=_(
            "Ban hành văn bản mới với số mới: tôi biết văn bản này đã được ban hành với số nêu "
            "trên, sổ đăng ký văn bản đi sẽ ghi thêm một văn bản."
        ),
        required=False,
    )
    confirm = forms.BooleanField(
        label=_(
            "Tôi đã rà soát dự thảo và xác nhận ban hành; văn bản đã ban hành không thể sửa "
            "hay xóa."
        ),
        required=True,
    )

    def __init__(self, *args, report: Report | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.missing_sections = issuing.missing_sections(report) if report else []
        self.earlier_issues = issuing.earlier_issues(report) if report else []
        for name in ("signer_title", "signer_name", "recipients"):
            self.fields[name].widget.attrs["class"] = "form-control"
        for name in ("on_behalf", "reissue", "confirm"):
            self.fields[name].widget.attrs["class"] = "form-check-input"
        if not self.earlier_issues:
            del self.fields["reissue"]
        elif self.is_bound and not self.all_earlier_issues_seen():
            # Issued since the page was drawn: the box ticked did not confirm that one.
            self.data = self.data.copy()
            self.data.pop(self.add_prefix("reissue"), None)

    @property
    def earlier_ids(self) -> str:
        """The ids of the earlier issues, for the page's SEEN_ISSUES field."""
        return ",".join(str(issued.pk) for issued in self.earlier_issues)

    def all_earlier_issues_seen(self) -> bool:
        seen = set(self.data.get(self.SEEN_ISSUES, "").split(","))
        return all(str(issued.pk) in seen for issued in self.earlier_issues)

    def clean(self):
        # "KT." and "PHÓ" come from the on-behalf box: "KT. GIÁM ĐỐC" or "Phó Giám đốc" typed as
        # the title means the head's title, "GIÁM ĐỐC", signed on behalf by a deputy.
        data = super().clean()
        if self.missing_sections:
            message = issuing.missing_sections_message(self.report, self.missing_sections)
            self.add_error(None, message)
        if self.earlier_issues and not data.get("reissue"):
            message = issuing.already_issued_message(self.report, self.earlier_issues)
            self.add_error("reissue", message)
        data["reissue_of"] = [issued.pk for issued in self.earlier_issues]
        title = " ".join(data.get("signer_title", "").split())
        for prefix in ("KT.", "PHÓ "):
            if title.upper().startswith(prefix):
                title = title[len(prefix) :].strip()
                data["on_behalf"] = True
        if "signer_title" in data:
            if not title:
                message = _("Nhập chức vụ của người đứng đầu, ví dụ GIÁM ĐỐC.")
                self.add_error("signer_title", message)
            data["signer_title"] = title
        return data

    def clean_recipients(self):
        lines = [line.strip() for line in self.cleaned_data["recipients"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise forms.ValidationError(_("Nhập ít nhất một nơi nhận."))
        return "\n".join(lines)
