"""Forms of the option library: its filter, the curated examples, hiding an example."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import NumberInputMixin
from core.locking import VersionFieldMixin

from .assessment_forms import category_choices
from .form_utils import label_blank_choices
from .library import division_choices
from .models import LibraryExample, OptionCategory


class LibraryFilterForm(forms.Form):
    division = forms.ChoiceField(label=_("Ngành (VSIC cấp 2)"), required=False)
    category = forms.TypedChoiceField(
        label=_("Nhóm giải pháp"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Tất cả")), *OptionCategory.choices],
    )

    def __init__(self, *args, divisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = [("", _("Tất cả")), *divisions]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


class LibraryExampleForm(NumberInputMixin, VersionFieldMixin, forms.ModelForm):
    division = forms.ChoiceField(label=_("Ngành (VSIC cấp 2)"))

    class Meta:
        model = LibraryExample
        fields = (
            "division",
            "category",
            "description",
            "investment_vnd",
            "annual_saving_vnd",
            "payback_years",
            "toe",
            "tco2",
            "source",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = [("", ""), *division_choices()]
        self.fields["category"].choices = category_choices()
        label_blank_choices(self)


class VisibilityForm(forms.Form):
    """Hide an example (hidden=1) or show it again (hidden=0); the reason goes to the history."""

    hidden = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1", widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Lý do"), max_length=100, required=False, help_text=_("Ghi vào lịch sử.")
    )
