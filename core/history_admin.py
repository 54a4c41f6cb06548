"""The admin of every model with a history (django-simple-history), without its "revert".

A revert saves a past version's values as they were, through a form that skips the change form's
read-only fields and the services the portal's pages go through (a report's workflow, a factor's
key): in this portal changes are made forward, on the pages or in the change form, never by
reverting. The history stays readable."""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
