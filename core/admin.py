from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read only: entries are never added, changed or deleted by hand."""

    list_display = ("at", "actor_username", "action", "target", "client_address")
    list_filter = ("action", "at")
    search_fields = ("actor_username", "target", "client_address")
    date_hierarchy = "at"
    list_select_related = ("actor",)
    readonly_fields = (
        "at",
        "actor",
        "actor_username",
        "action",
        "target",
        "client_address",
        "detail",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
