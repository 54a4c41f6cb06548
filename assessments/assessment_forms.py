"""Forms of CP assessments, their options, and the factor tables."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.collation import vietnamese
from core.forms import NumberInputMixin
from core.history import record_seeded_value
from core.locking import VersionFieldMixin
from core.numbers import format_vnd
from facilities import territory
from facilities.models import AdminUnit, Facility

from .form_utils import CHOOSE, DATE, label_blank_choices, style_place_filters
from .models import (
    Assessment,
    ConversionFactor,
    GridEmissionFactor,
    Option,
    OptionCategory,
    WorkflowState,
)
from .models.assessment import EARLIEST_OPTION_YEAR, LATEST_OPTION_YEAR


class FormTokenInput(forms.TextInput):
    """The one-time token of a creation form (Assessment.form_token), offered in
    `data-form-token` and copied into the input by static/js/form-once.js on the first load
    only. A text input, not a hidden one: coming back with the back button, the browser
    restores what the page held (hidden inputs are not restored), so the form sent again
    carries the token of its first sending. Hidden from view like a hidden input."""

    @property
    def is_hidden(self):
        return True

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {"hidden": True, "tabindex": "-1", "data-form-token": uuid.uuid4().hex}
        )
        return context


class FormTokenField(forms.UUIDField):
    """The one-time token (FormTokenInput). Invisible, so never refused: an unreadable value (a
    page tampered with) counts as no token and the form is stored as any other."""

    widget = FormTokenInput

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            return None


class FormTokenMixin:
    """Adds the one-time `form_token` (FormTokenInput) to the creation form of a model with a
    `form_token` field (Assessment, Option, Activity) and passes it to the new instance, whose
    service stores it once (assessment_services.AlreadyCreated). Edit forms carry none."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["form_token"] = FormTokenField(required=False)

    def _post_clean(self):
        # Given before the model's checks: the same form sent again is not judged against the
        # record it created the first time (amounts.facility_support_used).
        if "form_token" in self.fields:
            self.instance.form_token = self.cleaned_data.get("form_token")
        super()._post_clean()


class AssessmentForm(NumberInputMixin, FormTokenMixin, VersionFieldMixin, forms.ModelForm):
    """The facility is chosen once, at creation, among the facilities the user may see; a facility
    representative with a single facility does not choose. State is never a form field. An edit
    carries the version it was loaded with (optimistic locking, core/locking.py)."""

    class Meta:
        model = Assessment
        fields = (
            "facility",
            "kind",
            "start_date",
            "end_date",
            "consultant",
            "baseline_year",
            "funding_source",
            "total_cost_vnd",
            "supported_amount_vnd",
        )
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The cap from the model, in Vietnamese notation whatever the language (DESIGN): the
        # 50 million is the facility's, over all its assessments (amounts.support_error).
        cap = {"max": format_vnd(Assessment.MAX_SUPPORT_VND)}
        self.fields["supported_amount_vnd"].help_text = " ".join(
            (
                _(
                    "Tối đa 50%% tổng chi phí tư vấn và không quá %(max)s đồng một cơ sở "
                    "(TTLT 221/2012/TTLT-BTC-BCT)."
                )
                % cap,
                _("Mức %(max)s đồng tính chung cho mọi đánh giá của cơ sở.") % cap,
            )
        )
        facilities = Facility.objects.visible_to(user).order_by(vietnamese("name"), "pk")
        own = list(facilities[:2]) if user.is_facility_user else []
        if self.instance.pk or len(own) == 1:
            del self.fields["facility"]
            if not self.instance.pk:
                self.instance.facility = own[0]
        else:
            self.fields["facility"].queryset = facilities
        label_blank_choices(self)


def category_choices():
    """The eight categories grouped under their three groups (rendered as <optgroup>s)."""
    groups: dict[str, list] = {}
    for category in OptionCategory:
        label = f"{category.value}. {category.label}"
        groups.setdefault(str(category.group.label), []).append((category.value, label))
    return [("", CHOOSE), *groups.items()]


