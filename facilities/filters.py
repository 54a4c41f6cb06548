"""Filtering and sorting of the facility list; shared by the list page and the exports."""

from contextlib import suppress
from operator import attrgetter

from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core.collation import vietnamese
from core.widgets import PlainSelect, ReferenceSelect

from . import territory
from .models import AdminUnit, Facility, IndustrialArea, IndustryCode
from .size import SizeClass, size_class_q

BOOL_CHOICES = [("", _("Tất cả")), ("1", _("Có")), ("0", _("Không"))]
# Every sort ends with the id, so that equal values (many facilities of one year, or none given)
# keep one order from page to page: a page never repeats or skips a facility.
SORTS = {
    "name": (vietnamese("name"), "id"),
    "-name": (vietnamese("name", descending=True), "-id"),
    "tax_code": ("tax_code", "id"),
    "-tax_code": ("-tax_code", "-id"),
    # A facility without the figure comes last either way (PostgreSQL puts NULLs first in a
    # descending order, SQLite first in an ascending one).
    "established_year": (F("established_year").asc(nulls_last=True), vietnamese("name"), "id"),
    "-established_year": (F("established_year").desc(nulls_last=True), vietnamese("name"), "id"),
    "employees": (F("employees").asc(nulls_last=True), vietnamese("name"), "id"),
    "-employees": (F("employees").desc(nulls_last=True), vietnamese("name"), "id"),
    "-updated_at": ("-updated_at", "-id"),
}


class FacilityFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False)
    # Places in both schemes (DESIGN §3); the querysets are the portal's territory's (__init__).
    old_province = forms.ModelChoiceField(
        label=_("Tỉnh cũ (trước 1/7/2025)"), required=False, queryset=AdminUnit.objects.none()
    )
    district = forms.ModelChoiceField(
        label=_("Huyện cũ"), required=False, queryset=AdminUnit.objects.none()
    )
    commune = forms.ModelChoiceField(
        label=_("Xã/phường cũ"), required=False, queryset=AdminUnit.objects.none()
    )
    ward = forms.ModelChoiceField(
        label=_("Xã/phường mới (từ 1/7/2025)"), required=False, queryset=AdminUnit.objects.none()
    )
    division = forms.ModelChoiceField(
        label=_("Ngành (VSIC cấp 2)"),
        required=False,
        queryset=IndustryCode.objects.filter(level=2),
        to_field_name="code",
    )
    size = forms.ChoiceField(
        label=_("Quy mô"), required=False, choices=[("", _("Tất cả")), *SizeClass.choices]
    )
    ownership = forms.ChoiceField(
        label=_("Sở hữu"), required=False, choices=[("", _("Tất cả")), *Facility.Ownership.choices]
    )
    status = forms.ChoiceField(
        label=_("Tình trạng"), required=False, choices=[("", _("Tất cả")), *Facility.Status.choices]
    )
    high_pollution_risk = forms.ChoiceField(
        label=_("Nguy cơ ô nhiễm cao"), required=False, choices=BOOL_CHOICES
    )
    key_energy_user = forms.ChoiceField(
        label=_("Sử dụng năng lượng trọng điểm"), required=False, choices=BOOL_CHOICES
    )
    industrial_area = forms.ModelChoiceField(
        label=_("Khu/cụm công nghiệp"), required=False, queryset=IndustrialArea.objects.all()
    )
    sort = forms.ChoiceField(
        label=_("Sắp xếp"),
        required=False,
        choices=[
            ("name", _("Tên A–Z")),
            ("-name", _("Tên Z–A")),
            ("tax_code", _("Mã số thuế")),
            ("-established_year", _("Năm thành lập mới nhất")),
            ("established_year", _("Năm thành lập cũ nhất")),
            ("-employees", _("Lao động nhiều nhất")),
            ("employees", _("Lao động ít nhất")),
            ("-updated_at", _("Cập nhật gần đây")),
        ],
    )

    def __init__(
        self,
        *args,
        data_token: str | None = None,
        province: territory.Province = None,
        **kwargs,
    ):
        """`data_token`: the data version (core.data_version) under which the reference
        lists' HTML is cached; None renders them from the database. `province`: the territory
        of the lists (territory.province_for(user)); each has its own cache entries."""
        super().__init__(*args, **kwargs)
        province = choose_province_first(self, province, before="old_province")
        if data_token is not None and province is not None:
            data_token = f"{data_token}:{territory.cache_name(province)}"
        self.fields["old_province"].queryset = territory.old_provinces(province)
        # Two old districts of one name ("Huyện Châu Thành") read with their old provinces.
        self.fields["district"].queryset = territory.old_districts(province).annotate(
            label=territory.unit_label()
        )
        self.fields["district"].label_from_instance = attrgetter("label")
        self.fields["commune"].queryset = territory.old_communes(province).order_by(
            "parent__parent__code", vietnamese("parent__name"), vietnamese("name"), "pk"
        )
        self.fields["ward"].queryset = territory.wards(province)
        self.fields["industrial_area"].queryset = territory.industrial_areas(province)
        national = ()
        if province == territory.ALL:
            national = offer_named_units_only(self, ("district", "commune", "ward"))
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                field.widget = ReferenceSelect(
                    attrs=field.widget.attrs,
                    choices=field.widget.choices,
                    token=None if name in national else data_token,
                )
            elif type(field.widget) is forms.Select:
                field.widget = PlainSelect(attrs=field.widget.attrs, choices=field.widget.choices)
            css = "form-control" if name == "q" else "form-select"
            field.widget.attrs["class"] = f"{css} form-select-sm" if css == "form-select" else css


