import re

from django.core.validators import ProhibitNullCharactersValidator, RegexValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer
from rest_framework import serializers

from facilities.filters import FacilityFilterForm
from facilities.models import Facility
from facilities.size import SizeClass

from ..groupings import Grouping
from ..indicators import Status


class StrictIntegerField(serializers.IntegerField):
    """An integer written as ASCII digits (a minus sign allowed), as the schema's `integer` says:
    DRF's own field also takes "2019.0", " 2019" and other scripts' digits ("２０１９")."""

    def to_internal_value(self, data):
        # A minus sign is read (and refused by min_value with its own message); "+2019" is not.
        if isinstance(data, str) and not re.fullmatch(r"-?[0-9]+", data):
            self.fail("invalid")
        return super().to_internal_value(data)


YEAR_ERROR = _(
    "Tham số year (năm) là bắt buộc và phải là số nguyên từ 2000 đến 2100, ví dụ ?year=2020."
)


class YearQuerySerializer(serializers.Serializer):
    year = StrictIntegerField(
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


# Every value the parameter takes (the schema's enum), not a hand-kept copy of them.
GROUP_ERROR = format_lazy(
    "{}: {}.",
    _("Tham số group (cách nhóm cơ sở) phải là một trong"),
    ", ".join(Grouping.values),
)


class IndicatorsQuerySerializer(YearQuerySerializer):
    """The year, and the optional grouping of the facilities (DESIGN §5)."""

    group = serializers.ChoiceField(
        choices=Grouping.choices,
        required=False,
        help_text=_(
            "Cách nhóm cơ sở; không gửi tham số này: số liệu toàn tỉnh. Cơ sở không có đơn vị "
            'của cách nhóm (không có xã cũ, chưa có xã/phường mới) thuộc nhóm "none".'
        ),
        error_messages={"invalid_choice": GROUP_ERROR, "null": GROUP_ERROR},
    )


BIGINT_MAX = 2**63 - 1
# 0/1 as the web list's filter, true/false as the indicator groups' keys (DESIGN §5): a client
# goes from a group to its facilities with the key it was given.
FLAG_CHOICES = [("0", _("không")), ("1", _("có")), ("false", _("không")), ("true", _("có"))]
FLAG_VALUES = {"true": "1", "false": "0"}


def _id_field(help_text):
    return StrictIntegerField(
        required=False, min_value=1, max_value=BIGINT_MAX, help_text=help_text
    )


def _code_error(digits: int, example: str):
    # DRF's own "does not match the required pattern" is English in every catalogue and does not
    # say what the pattern is.
    return format_lazy(
        _("Phải gồm đúng {digits} chữ số, ví dụ {example}."), digits=digits, example=example
    )


def _code_field(digits: int, example: str, help_text: str):
    return serializers.RegexField(
        rf"^[0-9]{{{digits}}}$",
        required=False,
        help_text=help_text,
        error_messages={"invalid": _code_error(digits, example)},
    )


class SearchField(serializers.RegexField):
    """`q`: any text without a null character (the schema's pattern) of at most 200 characters,
    refused with one reason in the user's language: DRF adds its own null check (a second
    reason for the same character) and English messages its catalogues lack."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": ProhibitNullCharactersValidator.message,
                "max_length": _("Tối đa {max_length} ký tự."),
            },
        )
        super().__init__(r"^[^\x00]*$", **kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]


class FacilityQuerySerializer(serializers.Serializer):
    """The query parameters of the facility list: checked here (400 on a malformed value), then
    applied by the web list's filter (404 when a well-formed code names nothing)."""

    q = SearchField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_("Tên, mã số thuế hoặc địa chỉ (không phân biệt dấu)"),
    )
    old_province = _id_field(_("id của tỉnh cũ (trước 1/7/2025); theo mã: old_province_code"))
    district = _id_field(_("id của huyện (trước 1/7/2025); theo mã: district_code"))
    commune = _id_field(_("id của xã/phường (trước 1/7/2025); theo mã: commune_code"))
    ward = _id_field(_("id của xã/phường mới (từ 1/7/2025); theo mã: ward_code"))
    division = _code_field(2, "10", _("Ngành VSIC cấp 2, ví dụ 10"))
    size = serializers.ChoiceField(SizeClass.choices, required=False)
    ownership = serializers.ChoiceField(Facility.Ownership.choices, required=False)
    status = serializers.ChoiceField(Facility.Status.choices, required=False)
    high_pollution_risk = serializers.ChoiceField(FLAG_CHOICES, required=False)
    key_energy_user = serializers.ChoiceField(FLAG_CHOICES, required=False)
    # The same places by GSO code, as the facilities and the indicator groups give them.
    province = _code_field(
        2,
        "24",
        _("Mã tỉnh/thành phố (từ 1/7/2025), ví dụ 24; bản cài đặt một tỉnh chỉ có tỉnh của mình"),
    )
    old_province_code = _code_field(2, "27", _("Mã tỉnh cũ (trước 1/7/2025), ví dụ 27"))
    district_code = _code_field(3, "256", _("Mã huyện cũ (trước 1/7/2025), ví dụ 256"))
    commune_code = _code_field(5, "09202", _("Mã xã/phường cũ (trước 1/7/2025), ví dụ 09202"))
    ward_code = _code_field(5, "07864", _("Mã xã/phường mới (từ 1/7/2025), ví dụ 07864"))
    industrial_area = _id_field(_("id của khu/cụm công nghiệp"))
    sort = serializers.ChoiceField(FacilityFilterForm.base_fields["sort"].choices, required=False)
    page = StrictIntegerField(required=False, min_value=1, max_value=BIGINT_MAX)


