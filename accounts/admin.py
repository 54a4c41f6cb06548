from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice

from .forms import clean_province_of, province_field
from .models import Role, User

PROVINCE_HELP = _(
    "Tỉnh/thành phố (từ 1/7/2025) mà cán bộ Sở hoặc lãnh đạo làm việc: bắt buộc trong cài đặt "
    "toàn quốc (trừ quản trị hệ thống). Để trống với tài khoản cơ sở (tỉnh của cơ sở mà tài "
    "khoản đại diện) và Bộ Công Thương: vai trò khác cán bộ Sở và lãnh đạo không giữ tỉnh/thành "
    "phố. Cài đặt một tỉnh không dùng trường này."
)


class ProvinceFormMixin:
    """The admin's `province`: a loaded 2025 province (forms.province_field), required as the
    staff page's form requires it, dropped for the roles that have none (User.clean)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "province" in self.fields:
            self.fields["province"] = province_field(help_text=PROVINCE_HELP)

    def clean(self):
        cleaned = super().clean()
        if "province" in self.fields:
            superuser = cleaned.get("is_superuser", self.instance.is_superuser)
            clean_province_of(self, cleaned, superuser=superuser)
        return cleaned


class PortalUserChangeForm(ProvinceFormMixin, UserChangeForm):
    pass


class PortalUserAddForm(ProvinceFormMixin, AdminUserCreationForm):
    pass


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = PortalUserChangeForm
    add_form = PortalUserAddForm
    list_display = (
        "username",
        "full_name",
        "email",
        "role",
        "province",
        "is_active",
        "is_superuser",
    )
    list_filter = ("role", "is_active", "is_superuser")
    search_fields = ("username", "full_name", "email")
    filter_horizontal = ("facilities", "groups", "user_permissions")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Cổng SXSH"), {"fields": ("role", "province", "full_name", "phone", "facilities")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Cổng SXSH"), {"fields": ("role", "province", "full_name", "email")}),
    )

    def save_related(self, request, form, formsets, change):
        """Only a facility account is linked to facilities (its mails and access follow the
        links): an account whose role is anything else loses them, as with the staff page's
        form and `manage.py add_user`. The audit log records the removal (accounts/audit.py)."""
        super().save_related(request, form, formsets, change)
        user = form.instance
        if user.role != Role.FACILITY:
            user.facilities.clear()


# Backup codes live hashed in BackupCodeDevice (accounts/two_factor.py). django-otp's own static
# device stores codes in plain text and the portal's login never reads it: keep it out of the admin
# so nobody creates plaintext codes there.
if admin.site.is_registered(StaticDevice):
    admin.site.unregister(StaticDevice)
