"""REST_FRAMEWORK["DEFAULT_CONTENT_NEGOTIATION_CLASS"] (its own module: rest_framework.views
reads the setting when it is imported, and core.problems imports rest_framework.views)."""

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation


class ContentNegotiation(DefaultContentNegotiation):
    """REST_FRAMEWORK["DEFAULT_CONTENT_NEGOTIATION_CLASS"]: a `format` the view cannot write
    (`?format=xml`) is 406, as an Accept header it cannot honour, not DRF's misleading 404 ("not
    found" for an address that exists). `?format=json` stays, for the schema's JSON. An empty
    `format=` is not a format (the schema's enum is ["json"]): a 400 naming it, as `size=` is,
    rather than read as "not given" by DRF and carried into the `next` links."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if not format_suffix and request.query_params.get(self.settings.URL_FORMAT_OVERRIDE) == "":
            raise exceptions.ValidationError(
                {
                    self.settings.URL_FORMAT_OVERRIDE: [
                        _("Tham số format không được để trống; giá trị hợp lệ: json.")
                    ]
                }
            )
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Http404:
            raise exceptions.NotAcceptable(
                _("Không hỗ trợ định dạng “%(format)s”; API chỉ trả JSON (format=json).")
                % {"format": request.query_params.get("format", "")}
            ) from None
