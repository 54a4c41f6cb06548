"""The error pages: 404, and 500 with a reference id that is also logged with the traceback, never
the exception. Under /api/ both are problem details (core.problems), like every other API error."""

import logging

from django.http import HttpResponseServerError
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

from .errors import log_exception, system_error_message
from .problems import problem_response

logger = logging.getLogger("core.errors")

API_PREFIX = "/api/"


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


@requires_csrf_token
def page_not_found(request, exception, template_name="404.html"):
    if _is_api(request):
        return problem_response(
            404, _("Không có địa chỉ này trong API; các địa chỉ có trong lược đồ /api/v1/schema/.")
        )
    return defaults.page_not_found(request, exception, template_name)


@requires_csrf_token
def server_error(request, template_name="500.html"):
    reference = log_exception(logger, "Internal server error: %s %s", request.method, request.path)
    if _is_api(request):
        return problem_response(500, system_error_message(reference))
    # Rendered without the request: no context processor may fail a second time.
    body = loader.get_template(template_name).render({"reference": reference})
    return HttpResponseServerError(body)
