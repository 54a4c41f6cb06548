"""The year of the staff's benchmark tables (reports/views/progress.py: sector_scores)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ScoreYearForm(forms.Form):
    """A year with approved annual reports (`sector_scores.score_years`)."""

    year = forms.TypedChoiceField(
        label=_("Năm"),
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("Chưa có báo cáo năm nào được duyệt cho năm này.")},
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]
        self.fields["year"].widget.attrs["class"] = "form-select"
