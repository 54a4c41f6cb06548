from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from facilities.models import Facility

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
    district = serializers.CharField(source="commune.parent.name", default=None)
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
