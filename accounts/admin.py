from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice

from .models import Role, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "email", "role", "is_active", "is_superuser")
    list_filter = ("role", "is_active", "is_superuser")
    search_fields = ("username", "full_name", "email")
    filter_horizontal = ("facilities", "groups", "user_permissions")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Cổng SXSH"), {"fields": ("role", "full_name", "phone", "facilities")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Cổng SXSH"), {"fields": ("role", "full_name", "email")}),
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
