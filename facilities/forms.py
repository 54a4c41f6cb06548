from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import notes
from core.collation import vietnamese
from core.forms import NumberInputMixin, PlainTextMixin
from core.locking import VersionFieldMixin
from core.widgets import PlainSelect

from . import territory
from .models import AdminUnit, Facility, IndustryCode
from .validators import normalize_tax_code


class OldCommuneField(forms.ModelChoiceField):
    """A pre-2025 commune of the portal's old provinces, shown with its district and province."""

    def label_from_instance(self, obj):
        district = obj.parent
        province = district.parent if district else None
        return " – ".join(
            str(part) for part in (f"{obj.name} ({obj.code})", district, province) if part
        )


class WardField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


def ward_candidates(commune, province: str | None = None) -> list:
    """The 2025 communes/wards of the portal's province (or of `province`) that `commune` became
    part of."""
    if commune is None:
        return []
    units = territory.wards(province)
    return list(commune.successors.filter(pk__in=units).order_by(vietnamese("name"), "pk"))


def _names(units) -> str:
    return ", ".join(f"{unit.name} ({unit.code})" for unit in units)


class OperatingYearsMixin:
    """For a ModelForm of an existing facility: a changed established or closing year must keep
    the years of the facility's dated records (annual reports, activities it took part in, its
    options' implementation years) operating years (Facility.records_outside_years). The staff
    form and the Django admin's form call `check_operating_years` from their clean()."""

    def check_operating_years(self, cleaned) -> None:
        changed = {"established_year", "closed_year"} & set(self.changed_data) - set(self.errors)
        if self.instance.pk is None or not changed:
            return
        closed = cleaned.get("closed_year")
        if cleaned.get("status") != Facility.Status.CLOSED:
            closed = None  # not closed: the model refuses a closing year anyway
        problems = self.instance.records_outside_years(cleaned.get("established_year"), closed)
        for name in sorted(changed & set(problems)):
            self.add_error(name, problems[name])


