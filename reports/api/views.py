"""JSON API v1: computed indicators (staff and officials) and the facility registry (scoped).

Errors are problem details (core/problems.py), an unknown address under /api/ too
(`unknown_address`); the schema (/api/v1/schema/) lists every parameter with its type, range or
values and every status an operation answers.
"""

import hashlib
import json
import threading

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import OpenApiGeneratorExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.benchmark import facility_benchmark
from core.problems import InvalidParameters, problem_response, problem_responses
from core.views import page_not_found
from facilities import territory
from facilities.filters import filter_facilities
from facilities.models import Facility
from facilities.territory import province_for

from ..indicators import compute_indicators, indicator_status, period_for
from .serializers import (
    BIGINT_MAX,
    FLAG_VALUES,
    INDICATORS_ANSWER,
    SEARCH_PARAMETER,
    BenchmarkSerializer,
    FacilityQuerySerializer,
    FacilitySerializer,
    IndicatorsQuerySerializer,
    YearQuerySerializer,
)


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The schema's security scheme of accounts.tokens.ApiTokenAuthentication, described in the
    request's language (drf-spectacular's own for TokenAuthentication is English only)."""

    target_class = "accounts.tokens.ApiTokenAuthentication"
    name = "tokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _(
                "Khoá API trong tiêu đề Authorization: Token <khoá> (cấp bằng manage.py "
                "issue_token hoặc ở trang Bảo mật tài khoản)."
            ),
        }


class ReadOnlySessionScheme(SessionScheme):
    """drf-spectacular's cookie scheme for the session authentication the API uses
    (accounts.tokens.ReadOnlySessionAuthentication, DRF's SessionAuthentication that answers a
    write 405)."""

    target_class = "accounts.tokens.ReadOnlySessionAuthentication"


# Every operation may answer these besides its own.
COMMON_ERRORS = (400, 401, 403, 406, 429)


# Mixin of every API view: credentials and permissions are checked before the answer's format.
# DRF negotiates first, so `?format=xml` without a token was a 406 rather than the 401 (with
# `WWW-Authenticate: Token`) the README promises, and a token user who chose English got the 406
# in Vietnamese (their language is activated when the token is read). A comment, not a
# docstring: drf-spectacular would take it for the English description of the views below.
class AccessBeforeFormat:
    def initial(self, request, *args, **kwargs):
        # The user is read once (DRF caches it) and the permissions again by DRF's own
        # `initial`, which then negotiates the format and counts the request for the throttle.
        self.perform_authentication(request)
        self.check_permissions(request)
        super().initial(request, *args, **kwargs)


_extensions_lock = threading.Lock()


def load_schema_extensions() -> None:
    """Import the target class of every registered drf-spectacular extension, under a lock.

    drf-spectacular imports each one on its first match, which is not thread-safe: two first
    schema requests at once (the threaded development server) see each other's half-done import
    (`target_class` already None) and answer 500. Resolved here before any schema is built;
    once resolved, this only walks the classes."""
    with _extensions_lock:
        pending = [OpenApiGeneratorExtension]
        while pending:
            extension = pending.pop()
            pending.extend(extension.__subclasses__())
            if isinstance(extension.target_class, str):
                extension._load_class()


# The schema (/api/v1/schema/), left out of itself (SERVE_INCLUDE_SCHEMA is False).
class SchemaView(AccessBeforeFormat, SpectacularAPIView):
    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        load_schema_extensions()
        return super().get(request, *args, **kwargs)


class IsStaffOrOfficial(BasePermission):
    """The API face of `accounts.access.staff_or_official_required`: the same
    `User.is_staff_or_official`."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_staff_or_official)


def _number(value):
    return float(value) if value is not None else None


def _item(result, figure) -> dict:
    return {
        "code": result.code,
        "name": str(result.indicator.name),
        "unit": str(result.indicator.unit),
        "target": result.indicator.target_display or None,
        "milestone": result.milestone and result.target_display,
        "status": indicator_status(result.indicator, figure.actual, result.year),
        "actual": _number(figure.actual),
        "numerator": figure.numerator,
        "denominator": figure.denominator,
    }


