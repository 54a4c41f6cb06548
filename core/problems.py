"""One error shape for the JSON API: problem details (RFC 9457).

Every error the API answers — a bad parameter, a missing or refused credential, an unknown page, a
throttled client, a session that still owes its second factor — is a JSON object with `type`,
`title`, `status` and `detail`, plus `invalid_params` (name and reason of each parameter refused)
for a 400, served as `application/problem+json`.
"""

import math
from http import HTTPStatus

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.views import exception_handler

MEDIA_TYPE = "application/problem+json"

# Marked for the catalogue, translated when a problem is built (the request's language).
TITLES = {
    400: gettext_noop("Tham số không hợp lệ"),
    401: gettext_noop("Chưa xác thực"),
    403: gettext_noop("Không có quyền truy cập"),
    404: gettext_noop("Không tìm thấy"),
    405: gettext_noop("Phương thức không được hỗ trợ"),
    406: gettext_noop("Định dạng phản hồi không được hỗ trợ"),
    429: gettext_noop("Quá nhiều yêu cầu"),
    500: gettext_noop("Lỗi hệ thống"),
}


def _title(status: int) -> str:
    title = TITLES.get(status)
    return _(title) if title else HTTPStatus(status).phrase


def problem(status: int, detail: str, *, invalid_params=None) -> dict:
    body = {"type": "about:blank", "title": _title(status), "status": status, "detail": detail}
    if invalid_params is not None:
        body["invalid_params"] = invalid_params
    return body


def problem_response(status: int, detail: str, *, invalid_params=None) -> JsonResponse:
    """A problem answered outside Django REST framework (e.g. by a middleware)."""
    return JsonResponse(
        problem(status, detail, invalid_params=invalid_params),
        status=status,
        content_type=MEDIA_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def _flatten(errors, prefix=None):
    """(name, reason) pairs from DRF's nested error structure; the name is None for an error of
    no parameter (`ValidationError("…")`), and "" for a parameter sent without a name (`?=x`)."""
    if isinstance(errors, dict):
        for name, value in errors.items():
            yield from _flatten(value, str(name) if prefix is None else f"{prefix}.{name}")
    elif isinstance(errors, list):
        for value in errors:
            yield from _flatten(value, prefix)
    else:
        yield prefix, str(errors)


class InvalidParameters(exceptions.ValidationError):
    """400 with the refused parameters: `InvalidParameters({"year": ["…"]})`."""


def exception_handler_problem(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: DRF's handler, its body rewritten as a problem."""
    response = exception_handler(exc, context)
    if response is None:
        return None  # an unexpected exception: Django's 500 page (with a reference id)
    status = response.status_code
    if isinstance(exc, exceptions.ValidationError):
        params = [
            {"name": name, "reason": reason}
            for name, reason in _flatten(exc.detail)
            if name not in (None, "detail", "non_field_errors")
        ]
        general = [reason for name, reason in _flatten(exc.detail) if name in (None, "detail")]
        detail = general[0] if general else (params[0]["reason"] if params else _title(status))
        response.data = problem(status, detail, invalid_params=params)
    elif isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        # DRF's own text adds an English sentence its catalogues do not translate.
        wait = math.ceil(exc.wait)
        detail = ngettext(
            "Quá nhiều yêu cầu; hãy thử lại sau %(wait)d giây.",
            "Quá nhiều yêu cầu; hãy thử lại sau %(wait)d giây.",
            wait,
        ) % {"wait": wait}
        response.data = problem(status, detail)
    else:
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        response.data = problem(status, str(detail or _title(status)))
    response.content_type = MEDIA_TYPE
    # Always JSON, whatever the view renders on success: the schema view's first renderer is
    # YAML, which would send a YAML body labelled application/problem+json.
    request = context.get("request")
    if request is not None:
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = MEDIA_TYPE
    return response


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField()
    reason = serializers.CharField()


# The schema of every API error (RFC 9457 problem details); a comment, not a docstring, which
# would be the schema's English description of the component.
class ProblemSerializer(serializers.Serializer):
    type = serializers.CharField(help_text=gettext_lazy("Luôn là about:blank"))
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    invalid_params = InvalidParamSerializer(many=True, required=False)


# Lazy: the schema is written in the language of the request asking for it.
RESPONSE_DESCRIPTIONS = {
    400: gettext_lazy("Tham số không hợp lệ: invalid_params nêu từng tham số và lý do"),
    401: gettext_lazy("Thiếu khoá API hoặc phiên đăng nhập, hoặc khoá sai, hết hạn, đã thu hồi"),
    403: gettext_lazy("Vai trò không được phép, hoặc phiên đăng nhập chưa xác thực hai lớp"),
    404: gettext_lazy(
        "Không tìm thấy (trang vượt quá số trang, năm ngoài giai đoạn kế hoạch hoặc chưa đến, "
        "mã không tồn tại)"
    ),
    406: gettext_lazy("Tiêu đề Accept không nhận application/json, hoặc tham số format khác json"),
    429: gettext_lazy(
        "Vượt giới hạn số yêu cầu của khoá API; thử lại sau số giây ở tiêu đề Retry-After"
    ),
}


def problem_responses(*statuses: int) -> dict:
    """drf-spectacular `responses` entries for the given error statuses."""
    return {
        (status, MEDIA_TYPE): OpenApiResponse(ProblemSerializer, RESPONSE_DESCRIPTIONS[status])
        for status in statuses
    }