class FacilityRulesMixin:
    """For a ModelForm of a facility: the registry's rules that both the staff form and the Django
    admin's form apply, each in one place. The sector is a VSIC division or finer (2–5 digits),
    as the import asks: a section letter ("C") is no sector the figures can group by (DESIGN §5).
    The closing year is no later than this year and not before the established year
    (Facility.closing_year_problem). A 2025 ward entered with an old commune is one that commune
    became part of (`ward_candidates`), when the old→new mapping knows any."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "industry" in self.fields:
            self.fields["industry"].queryset = IndustryCode.objects.filter(level__gte=2)

    def check_closing_year(self, cleaned) -> None:
        if "closed_year" not in self.errors and (
            problem := Facility.closing_year_problem(
                cleaned.get("closed_year"), cleaned.get("established_year")
            )
        ):
            self.add_error("closed_year", problem)

    def check_ward_matches(self, commune, ward, candidates) -> None:
        """`candidates`: ward_candidates(commune, …), of the territory the form places in."""
        if commune is None or ward is None or not candidates or ward in candidates:
            return
        self.add_error(
            "ward",
            gettext(
                "Xã/phường mới “%(ward)s” không khớp với xã/phường cũ “%(commune)s”: "
                "xã/phường cũ này nay thuộc %(candidates)s."
            )
            % {"ward": ward.name, "commune": commune.name, "candidates": _names(candidates)},
        )


# The history reason of a facility whose closing year was cleared (ClosedYearClearingMixin).
CLOSED_YEAR_CLEARED = _("Xóa năm đóng cửa nhập nhầm (%(year)s)")
notes.register(CLOSED_YEAR_CLEARED, year=r"\d{4}")


def years_after(year: int) -> str:
    """The years from `year` + 1 to this year ("2018–2025"; "2026" when `year` is this year)."""
    first, last = year + 1, timezone.localdate().year
    return f"{first}–{last}" if first < last else str(first)


class ClosedYearClearingMixin:
    """For a ModelForm of a facility with status and closing year: the portal knows no reopening
    (a facility has one closing year), so a facility stored as closed in year Y that the form
    makes not closed counts as operating (aware, applying, missing its reports…) in every year
    after Y in every figure. That is refused unless the `CONFIRM` checkbox says the closing
    year was entered by mistake; the history then records why (CLOSED_YEAR_CLEARED). The
    checkbox is added for a facility stored as closed only (a form that renders its fields
    from a fixed list, as the admin does, declares it with a HiddenInput)."""

    CONFIRM = "closed_year_mistaken"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance
        self.stored_closed_year = (
            stored.closed_year
            if stored.pk is not None and stored.status == Facility.Status.CLOSED
            else None
        )
        if self.stored_closed_year is None:
            return
        year = self.stored_closed_year
        checkbox = forms.BooleanField(
            required=False,
            label=gettext("Năm đóng cửa %(year)s đã nhập nhầm: cơ sở chưa từng đóng cửa")
            % {"year": year},
            help_text=gettext(
                "Chỉ đánh dấu khi đổi tình trạng vì năm đóng cửa đã nhập nhầm. Cổng không ghi "
                "nhận cơ sở hoạt động trở lại: khi xóa năm đóng cửa, cơ sở được tính là đang "
                "hoạt động trong mọi chỉ tiêu ở các năm %(years)s."
            )
            % {"years": years_after(year)},
        )
        fields = {}
        for name, field in self.fields.items():
            if name != self.CONFIRM:
                fields[name] = field
            if name == "closed_year":
                fields[self.CONFIRM] = checkbox
        fields.setdefault(self.CONFIRM, checkbox)
        self.fields = fields

    def check_closed_year_clearing(self, cleaned) -> None:
        year = self.stored_closed_year
        if year is None or cleaned.get("status") in (None, Facility.Status.CLOSED):
            return
        if not cleaned.get(self.CONFIRM):
            self.add_error(
                self.CONFIRM,
                gettext(
                    "Cơ sở đã đóng cửa năm %(year)s. Bỏ tình trạng đã đóng cửa thì năm đóng cửa "
                    "bị xóa và cơ sở được tính là đang hoạt động trong mọi chỉ tiêu ở các năm "
                    "%(years)s; cổng không ghi nhận cơ sở hoạt động trở lại. Nếu cơ sở vẫn đóng "
                    "cửa, giữ tình trạng đã đóng cửa; chỉ đánh dấu ô xác nhận khi năm đóng cửa "
                    "đã nhập nhầm."
                )
                % {"year": year, "years": years_after(year)},
            )

    def save(self, commit=True):
        if self.stored_closed_year is not None and self.instance.status != Facility.Status.CLOSED:
            self.instance._change_reason = notes.stored(
                CLOSED_YEAR_CLEARED, year=self.stored_closed_year
            )
        return super().save(commit)


class FacilityAdminForm(
    PlainTextMixin,
    FacilityRulesMixin,
    OperatingYearsMixin,
    ClosedYearClearingMixin,
    forms.ModelForm,
):
    """The Django admin's facility form (facilities/admin.py): the staff form's rules of the
    sector, the closing year, the operating years and the old commune's 2025 ward. The ward is
    checked against the commune's successors in every province (a superuser is not limited to
    one), and is taken as entered (the staff form fills it in from the old commune). No Meta:
    the admin builds it (model, its fields and widgets)."""

    # In the admin's field list; a checkbox for a facility stored as closed (the mixin).
    closed_year_mistaken = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        self.check_closing_year(cleaned)
        self.check_operating_years(cleaned)
        self.check_closed_year_clearing(cleaned)
        if "closed_year" in self.errors:
            # Not saved anyway: the model would add "enter the closing year" (FacilityForm).
            cleaned.pop("status", None)
        if not {"commune", "ward"} & set(self.errors):
            commune = cleaned.get("commune")
            candidates = ward_candidates(commune, territory.ALL)
            self.check_ward_matches(commune, cleaned.get("ward"), candidates)
        return cleaned


class FacilityForm(
    NumberInputMixin,
    VersionFieldMixin,
    FacilityRulesMixin,
    OperatingYearsMixin,
    ClosedYearClearingMixin,
    forms.ModelForm,
):
    """Staff's facility form. The address in both schemes (DESIGN §3), with the import's rules
    (facilities/importing.py): an old commune or a 2025 ward or both; both must agree with the
    old→new mapping; the ward follows from an old commune that became one ward only (also when
    only the old commune was changed, unless the ward was entered without one). An old commune
    that became several leaves the ward empty (`ward_warning` says so; the facility is then
    listed as needing a 2025 address)."""

    commune = OldCommuneField(
        label=_("Xã/phường cũ (trước 1/7/2025)"),
        queryset=AdminUnit.objects.none(),  # the portal's old communes: __init__
        required=False,
        help_text=_("Theo địa giới trước 1/7/2025; để trống nếu không rõ."),
    )
    ward = WardField(
        label=_("Xã/phường mới (từ 1/7/2025)"),
        queryset=AdminUnit.objects.none(),  # the portal's 2025 wards: __init__
        required=False,
        help_text=_(
            "Để trống thì lấy theo xã/phường cũ nếu xã/phường cũ chỉ thuộc một xã/phường mới."
        ),
    )

    class Meta:
        model = Facility
        fields = (
            "name",
            "tax_code",
            "address",
            "commune",
            "ward",
            "industrial_area",
            "industry",
            "ownership",
            "legal_form",
            "established_year",
            "employees",
            "revenue_bn_vnd",
            "capital_bn_vnd",
            "main_products",
            "high_pollution_risk",
            "key_energy_user",
            "status",
            "closed_year",
            "contact_name",
            "contact_phone",
            "contact_email",
        )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ward_warning = ""
        # The portal's province is read now (settings may differ between requests and tests);
        # a national installation's staff member places facilities in their own province.
        self.province = territory.province_for(user)
        self.fields["commune"].queryset = (
            territory.old_communes(self.province)
            .select_related("parent__parent")
            .order_by("parent__parent__code", vietnamese("parent__name"), vietnamese("name"), "pk")
        )
        self.fields["ward"].queryset = territory.wards(self.province)
        if "industrial_area" in self.fields:
            self.fields["industrial_area"].queryset = territory.industrial_areas(self.province)
        for name in ("commune", "ward"):
            field = self.fields[name]
            field.widget = PlainSelect(attrs=field.widget.attrs, choices=field.widget.choices)

    def clean_tax_code(self):
        # The form the import stores (full-width digits typed on a phone become ASCII), so the
        # same code typed either way finds the one facility.
        return normalize_tax_code(self.cleaned_data.get("tax_code"))

    def clean(self):
        cleaned = super().clean()
        self.check_closing_year(cleaned)
        self.check_operating_years(cleaned)
        self.check_closed_year_clearing(cleaned)
        if "closed_year" in self.errors:
            # Not saved anyway; without this the model would add "enter the closing year when
            # the facility has closed" to the year's own error.
            cleaned.pop("status", None)
        if {"commune", "ward"} & set(self.errors):
            return cleaned
        commune, ward = cleaned.get("commune"), cleaned.get("ward")
        candidates = ward_candidates(commune, self.province)
        if (
            commune is not None
            and self.instance.commune_id is not None
            and "commune" in self.changed_data
            and "ward" not in self.changed_data
        ):
            # A changed old commune: its ward again, as the import does. Not a ward entered
            # on its own (no old commune before): that one is checked against the commune.
            ward = None
        if ward is not None:
            self.check_ward_matches(commune, ward, candidates)
            return cleaned
        if commune is None:
            self.add_error(
                "ward",
                gettext("Cần chọn xã/phường mới (từ 1/7/2025) hoặc xã/phường cũ (trước 1/7/2025)."),
            )
            return cleaned
        stored = (
            self.instance.ward if self.instance.pk and "ward" not in self.changed_data else None
        )
        if len(candidates) == 1:
            cleaned["ward"] = candidates[0]
        elif stored is not None and stored in candidates:
            cleaned["ward"] = stored
        else:
            cleaned["ward"] = None
            self.ward_warning = self._warning(commune, candidates)
        return cleaned

    @staticmethod
    def _warning(commune, candidates) -> str:
        if candidates:
            return gettext(
                "Xã/phường cũ “%(commune)s” nay thuộc nhiều xã/phường mới: %(candidates)s. "
                "Cơ sở chưa có xã/phường từ 1/7/2025; hãy chọn xã/phường mới khi xác định được."
            ) % {"commune": commune.name, "candidates": _names(candidates)}
        return gettext(
            "Danh mục chưa có xã/phường từ 1/7/2025 nào ứng với xã/phường cũ “%(commune)s”; "
            "hãy chọn xã/phường mới."
        ) % {"commune": commune.name}


class FacilityContactForm(PlainTextMixin, VersionFieldMixin, forms.ModelForm):
    """What a facility's own representative may change."""

    class Meta:
        model = Facility
        fields = Facility.SELF_EDITABLE_FIELDS


class FacilityCloseForm(PlainTextMixin, forms.ModelForm):
    """Record that a facility has closed; the status becomes closed."""

    class Meta:
        model = Facility
        fields = ("closed_year",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closed_year"].required = True

    def clean_closed_year(self):
        year = self.cleaned_data["closed_year"]
        problem = Facility.closing_year_problem(year, self.instance.established_year)
        if not problem:
            problem = self.instance.records_outside_years(None, year).get("closed_year")
        if problem:
            raise forms.ValidationError(problem)
        return year

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("closed_year") is not None:
            # Validate the instance as it will be saved: closed, with that year. Only with a
            # valid year: otherwise the model would add "enter the closing year" to the
            # field's own error.
            self.instance.status = Facility.Status.CLOSED
        return cleaned