def indicators_payload(results) -> dict:
    return {
        "year": results.year,
        "indicators": [_item(r, r.value) for r in results.results],
    }


def grouped_payload(results, grouping: str) -> dict:
    """The computed indicators of each group of `grouping`, items shaped as the ungrouped
    answer's (DESIGN §5); manual indicators have no group values and are left out."""
    computed = [r for r in results.results if r.is_computed]
    return {
        "year": results.year,
        "group": grouping,
        "groups": [
            {
                "key": row.key,
                "name": row.label,
                "indicators": [_item(r, row.values[r.code]) for r in computed],
            }
            for row in results.groups.get(grouping, [])
        ],
    }


# Query parameters every endpoint takes besides its own (`?format=json`, core/negotiation.py).
# The schema's texts are lazy: the schema is written in the language of the request asking for
# it (accounts/language.py), as the rest of the portal.
COMMON_PARAMETERS = ("format",)
FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    OpenApiParameter.QUERY,
    enum=["json"],
    description=gettext_lazy(
        "Định dạng trả lời: chỉ json (như tiêu đề Accept); định dạng khác: 406."
    ),
)


def _validated(serializer_class, params, also: tuple[str, ...] = ()) -> dict:
    # A parameter the endpoint does not know (`?sector=17` for `division`) is refused (400,
    # naming it and the known ones), not ignored: ignored, it would answer for everything.
    known = list(dict.fromkeys([*serializer_class().fields, *also, *COMMON_PARAMETERS]))
    unknown = {
        name: [
            (
                _("Tham số %(name)s không được hỗ trợ; tham số hợp lệ: %(known)s.")
                if name
                # `?=x`: a sentence with a blank where the name goes reads as a typo.
                else _("Tham số không có tên không được hỗ trợ; tham số hợp lệ: %(known)s.")
            )
            % {"name": name, "known": ", ".join(known)}
        ]
        for name in params
        if name not in known
    }
    if unknown:
        raise InvalidParameters(unknown)
    # A parameter of the schema given twice (`?year=2019&year=2020`) is ambiguous: refused
    # rather than answered for whichever came last.
    repeated = {
        name: [_("Tham số %(name)s chỉ được gửi một lần.") % {"name": name}]
        for name in known
        if len(params.getlist(name)) > 1
    }
    if repeated:
        raise InvalidParameters(repeated)
    # A plain dict, not the QueryDict: DRF reads an empty value in form data as "not given",
    # while the schema says `size=` is not a size. The API refuses it (400) instead.
    query = serializer_class(data=params.dict())
    if not query.is_valid():
        raise InvalidParameters(query.errors)
    return query.validated_data


class IndicatorsView(AccessBeforeFormat, APIView):
    permission_classes = [IsAuthenticated, IsStaffOrOfficial]

    @extend_schema(
        summary=gettext_lazy("Chỉ tiêu Kế hoạch SXSH của một năm"),
        description=gettext_lazy(
            "Chỉ tính dữ liệu đã duyệt. Không có `group`: `{year, indicators}` (toàn tỉnh). Có "
            "`group`: `{year, group, groups: [{key, name, indicators}]}`, các chỉ tiêu tính tự "
            "động của từng nhóm với cùng dạng mục; tử số và mẫu số các nhóm cộng lại bằng toàn "
            "tỉnh. Trả ETag (băm của nội dung): gửi lại If-None-Match với ETag đã nhận để được "
            "304 khi số liệu chưa đổi."
        ),
        parameters=[IndicatorsQuerySerializer, FORMAT_PARAMETER],
        responses={
            200: INDICATORS_ANSWER,
            304: OpenApiResponse(
                description=gettext_lazy("Không đổi kể từ ETag đã gửi (If-None-Match)")
            ),
            **problem_responses(*COMMON_ERRORS, 404),
        },
    )
    def get(self, request):
        query = _validated(IndicatorsQuerySerializer, request.query_params)
        year, grouping = query["year"], query.get("group")
        # A national installation's province staff and officials get their province's figures
        # against their province's plan (else the national strategy's).
        province = request.user.scoped_province
        period = period_for(year, province)
        if period is None:
            raise NotFound(_("Năm %(year)s không thuộc giai đoạn kế hoạch nào.") % {"year": year})
        if year > timezone.localdate().year:
            # As the dashboard: a year to come has no figures, and its cumulative shares carried
            # forward would read as targets already met.
            raise NotFound(
                _("Năm %(year)s chưa đến; chưa có số liệu của năm này.") % {"year": year}
            )
        if grouping:
            results = compute_indicators(year, period=period, province=province)
            payload = grouped_payload(results, grouping)
        else:
            payload = indicators_payload(
                compute_indicators(year, period=period, grouped=False, province=province)
            )
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
        etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
        headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
        if _if_none_match(request) & {etag, "*"}:
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        return Response(payload, headers=headers)


