"""The 500 page: a reference id that is also logged with the traceback, never the exception."""

import logging

from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from .errors import log_exception

logger = logging.getLogger("core.errors")


@requires_csrf_token
def server_error(request, template_name="500.html"):
    reference = log_exception(logger, "Internal server error: %s %s", request.method, request.path)
    # Rendered without the request: no context processor may fail a second time.
    body = loader.get_template(template_name).render({"reference": reference})
    return HttpResponseServerError(body)