def _search_parameter() -> OpenApiParameter:
    """`q` in the schema as one string schema. drf-spectacular writes a field that takes "" and
    has a pattern as `oneOf: [{pattern, maxLength}, {maxLength: 0}]`: "" matches both, so a
    validating client refuses `q=`, which the server answers. The pattern already admits "".
    Listed after FacilityQuerySerializer in the operation's parameters, it replaces the field's."""
    field = FacilityQuerySerializer().fields["q"]
    (pattern,) = (v.regex.pattern for v in field.validators if isinstance(v, RegexValidator))
    schema = {
        "type": "string",
        "maxLength": field.max_length,
        "pattern": pattern.replace(r"\x", r"\u00"),  # ECMA-262: \u0000, not \x00
    }
    return OpenApiParameter("q", schema, description=field.help_text)


SEARCH_PARAMETER = _search_parameter()


# A facility's benchmark score for a year (DESIGN §4, assessments.benchmark). The API's
# serializers carry comments, not docstrings: a docstring is the schema's (English) description.
class BenchmarkSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    division = serializers.CharField(help_text=_("Ngành VSIC cấp 2 của cơ sở, ví dụ 23"))
    unit = serializers.CharField(
        allow_null=True,
        help_text=_(
            "Đơn vị sản phẩm như khi so sánh (bỏ khoảng trắng đầu cuối, chữ thường); null khi "
            "cơ sở không có báo cáo đã duyệt của năm"
        ),
    )
    intensity = serializers.FloatField(
        allow_null=True,
        help_text=_(
            "Suất tiêu hao năng lượng (TOE trên một đơn vị sản phẩm); null khi cơ sở không có "
            "báo cáo đã duyệt của năm với sản lượng > 0 và năng lượng > 0"
        ),
    )
    peers = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "Số cơ sở cùng ngành VSIC cấp 2, cùng đơn vị sản phẩm, có báo cáo đã duyệt của năm "
            "với sản lượng > 0 và năng lượng > 0 (kể cả cơ sở này); null khi cơ sở không thuộc "
            "nhóm đó"
        ),
    )
    score = serializers.IntegerField(
        allow_null=True,
        min_value=0,
        max_value=100,
        help_text=_(
            "Điểm 0–100 (100: hiệu quả nhất) = 100 × số cơ sở cùng nhóm có suất tiêu hao cao "
            "hơn ÷ (số cơ sở cùng nhóm − 1), làm tròn; null khi cùng nhóm có dưới 10 cơ sở hoặc "
            "cơ sở không có báo cáo phù hợp"
        ),
    )


class IndicatorValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    target = serializers.CharField(
        allow_null=True, help_text=_("Chỉ tiêu đến cuối giai đoạn: 90, hoặc khoảng 8-13")
    )
    milestone = serializers.CharField(
        allow_null=True, help_text=_("Mốc của năm (74, hoặc khoảng 6.8-11); null khi không có")
    )
    status = serializers.ChoiceField(
        [(s.value, s.label) for s in Status],
        help_text=_(
            "So với mốc của năm, nếu không có mốc thì với chỉ tiêu cuối giai đoạn. `no_data` (khi "
            "đó `actual` là null) khi chưa có số liệu: chỉ tiêu nhập tay chưa nhập giá trị của "
            "năm; chỉ tiêu tính trên báo cáo của chính năm đó (SAVING_PCT, ENT_UNIT_PCT, "
            "TRAINED_PCT, WATER_SAVING_PCT) khi trong phạm vi (toàn tỉnh hoặc nhóm) chưa có báo "
            "cáo năm nào được duyệt — tử số, mẫu số vẫn được trả (ví dụ 0/22: chưa cơ sở nào có "
            "báo cáo); hoặc khi mẫu số bằng 0"
        ),
    )
    actual = serializers.FloatField(
        allow_null=True,
        help_text=_(
            "Giá trị thực hiện theo đơn vị `unit`: phần trăm, một chữ số thập phân (45.5, không "
            "phải 0.455) khi `unit` là %; giá trị nhập tay của chỉ tiêu nhập tay (ví dụ số người) "
            "— cài đặt toàn quốc, số liệu cả nước của chỉ tiêu nhập tay đếm số lượng (người, khóa, "
            "cơ sở…) chưa được nhập riêng là tổng giá trị các tỉnh nhập trên giai đoạn kế hoạch "
            "của tỉnh; null khi chưa có số liệu (`status` là `no_data`)"
        ),
    )
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)


class IndicatorsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    indicators = IndicatorValueSerializer(many=True)


class IndicatorGroupSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text=_(
            'Mã nhóm: mã GSO của đơn vị hành chính ("30" cho tỉnh cũ, mã huyện, mã xã/phường), '
            'mã ngành VSIC cấp 2, "true"/"false" cho nhóm theo cờ, "none" cho cơ sở không có '
            "đơn vị của cách nhóm này"
        )
    )
    name = serializers.CharField(help_text=_("Tên nhóm (đơn vị hành chính theo tên thời đó)"))
    indicators = IndicatorValueSerializer(
        many=True,
        help_text=_(
            "Các chỉ tiêu tính tự động của nhóm; tử số, mẫu số các nhóm cộng lại bằng toàn tỉnh"
        ),
    )


class GroupedIndicatorsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    group = serializers.ChoiceField(choices=Grouping.choices)
    groups = IndicatorGroupSerializer(many=True)


INDICATORS_ANSWER = PolymorphicProxySerializer(
    component_name="IndicatorsAnswer",
    serializers=[IndicatorsSerializer, GroupedIndicatorsSerializer],
    resource_type_field_name=None,
    many=False,
)


def _place(source: str, help_text: str):
    return serializers.CharField(source=source, default=None, allow_null=True, help_text=help_text)


# A facility with its address in both schemes (DESIGN §3): the pre-2025 commune (null when the
# facility was registered by its 2025 ward only) and the 2025 commune/ward (null while staff have
# not chosen it for a split old commune).
class FacilitySerializer(serializers.ModelSerializer):
    commune_code = _place("commune.code", _("Mã xã/phường trước 1/7/2025"))
    commune = _place("commune.name", _("Tên xã/phường trước 1/7/2025"))
    district = _place("commune.parent.name", _("Huyện trước 1/7/2025"))
    ward_code = _place("ward.code", _("Mã xã/phường từ 1/7/2025"))
    ward = _place("ward.name", _("Tên xã/phường từ 1/7/2025"))
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
            "ward_code",
            "ward",
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
