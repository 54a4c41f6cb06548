"""Request middleware of every page: the current request for the audit log, and
`Cache-Control: no-store` on signed-in pages and downloads."""

from django.utils.cache import patch_cache_control

from .audit import _current_request


class RequestContextMiddleware:
    """Make the request being handled available to code without one (core.audit)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def _is_download(response) -> bool:
    return response.get("Content-Disposition", "").lstrip().lower().startswith("attachment")


class NoStoreMiddleware:
    """No browser or proxy keeps a copy of a signed-in page or a download (ASVS V14.3).

    Sits after WhiteNoise, which answers static files before this runs: they stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if (signed_in or _is_download(response)) and "no-store" not in response.get(
            "Cache-Control", ""
        ):
            patch_cache_control(response, no_store=True, private=True)
        return response
