"""Small pieces shared by the assessment, activity and annual-report forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import DayFirstDateInput
from facilities import territory
from facilities.filters import choose_province_first, offer_named_units_only
from facilities.reference_forms import offer_districts
from facilities.territory import old_districts

# dd/mm/yyyy whatever the browser's language (an <input type="date"> follows the browser's).
DATE = DayFirstDateInput()
CHOOSE = _("— Chọn —")


def province_districts(province: str | None = None):
    """Pre-2025 districts of the old provinces that make up the portal's province (or the 2025
    `province` of a national installation's user: territory.province_for)."""
    return old_districts(province)


def label_blank_choices(form, label=CHOOSE) -> None:
    """Give every select's empty choice a Vietnamese label (Django's own, '- Select an option -',
    has no Vietnamese translation)."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None:
                field.empty_label = label
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if choices and choices[0][0] in ("", None) and not isinstance(choices[0][1], list):
                field.choices = [("", label), *choices[1:]]


def style_list_filters(form, province: str | None = None) -> None:
    """What every list's filter form does: `district` offers the province's districts, each
    select's empty choice reads "Tất cả", and the visible fields are small selects."""
    # Two old districts of one name ("Huyện Châu Thành") read with their old provinces.
    offer_districts(form.fields["district"], province)
    label_blank_choices(form, _("Tất cả"))
    for field in form.fields.values():
        if not field.widget.is_hidden:
            field.widget.attrs["class"] = "form-select form-select-sm"


def style_place_filters(
    form, province: territory.Province = None, places: tuple = ("district",)
) -> None:
    """style_list_filters for a list whose user may pick from several provinces' districts
    (territory.province_choices), as the registry list: the `province` select comes first and
    narrows `district` (and a `ward` among `places`: the 2025 wards) to its units; with no
    province chosen the Ministry's place selects offer only the unit the request names (the
    country's districts would be 697)."""
    province = choose_province_first(form, province, before="district")
    if "ward" in places:
        form.fields["ward"].queryset = territory.wards(province)
    style_list_filters(form, province)
    if province == territory.ALL:
        offer_named_units_only(form, places)
