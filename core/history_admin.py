"""The admin of every model with a history (django-simple-history), without its "revert"; and of
a log (`ReadOnlyAdmin`).

A revert saves a past version's values as they were, through a form that skips the change form's
read-only fields and the services the portal's pages go through (a report's workflow, a factor's
key): in this portal changes are made forward, on the pages or in the change form, never by
reverting. The history stays readable."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A log's entries (the audit log, the review log): read, never added, changed or deleted by
    hand (nor by the bulk "delete selected")."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