def choose_province_first(form, province: territory.Province, *, before: str):
    """A list filter whose user may pick from several provinces' units (territory.province_choices:
    the Ministry's every province, a representative's own) chooses the 2025 province first: adds
    the `province` select ahead of field `before`; returns the territory the place lists offer,
    the chosen province's code, else `province` itself. Other users get no select."""
    provinces = territory.province_choices(province)
    if provinces is None:
        return province
    field = forms.ModelChoiceField(
        label=_("Tỉnh, thành phố"), required=False, queryset=provinces, to_field_name="code"
    )
    fields = {}
    for name, existing in form.fields.items():
        if name == before:
            fields["province"] = field
        fields[name] = existing
    form.fields = fields
    chosen = None
    if form.is_bound:
        # The field's own reading: an odd value (a NUL byte, a list) is no province.
        with suppress(forms.ValidationError):
            chosen = field.clean(form.data.get("province"))
    return chosen.code if chosen else province


def offer_named_units_only(form, names: tuple[str, ...]) -> tuple[str, ...]:
    """The country's district, commune and ward lists (no province chosen) would be 14,000
    options: each of `names` offers only the unit the request names, which is read whatever
    its province (a link, an API client, DESIGN §5); returns `names`."""
    for name in names:
        field = form.fields[name]
        chosen = None
        if form.is_bound:
            every = forms.ModelChoiceField(queryset=field.queryset, required=False)
            # As the province: an odd value (a NUL byte, a list) names no unit.
            with suppress(forms.ValidationError):
                chosen = every.clean(form.data.get(name))
        units = field.queryset
        field.queryset = units.filter(pk=chosen.pk) if chosen else units.none()
        field.empty_label = _("— Chọn tỉnh, thành phố trước —")
    return names


def filter_facilities(
    params, queryset, *, data_token: str | None = None, province: territory.Province = None
):
    """Apply the list filters in `params` (a QueryDict) to `queryset`; return (queryset, form).
    `province` (territory.province_for(user)): the territory the place filters offer."""
    form = FacilityFilterForm(params or None, data_token=data_token, province=province)
    if not form.is_valid():
        return queryset.order_by(*SORTS["name"]), form
    data = form.cleaned_data
    queryset = queryset.search(data["q"])
    if data.get("province"):
        queryset = queryset.filter(province=data["province"].code)
    if data["old_province"]:
        queryset = queryset.filter(commune__parent__parent=data["old_province"])
    if data["district"]:
        queryset = queryset.filter(commune__parent=data["district"])
    if data["commune"]:
        queryset = queryset.filter(commune=data["commune"])
    if data["ward"]:
        queryset = queryset.filter(ward=data["ward"])
    if data["division"]:
        queryset = queryset.filter(industry__code__startswith=data["division"].code)
    if data["size"]:
        queryset = queryset.filter(size_class_q(data["size"]))
    for field in ("ownership", "status"):
        if data[field]:
            queryset = queryset.filter(**{field: data[field]})
    for field in ("high_pollution_risk", "key_energy_user"):
        if data[field] in ("0", "1"):
            queryset = queryset.filter(**{field: data[field] == "1"})
    if data["industrial_area"]:
        queryset = queryset.filter(industrial_area=data["industrial_area"])
    return queryset.order_by(*SORTS.get(data["sort"] or "name", SORTS["name"])), form


def filter_problems(form: FacilityFilterForm) -> str:
    """An invalid filter form's errors as one text, each naming its filter."""
    lines = [_("Điều kiện lọc không hợp lệ nên chưa xuất tệp:")]
    for field in form:
        lines += [f"- {field.label}: {error}" for error in field.errors]
    lines += [f"- {error}" for error in form.non_field_errors()]
    return "\n".join(str(line) for line in lines)


class ProvinceParamForm(forms.Form):
    """The Ministry's (or a superuser's) `?province=CODE` in a national installation: a loaded
    2025 province, or empty for the whole country. An unknown code (an old province's, a typo) is
    refused with the API's message for it, never read as the whole country; the dashboard and
    the missing-reports page answer it with `reports/bad_scope.html` (400)."""

    province = forms.CharField(required=False)

    def clean_province(self):
        code = self.cleaned_data["province"]
        if code and code not in territory.loaded_province_codes():
            raise forms.ValidationError(
                _("Không có %(label)s với mã %(code)s.")
                % {"label": _("tỉnh/thành phố"), "code": code}
            )
        return code
