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


class OneTimeCodeForm(forms.Form):
    """A 6-digit code from the authenticator app or an 8-character backup code."""

    code = forms.CharField(
        label=_("Mã xác thực"),
        max_length=32,
        help_text=_("6 chữ số trong ứng dụng xác thực, hoặc một mã dự phòng (8 ký tự)."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, allow_backup=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_backup:
            self.fields["code"].help_text = _("6 chữ số đang hiển thị trong ứng dụng xác thực.")
            self.fields["code"].widget.attrs["inputmode"] = "numeric"

    def clean_code(self):
        # Spaces and dashes as people copy them; backup codes are lower case.
        return "".join(self.cleaned_data["code"].split()).replace("-", "").lower()


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Mật khẩu hiện tại"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Mật khẩu không đúng."))
        return password
