from django import forms

from .models import Facility


class FacilityForm(forms.ModelForm):
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


class FacilityContactForm(forms.ModelForm):
    """What a facility's own representative may change."""

    class Meta:
        model = Facility
        fields = Facility.SELF_EDITABLE_FIELDS
