from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .audit import detail_rows
from .history_admin import ReadOnlyAdmin
from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
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
        "readable_detail",
        "detail",
    )

    @admin.display(description=_("Chi tiết (dễ đọc)"))
    def readable_detail(self, obj):
        """The detail with labels in the reader's language instead of its keys and codes."""
        shown = detail_rows(obj)
        if not shown:
            return "—"
        rows = format_html_join("", "<tr><th scope='row'>{}</th><td>{}</td></tr>", shown)
        return format_html('<table class="audit-detail">{}</table>', rows)