class OptionForm(NumberInputMixin, FormTokenMixin, VersionFieldMixin, forms.ModelForm):
    """An edit carries the version it was loaded with (optimistic locking, core/locking.py)."""

    class Meta:
        model = Option
        fields = (
            "category",
            "description",
            "screening",
            "status",
            "implementation_year",
            "investment_vnd",
            "annual_saving_vnd",
            "electricity_saving_kwh",
            "coal_saving_t",
            "diesel_saving_l",
            "fuel_oil_saving_t",
            "lpg_saving_t",
            "natural_gas_saving_1000m3",
            "water_saving_m3",
            "material_saving_t",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        self.fields["implementation_year"].widget.attrs.update(
            min=EARLIEST_OPTION_YEAR, max=LATEST_OPTION_YEAR
        )


class ConversionFactorForm(NumberInputMixin, VersionFieldMixin, forms.ModelForm):
    reason = forms.CharField(
        label=_("Lý do thay đổi"), max_length=100, required=False, help_text=_("Ghi vào lịch sử.")
    )

    class Meta:
        model = ConversionFactor
        fields = ("name", "unit", "toe_per_unit", "co2_t_per_unit", "source")
        # Given here, or Django capitalises the model's verbose name into "TCO₂".
        labels = {"co2_t_per_unit": _("tCO₂/đơn vị (nhiên liệu)")}

    def clean_co2_t_per_unit(self):
        value = self.cleaned_data["co2_t_per_unit"]
        if value is not None and value < 0:
            raise forms.ValidationError(_("Phải là số ≥ 0."))
        return value

    def save(self, commit=True):
        record_seeded_value(self.instance)
        self.instance._change_reason = self.cleaned_data["reason"]
        return super().save(commit)


class GridEmissionFactorForm(ConversionFactorForm):
    class Meta:
        model = GridEmissionFactor
        fields = ("t_co2_per_mwh", "source")
        labels = {"t_co2_per_mwh": _("tCO₂/MWh")}


class NewGridEmissionFactorForm(GridEmissionFactorForm):
    """The grid factor of a year that has none yet (the Ministry publishes one a year): without
    it an annual report of that year has no CO₂ figure."""

    class Meta(GridEmissionFactorForm.Meta):
        fields = ("year", "t_co2_per_mwh", "source")
        error_messages = {
            "year": {"unique": _("Năm này đã có hệ số phát thải lưới điện: hãy sửa hệ số đó.")}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs.update(min=2000, max=timezone.localdate().year)

    def clean_year(self):
        year = self.cleaned_data["year"]
        this_year = timezone.localdate().year
        if not 2000 <= year <= this_year:
            raise forms.ValidationError(_("Năm phải từ 2000 đến %(year)s.") % {"year": this_year})
        return year


class FacilitySearchForm(forms.Form):
    """The `q` box of a list of facilities' rows (annual reports, assessments): the facility
    list's own search (Facility.search, over the stored folded name, tax code and place names),
    so "bia ha noi" finds "Bia Hà Nội" and a tax code its facility. Subclasses call
    style_search() after style_list_filters() and narrow their rows with search()."""

    q = forms.CharField(
        label=_("Tên cơ sở, mã số thuế hoặc địa danh"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(
            attrs={
                "placeholder": _("Tên, mã số thuế hoặc địa bàn (gõ có dấu hay không dấu đều được)")
            }
        ),
    )

    def style_search(self) -> None:
        self.fields["q"].widget.attrs["class"] = "form-control form-control-sm"

    def search(self, queryset):
        """`queryset` (rows with a `facility`) narrowed to the facilities the term finds; a
        subquery, so no extra query and no wider than `queryset` (the user's scope)."""
        text = self.cleaned_data.get("q")
        if not text:
            return queryset
        return queryset.filter(facility__in=Facility.objects.search(text).values("pk"))


class AssessmentFilterForm(FacilitySearchForm):
    state = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả")), *WorkflowState.choices]
    )
    kind = forms.ChoiceField(
        label=_("Loại đánh giá"),
        required=False,
        choices=[("", _("Tất cả")), *Assessment.Kind.choices],
    )
    year = forms.TypedChoiceField(
        label=_("Năm bắt đầu"), required=False, coerce=int, empty_value=None
    )
    district = forms.ModelChoiceField(
        label=_("Huyện"), required=False, queryset=AdminUnit.objects.none()
    )

    def __init__(self, *args, years=(), province: territory.Province = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Tất cả")), *((y, y) for y in years)]
        style_place_filters(self, province)
        self.style_search()


def filter_assessments(params, queryset, *, province: territory.Province = None):
    """Apply the list filters in `params` (a QueryDict) to `queryset`; return (queryset, form).
    `province` (territory.province_for) is the territory whose districts are offered; the
    Ministry and a representative of several provinces' facilities choose a province first."""
    years = sorted({d.year for d in queryset.dates("start_date", "year")}, reverse=True)
    form = AssessmentFilterForm(params or None, years=years, province=province)
    if not form.is_valid():
        return queryset, form
    data = form.cleaned_data
    queryset = form.search(queryset)
    for field in ("state", "kind"):
        if data[field]:
            queryset = queryset.filter(**{field: data[field]})
    if data["year"]:
        queryset = queryset.filter(start_date__year=data["year"])
    if data.get("province"):
        queryset = queryset.filter(facility__province=data["province"].code)
    if data["district"]:
        queryset = queryset.filter(facility__commune__parent=data["district"])
    return queryset, form
