from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from facilities.filters import FacilityFilterForm
from facilities.models import Facility, SizeClass

YEAR_ERROR = _(
    "Tham số year (năm) là bắt buộc và phải là số nguyên từ 2000 đến 2100, ví dụ ?year=2020."
)


class YearQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": YEAR_ERROR,
            "invalid": YEAR_ERROR,
            "min_value": YEAR_ERROR,
            "max_value": YEAR_ERROR,
            "max_string_length": YEAR_ERROR,
            "null": YEAR_ERROR,
        },
    )


BIGINT_MAX = 2**63 - 1
FLAG_CHOICES = [("0", "không"), ("1", "có")]


def _id_field(help_text):
    return serializers.IntegerField(
        required=False, min_value=1, max_value=BIGINT_MAX, help_text=help_text
    )


class FacilityQuerySerializer(serializers.Serializer):
    """The query parameters of the facility list: checked here (400 on a malformed value), then
    applied by the web list's filter (404 when a well-formed code names nothing)."""

    q = serializers.RegexField(
        r"^[^\x00]*$",
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Tên, mã số thuế hoặc địa chỉ (không phân biệt dấu)",
    )
    district = _id_field("id của huyện (trước 2025)")
    commune = _id_field("id của xã/phường (trước 2025)")
    division = serializers.RegexField(
        r"^[0-9]{2}$", required=False, help_text="Ngành VSIC cấp 2, ví dụ 10"
    )
    size = serializers.ChoiceField(SizeClass.choices, required=False)
    ownership = serializers.ChoiceField(Facility.Ownership.choices, required=False)
    status = serializers.ChoiceField(Facility.Status.choices, required=False)
    high_pollution_risk = serializers.ChoiceField(FLAG_CHOICES, required=False)
    key_energy_user = serializers.ChoiceField(FLAG_CHOICES, required=False)
    industrial_area = _id_field("id của khu/cụm công nghiệp")
    sort = serializers.ChoiceField(FacilityFilterForm.base_fields["sort"].choices, required=False)
    page = serializers.IntegerField(required=False, min_value=1, max_value=BIGINT_MAX)


class IndicatorValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    target = serializers.CharField(allow_null=True, help_text="90, hoặc khoảng 8-13")
    actual = serializers.FloatField(allow_null=True, help_text="Phần trăm, một chữ số thập phân")
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)


class IndicatorsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    indicators = IndicatorValueSerializer(many=True)


class FacilitySerializer(serializers.ModelSerializer):
    commune_code = serializers.CharField(source="commune.code")
    commune = serializers.CharField(source="commune.name")
    district = serializers.CharField(source="commune.parent.name", default=None, allow_null=True)
    vsic_code = serializers.CharField(source="industry.code")
    size_class = serializers.CharField(allow_null=True)

    class Meta:
        model = Facility
        fields = [
            "id",
            "tax_code",
            "name",
            "address",
            "commune_code",
            "commune",
            "district",
            "vsic_code",
            "ownership",
            "established_year",
            "employees",
            "revenue_bn_vnd",
            "capital_bn_vnd",
            "size_class",
            "high_pollution_risk",
            "key_energy_user",
            "status",
            "closed_year",
        ]
