"""Forms of the data-quality pages: a rule's settings (staff) and the findings' filters."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import NumberInputMixin
from core.locking import VersionFieldMixin
from facilities import territory
from facilities.models import AdminUnit, Facility, IndustryCode

from .form_utils import style_place_filters
from .models import QualityFinding, QualityRule, Severity
from .quality_rules import RULE_THRESHOLDS, THRESHOLD_UNITS

SETTING_FIELDS = ("threshold", "low_percentile", "high_percentile", "min_facilities")

# The sector band's privacy limits (models.quality: MIN_PEERS, BAND_PERCENT), said with their
# reason: the form field's own bounds come from those validators (core.forms.NumberInputMixin).
PERCENTILE_LIMITS = {
    "min_value": _(
        "Bạn nhập %(value)s — bách phân vị phải từ %(limit_value)s trở lên: bách phân vị thấp "
        "hơn cho biết gần đúng số liệu của cơ sở thấp nhất trong ngành."
    ),
    "max_value": _(
        "Bạn nhập %(value)s — bách phân vị phải từ %(limit_value)s trở xuống: bách phân vị cao "
        "hơn cho biết gần đúng số liệu của cơ sở cao nhất trong ngành."
    ),
}
PRIVACY_LIMIT_MESSAGES = {
    "low_percentile": PERCENTILE_LIMITS,
    "high_percentile": PERCENTILE_LIMITS,
    "min_facilities": {
        "min_value": _(
            "Bạn nhập %(value)s — cần ít nhất %(limit_value)s cơ sở để so sánh, để khoảng "
            "thường gặp không làm lộ số liệu của từng cơ sở."
        )
    },
}


class QualityRuleForm(NumberInputMixin, VersionFieldMixin, forms.ModelForm):
    """Severity, on/off and the thresholds the rule reads (the others are not shown)."""

    class Meta:
        model = QualityRule
        fields = ("severity", "enabled", *SETTING_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        used = RULE_THRESHOLDS.get(self.instance.code, ())
        for name in SETTING_FIELDS:
            if name not in used:
                del self.fields[name]
            else:
                self.fields[name].required = True
        for name, messages in PRIVACY_LIMIT_MESSAGES.items():
            if name in self.fields:
                self.fields[name].error_messages.update(messages)
        unit = THRESHOLD_UNITS.get(self.instance.code)
        if "threshold" in self.fields and unit:
            self.fields["threshold"].label = _("Ngưỡng (%(unit)s)") % {"unit": gettext(unit)}

    def clean(self):
        data = super().clean()
        low, high = data.get("low_percentile"), data.get("high_percentile")
        if low is not None and high is not None and low >= high:
            self.add_error(
                "high_percentile", _("Bách phân vị trên phải lớn hơn bách phân vị dưới.")
            )
        return data


class FindingFilterForm(forms.Form):
    rule = forms.ModelChoiceField(
        label=_("Quy tắc"), required=False, queryset=QualityRule.objects.all()
    )
    severity = forms.ChoiceField(label=_("Mức độ"), required=False)
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=2000, max_value=2100)
    # The facility's place in both schemes (DESIGN §3): old years' reports sit in old districts.
    district = forms.ModelChoiceField(label=_("Huyện (trước 2025)"), required=False, queryset=None)
    ward = forms.ModelChoiceField(
        label=_("Xã/phường (từ 1/7/2025)"), required=False, queryset=AdminUnit.objects.none()
    )
    division = forms.ModelChoiceField(
        label=_("Ngành (VSIC cấp 2)"),
        required=False,
        queryset=IndustryCode.objects.filter(level=2),
        to_field_name="code",
    )

    # Filter name -> the finding's path to the facility's unit (report_forms.place_filter names).
    PLACES = {"district": "report__facility__commune__parent", "ward": "report__facility__ward"}

    def __init__(self, *args, province: territory.Province = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["severity"].choices = [("", _("Tất cả")), *Severity.choices]
        style_place_filters(self, province, places=tuple(self.PLACES))
        self.fields["year"].widget.attrs["class"] = "form-control form-control-sm"


def filter_findings(params, user):
    """Open findings of the reports `user` may see (a national installation: their province's),
    filtered by `params` (a QueryDict); returns (queryset, form)."""
    findings = QualityFinding.objects.open().filter(
        report__facility__in=Facility.objects.visible_to(user)
    )
    form = FindingFilterForm(params or None, province=territory.province_for(user))
    if not form.is_valid():
        return findings, form
    data = form.cleaned_data
    if data["rule"]:
        findings = findings.filter(rule=data["rule"])
    if data["severity"]:
        findings = findings.filter(severity=data["severity"])
    if data["year"]:
        findings = findings.filter(report__year=data["year"])
    if data.get("province"):  # the Ministry's choice (style_place_filters)
        findings = findings.filter(report__facility__province=data["province"].code)
    for name, path in FindingFilterForm.PLACES.items():
        if data[name]:
            findings = findings.filter(**{path: data[name]})
    if data["division"]:
        findings = findings.filter(
            report__facility__industry__code__startswith=data["division"].code
        )
    return findings, form
