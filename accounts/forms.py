from django import forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from facilities.models import Facility

from .models import Role, User


class PortalUserCreationForm(BaseUserCreationForm):
    """Staff create facility and official accounts; staff accounts belong to the administrator."""

    role = forms.ChoiceField(
        label=_("Vai trò"),
        choices=[(Role.FACILITY, Role.FACILITY.label), (Role.OFFICIAL, Role.OFFICIAL.label)],
    )
    facilities = forms.ModelMultipleChoiceField(
        label=_("Cơ sở đại diện"),
        queryset=Facility.objects.order_by("name"),
        required=False,
        help_text=_("Bắt buộc với tài khoản cơ sở."),
    )

    class Meta:
        model = User
        fields = ("username", "full_name", "email", "phone", "role", "facilities")

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        chosen = cleaned.get("facilities")
        if role == Role.FACILITY and not chosen:
            self.add_error("facilities", _("Tài khoản cơ sở phải gắn với ít nhất một cơ sở."))
        if role == Role.OFFICIAL and chosen:
            self.add_error("facilities", _("Tài khoản lãnh đạo không gắn với cơ sở."))
        return cleaned
