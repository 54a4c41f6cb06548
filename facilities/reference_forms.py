"""Forms of the staff pages for reference data: industrial areas and priority sectors."""

from operator import attrgetter

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import PlainTextMixin
from core.text import fold, nfc

from . import territory
from .models import AdminUnit, IndustrialArea, IndustryCode
from .reference import VSIC_VERSION


def province_districts(province: str | None = None):
    """The pre-2025 districts of every old province of the portal's province (or of the 2025
    `province`, territory.province_for(user)): the districts an area may lie in."""
    return territory.old_districts(province)


def offer_districts(field, province: str | None = None) -> None:
    """`field` offers the province_districts, two old districts of one name ("Huyện Châu
    Thành") read with their old provinces (territory.unit_label)."""
    field.queryset = province_districts(province).annotate(label=territory.unit_label())
    field.label_from_instance = attrgetter("label")


def divisions():
    """VSIC 2018 divisions (two-digit codes) with their sections, in code order."""
    return (
        IndustryCode.objects.filter(version=VSIC_VERSION, level=2)
        .select_related("parent")
        .order_by("code")
    )


class IndustrialAreaForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = IndustrialArea
        fields = ("kind", "name", "district")

    def __init__(self, *args, province: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.province = province
        offer_districts(self.fields["district"], province)
        # In a national installation an area belongs to the province of its district: without
        # one it would be every province's to change.
        self.fields["district"].required = settings.PORTAL_SCOPE == "national"

    def clean_name(self):
        return nfc(self.cleaned_data["name"])

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        if name:
            self._check_duplicate(name, cleaned.get("district"))
        return cleaned

    def _check_duplicate(self, name: str, district) -> None:
        """A name is unique among the areas of the area's province, case-insensitively: every
        area in a one-province installation; in a national one those its users work with
        (territory.industrial_areas: the province's own and those in no district), so another
        province's area neither blocks the name nor is named in the message."""
        # Compared in Python: SQLite's case-insensitive lookups only fold ASCII letters, and
        # there are at most a few hundred areas.
        others = self._same_province(district).exclude(pk=self.instance.pk)
        folded = name.casefold()
        for other in others.order_by("name", "pk").values_list("name", flat=True):
            if nfc(other).casefold() == folded:
                message = _("Tên này trùng với khu/cụm công nghiệp “%(name)s” đã có.")
                error = forms.ValidationError(message, code="duplicate", params={"name": other})
                self.add_error("name", error)
                return

    def _same_province(self, district):
        """The areas whose names the new name must differ from (see _check_duplicate): those of
        the chosen district's province, else of the user's."""
        province = self.province
        if settings.PORTAL_SCOPE == "national" and district is not None:
            province = IndustrialArea(district=district).province_2025_code() or province
        return territory.industrial_areas(province)


class IndustrialAreaFilterForm(forms.Form):
    q = forms.CharField(label=_("Tên"), required=False)
    kind = forms.ChoiceField(
        label=_("Loại"),
        required=False,
        choices=[("", _("Tất cả")), *IndustrialArea.Kind.choices],
    )
    district = forms.ModelChoiceField(
        label=_("Huyện"),
        required=False,
        queryset=AdminUnit.objects.none(),
        empty_label=_("Tất cả"),
    )

    def __init__(self, *args, province: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        offer_districts(self.fields["district"], province)
        self.fields["q"].widget.attrs["class"] = "form-control"
        for name in ("kind", "district"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def filter(self, areas):
        """`areas` narrowed to what the (bound) form asks for; unfiltered when it is invalid."""
        if not self.is_valid():
            return areas
        data = self.cleaned_data
        if data["kind"]:
            areas = areas.filter(kind=data["kind"])
        if data["district"]:
            areas = areas.filter(district=data["district"])
        folded = fold(data["q"])
        if folded:
            # Accent- and case-insensitive ("dai an" finds "Đại An"), matched in Python for the
            # same reason as the duplicate check; one query whatever the number of areas.
            names = IndustrialArea.objects.values_list("pk", "name")
            areas = areas.filter(pk__in=[pk for pk, name in names if folded in fold(name)])
        return areas


class PrioritySectorForm(forms.Form):
    divisions = forms.ModelMultipleChoiceField(
        label=_("Ngành ưu tiên của kế hoạch"),
        queryset=IndustryCode.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Mã ngành %(value)s không phải ngành VSIC cấp 2.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["divisions"].queryset = divisions()
