"""JSON API v1: computed indicators (staff and officials) and the facility registry (scoped)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from facilities.filters import filter_facilities
from facilities.models import Facility

from ..indicators import compute_indicators, period_for
from .serializers import FacilitySerializer, IndicatorsSerializer, YearQuerySerializer


class IsStaffOrOfficial(BasePermission):
    """The API face of `accounts.access.staff_or_official_required`."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and (user.is_portal_staff or user.is_official))


def _number(value):
    return float(value) if value is not None else None


def indicators_payload(results) -> dict:
    return {
        "year": results.year,
        "indicators": [
            {
                "code": r.code,
                "name": r.indicator.name,
                "unit": r.indicator.unit,
                "target": r.indicator.target_display or None,
                "actual": _number(r.value.actual),
                "numerator": r.value.numerator,
                "denominator": r.value.denominator,
            }
            for r in results.results
        ],
    }


class IndicatorsView(APIView):
    permission_classes = [IsAuthenticated, IsStaffOrOfficial]

    @extend_schema(
        summary="Chỉ tiêu Kế hoạch SXSH của một năm",
        parameters=[OpenApiParameter("year", int, required=True, description="Năm, ví dụ 2020")],
        responses={200: IndicatorsSerializer},
    )
    def get(self, request):
        query = YearQuerySerializer(data=request.query_params)
        if not query.is_valid():
            raise ValidationError({"detail": query.errors["year"][0]})
        year = query.validated_data["year"]
        period = period_for(year)
        if period is None:
            message = _("Năm %(year)s không thuộc giai đoạn kế hoạch nào.") % {"year": year}
            raise ValidationError({"detail": message})
        results = compute_indicators(year, period=period)
        return Response(indicators_payload(results))


class FacilityPagination(PageNumberPagination):
    page_size = 50


class FacilityListView(ListAPIView):
    """Facilities the user may see (a facility user: only their own), with the list filters of
    the web page (q, district, commune, division, size, ownership, status, …)."""

    serializer_class = FacilitySerializer
    pagination_class = FacilityPagination

    def get_queryset(self):
        visible = Facility.objects.visible_to(self.request.user)
        facilities, form = filter_facilities(self.request.query_params, visible)
        if form.is_bound and not form.is_valid():
            raise ValidationError(form.errors)
        return facilities.select_related("commune__parent", "industry")


# drf-spectacular: describe the filters of the facility list.
FacilityListView = extend_schema(
    parameters=[
        OpenApiParameter(name, str, required=False)
        for name in ("q", "district", "commune", "division", "size", "ownership", "status", "sort")
    ]
)(FacilityListView)

__all__ = ["FacilityListView", "IndicatorsView", "serializers"]
