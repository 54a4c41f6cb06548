"""Form of the generated-report request page."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .indicators import plan_years
from .models import Report


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = requestable_years()
        self.fields["year"].choices = [(year, str(year)) for year in years]
        if years:
            self.fields["year"].initial = years[0]
