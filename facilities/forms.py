from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import NumberInputMixin
from core.locking import VersionFieldMixin

from .models import Facility


class FacilityForm(NumberInputMixin, VersionFieldMixin, forms.ModelForm):
    class Meta:
        model = Facility
        fields = (
            "name",
            "tax_code",
            "address",
            "commune",
            "industrial_area",
            "industry",
            "ownership",
            "legal_form",
            "established_year",
            "employees",
            "revenue_bn_vnd",
            "capital_bn_vnd",
            "main_products",
            "high_pollution_risk",
            "key_energy_user",
            "status",
            "closed_year",
            "contact_name",
            "contact_phone",
            "contact_email",
        )


class FacilityContactForm(VersionFieldMixin, forms.ModelForm):
    """What a facility's own representative may change."""

    class Meta:
        model = Facility
        fields = Facility.SELF_EDITABLE_FIELDS


class FacilityCloseForm(forms.ModelForm):
    """Record that a facility has closed; the status becomes closed."""

    class Meta:
        model = Facility
        fields = ("closed_year",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closed_year"].required = True
        if self.is_bound:
            # Validate the instance as it will be saved: closed, with that year.
            self.instance.status = Facility.Status.CLOSED

    def clean_closed_year(self):
        year = self.cleaned_data["closed_year"]
        established = self.instance.established_year
        if established and year < established:
            raise forms.ValidationError(_("Năm đóng cửa không được trước năm thành lập."))
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("Năm đóng cửa không được ở tương lai."))
        return year