def _if_none_match(request) -> set[str]:
    """The entity tags of If-None-Match, weak ones compared as strong (RFC 9110 §13.1.2); "*"
    matches any current representation."""
    raw = request.headers.get("If-None-Match", "")
    return {tag.strip().removeprefix("W/") for tag in raw.split(",") if tag.strip()}


class FacilityPagination(PageNumberPagination):
    page_size = 50


# Facilities the user may see (a facility user: only their own), with the list filters of the
# web page. (Comments, not docstrings, on the API's classes: a docstring would be the English
# description of the operation in the schema and of OPTIONS.)
class FacilityListView(AccessBeforeFormat, ListAPIView):
    serializer_class = FacilitySerializer
    pagination_class = FacilityPagination
    filter_backends = []  # the parameters are described by FacilityQuerySerializer

    @extend_schema(
        summary=gettext_lazy("Sổ đăng ký cơ sở SXCN (theo phạm vi của người dùng)"),
        description=gettext_lazy(
            "Các cơ sở người dùng được xem (tài khoản cơ sở: chỉ cơ sở của mình), lọc như trang "
            "danh sách cơ sở, 50 cơ sở một trang."
        ),
        parameters=[FacilityQuerySerializer, SEARCH_PARAMETER, FORMAT_PARAMETER],
        responses={200: FacilitySerializer(many=True), **problem_responses(*COMMON_ERRORS, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = _validated(
            FacilityQuerySerializer,
            self.request.query_params,
            also=(self.paginator.page_query_param,),
        )
        visible = Facility.objects.visible_to(self.request.user)
        params = self.request.query_params.copy()
        for name in ("high_pollution_risk", "key_energy_user"):
            if name in params:
                params[name] = FLAG_VALUES.get(params[name], params[name])
        facilities, form = filter_facilities(
            params, visible, province=province_for(self.request.user)
        )
        if form.is_bound and not form.is_valid():
            # Well-formed (checked above) but naming nothing: an unknown unit, division or area.
            name = next(iter(form.errors))
            raise NotFound(
                _("Không có “%(label)s” nào với giá trị %(value)s.")
                % {"label": form.fields[name].label, "value": self.request.query_params[name]}
            )
        facilities = _by_place_codes(query, facilities, province_for(self.request.user))
        return facilities.select_related("commune__parent", "ward", "industry")


def _provinces(province: territory.Province):
    """The 2025 provinces of a territory: every loaded one for ALL, else the user's own (a
    facility representative's: those of their facilities)."""
    provinces = territory.provinces_2025()
    if province == territory.ALL:
        return provinces
    if isinstance(province, tuple):
        return provinces.filter(code__in=province)
    return provinces.filter(code=territory.portal_province_code() if province is None else province)


# Place filters by GSO code: the units of that kind in a territory, the facility's field, and the
# unit's name in the 404 answer.
PLACE_CODES = {
    "province": (_provinces, "province", gettext_lazy("tỉnh/thành phố")),
    "old_province_code": (
        territory.old_provinces,
        "commune__parent__parent__code",
        gettext_lazy("tỉnh cũ"),
    ),
    "district_code": (territory.old_districts, "commune__parent__code", gettext_lazy("huyện cũ")),
    "commune_code": (territory.old_communes, "commune__code", gettext_lazy("xã/phường cũ")),
    "ward_code": (territory.wards, "ward__code", gettext_lazy("xã/phường mới")),
}


def _by_place_codes(query: dict, facilities, province: str | None):
    """`facilities` in the places named by GSO code in `query`; 404 for a code that names no
    unit of the user's territory (`province`: territory.province_for)."""
    for name, (units, lookup, label) in PLACE_CODES.items():
        code = query.get(name)
        if code is None:
            continue
        if not units(province).filter(code=code).exists():
            raise NotFound(
                _("Không có %(label)s với mã %(code)s.") % {"label": label, "code": code}
            )
        facilities = facilities.filter(**{lookup: code})
    return facilities


def _is_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and 0 < int(value) <= BIGINT_MAX


# A facility's benchmark score for a year, scoped like the web: another facility's id is a 404
# for a facility user.
class FacilityBenchmarkView(AccessBeforeFormat, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary=gettext_lazy("Điểm so sánh hiệu quả năng lượng của cơ sở trong ngành (0–100)"),
        description=gettext_lazy(
            "Suất tiêu hao năng lượng của cơ sở (TOE trên đơn vị sản phẩm) xếp hạng trong các cơ "
            "sở cùng ngành VSIC cấp 2 và cùng đơn vị sản phẩm có báo cáo đã duyệt của năm "
            "(DESIGN §4). `score` là null khi có dưới 10 cơ sở so sánh hoặc cơ sở không có báo "
            "cáo phù hợp. Không nêu tên cơ sở nào khác."
        ),
        parameters=[
            OpenApiParameter(
                "id", int, OpenApiParameter.PATH, description=gettext_lazy("id của cơ sở")
            ),
            YearQuerySerializer,
            FORMAT_PARAMETER,
        ],
        responses={200: BenchmarkSerializer, **problem_responses(*COMMON_ERRORS, 404)},
    )
    def get(self, request, pk):
        year = _validated(YearQuerySerializer, request.query_params)["year"]
        visible = Facility.objects.visible_to(request.user).select_related("industry")
        facility = visible.filter(pk=int(pk)).first() if _is_id(pk) else None
        if facility is None:
            raise NotFound(_("Không tìm thấy cơ sở."))
        benchmark = facility_benchmark(facility, year)
        return Response(
            {
                "year": benchmark.year,
                "division": benchmark.division,
                "unit": benchmark.unit,
                "intensity": _number(benchmark.intensity),
                "peers": benchmark.peers,
                "score": benchmark.score,
            }
        )


@login_required
def docs(request):
    """The API page (Swagger UI over the schema) for signed-in users."""
    return render(request, "reports/api_docs.html")


class UnknownAddressView(AccessBeforeFormat, APIView):
    """Any other address under /api/: after the API's own checks (credentials, second factor,
    throttle: an anonymous caller gets 401 as everywhere in the API), the problem-details 404 of
    core.views.page_not_found, whatever the method. Routed here rather than left to handler404,
    which Django skips for its HTML debug page when DEBUG is on."""

    answers_every_method = True  # accounts.tokens.ReadOnlySessionAuthentication

    def http_method_not_allowed(self, request, *args, **kwargs):  # every method: no handlers
        return page_not_found(request._request, Http404())

    options = http_method_not_allowed


_unknown_address_view = UnknownAddressView.as_view()


@csrf_exempt  # as every DRF view: SessionAuthentication checks the CSRF token itself
def unknown_address(request, rest=""):
    """The catch-all's view (sxsh_portal/urls.py). A known address asked without its final slash
    is still redirected (301), as CommonMiddleware does when no pattern matches."""
    if settings.APPEND_SLASH and not request.path_info.endswith("/"):
        try:
            match = resolve(f"{request.path_info}/", getattr(request, "urlconf", None))
        except Resolver404:
            match = None
        if match is not None and match.func is not unknown_address:
            # JSON too (every answer under /api/ is): the redirect says where in its body.
            location = request.get_full_path(force_append_slash=True)
            detail = _("Địa chỉ của API kết thúc bằng dấu /: %(location)s") % {"location": location}
            response = problem_response(301, detail)
            response["Location"] = location
            return response
    return _unknown_address_view(request)
