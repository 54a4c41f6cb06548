"""REST_FRAMEWORK["DEFAULT_CONTENT_NEGOTIATION_CLASS"] (its own module: rest_framework.views
reads the setting when it is imported, and core.problems imports rest_framework.views)."""

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation


class ContentNegotiation(DefaultContentNegotiation):
    """REST_FRAMEWORK["DEFAULT_CONTENT_NEGOTIATION_CLASS"]: a `format` the view cannot write
    (`?format=xml`) is 406, as an Accept header it cannot honour, not DRF's misleading 404 ("not
    found" for an address that exists). `?format=json` stays, for the schema's JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Http404:
            raise exceptions.NotAcceptable(
                _("Không hỗ trợ định dạng “%(format)s”; API chỉ trả JSON (format=json).")
                % {"format": request.query_params.get("format", "")}
            ) from None
