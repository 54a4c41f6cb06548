"""Forms of programme activities: the activity, its participants, and the list filters."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from core.collation import vietnamese
from core.forms import IntegerInputField, NumberInputMixin
from core.locking import VersionFieldMixin
from core.text import fold
from facilities import territory
from facilities.filters import choose_province_first, offer_named_units_only
from facilities.models import AdminUnit, Facility
from facilities.reference_forms import offer_districts

from .assessment_forms import FormTokenMixin
from .form_utils import DATE, label_blank_choices, style_list_filters
from .models import Activity, Participation


class ActivityForm(NumberInputMixin, FormTokenMixin, VersionFieldMixin, forms.ModelForm):
    """An edit carries the version it was loaded with (optimistic locking, core/locking.py); the
    participants are saved with the activity, so the version guards them too. The creation form
    carries a one-time token (FormTokenMixin): sent twice, it stores one activity.
    `participants`, the ParticipationFormSet saved with it: the date is then judged against the
    participants that formset leaves (`participants_allowed`), not against the stored ones, so
    that one save may both move the activity to a later date and remove all its participants."""

    class Meta:
        model = Activity
        fields = (
            "kind",
            "title",
            "date",
            "district",
            "ward",
            "description",
            "budget_province_vnd",
            "budget_national_vnd",
            "budget_enterprise_vnd",
            "budget_other_vnd",
        )
        widgets = {"date": DATE, "description": forms.Textarea(attrs={"rows": 3})}
        # Which unit applies to which dates (Activity._check_place, DESIGN §3).
        labels = {
            "district": _("Huyện cũ (trước 1/7/2025)"),
            "ward": _("Xã/phường mới (từ 1/7/2025)"),
        }
        help_texts = {
            "district": _("Cho hoạt động tổ chức trước ngày 01/07/2025; để trống nếu không rõ."),
            "ward": _(
                "Cho hoạt động tổ chức từ ngày 01/07/2025 (không còn cấp huyện); để trống nếu "
                "không rõ."
            ),
        }

    def __init__(self, *args, user=None, participants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.participants = participants
        if participants is not None:
            self.instance.participants_checked_on_save = True
        # A national installation's staff member places activities in their own province.
        province = territory.province_for(user) if user else None
        offer_districts(self.fields["district"], province)
        self.fields["ward"].queryset = territory.wards(province)
        label_blank_choices(self)

    def participants_allowed(self) -> bool:
        """Whether the activity, as edited, may have the participants its valid formset leaves
        it (Activity.check_participants_after_save); else the refusal goes to the date field.
        Call it inside the save's transaction, the activity's row locked (is_stale), right
        before saving: the check and the save then see the same participants."""
        if self.participants is None:
            return True
        try:
            self.instance.check_participants_after_save(self.participants.participants_after_save())
        except ValidationError as refusal:
            self.add_error(None, refusal)
            return False
        return True

    def save(self, commit=True):
        # The province that holds it: its ward's, else its district's, else the staff member's
        # (Activity.province).
        self.instance.province = self.instance.holding_province(self.user)
        return super().save(commit)


class ParticipationForm(NumberInputMixin, forms.ModelForm):
    class Meta:
        model = Participation
        fields = ("facility", "people")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        facility = self.fields["facility"]
        # The facilities the staff member may see (a national installation: their province),
        # and a stored row's own facility, also one that has since moved to another province.
        facilities = Facility.objects.all()
        if user:
            facilities = facilities.filter(
                Q(pk__in=Facility.objects.visible_to(user).values("pk"))
                | Q(pk=self.instance.facility_id)
            )
        facility.queryset = facilities.order_by(vietnamese("name"), "pk")
        facility.label = _("Cơ sở")
        label_blank_choices(self, _("— Chọn cơ sở —"))
        # The true limits, told in the model's words: not the column's (≥ 0, ≤ 2.147.483.647).
        people = self.fields["people"] = IntegerInputField(
            required=False,
            label=_("Số người"),
            min_value=Participation.MIN_PEOPLE,
            max_value=Participation.MAX_PEOPLE,
            error_messages=Participation.people_messages(),
        )
        people.widget.attrs.update(placeholder="1")
        # An empty extra row must stay unchanged, so it is skipped rather than validated.
        if not self.instance.pk:
            self.initial.pop("people", None)

    def clean_people(self):
        people = self.cleaned_data["people"]
        return Participation.MIN_PEOPLE if people is None else people


class BaseParticipationFormSet(forms.BaseInlineFormSet):
    def get_unique_error_message(self, unique_check):
        # Django's names the model field ("facility"); one facility twice among the new rows.
        return _("Mỗi cơ sở chỉ được chọn một lần: hãy bỏ các dòng trùng.")

    def participants_after_save(self) -> int:
        """How many participants the activity has once this valid formset is saved: its stored
        rows not marked for deletion and the new rows filled in (the empty ones are skipped)."""
        return sum(
            1
            for form in self.forms
            if not (self.can_delete and self._should_delete_form(form))
            and (form.instance.pk or form.has_changed())
        )


ParticipationFormSet = inlineformset_factory(
    Activity,
    Participation,
    form=ParticipationForm,
    formset=BaseParticipationFormSet,
    extra=3,
    can_delete=True,
)


class ActivityFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tên hoạt động"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(
            attrs={"placeholder": _("Tên hoạt động (gõ có dấu hay không dấu đều được)")}
        ),
    )
    year = forms.TypedChoiceField(label=_("Năm"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(
        label=_("Loại hoạt động"),
        required=False,
        choices=[("", _("Tất cả")), *Activity.Kind.choices],
    )
    # Activities held before 1 July 2025 are placed in old districts, later ones in 2025
    # communes/wards (Activity._check_place).
    district = forms.ModelChoiceField(
        label=_("Huyện cũ"), required=False, queryset=AdminUnit.objects.none()
    )
    ward = forms.ModelChoiceField(
        label=_("Xã/phường mới (từ 1/7/2025)"),
        required=False,
        queryset=AdminUnit.objects.none(),
    )

    def __init__(self, *args, years=(), province: territory.Province = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Tất cả")), *((y, y) for y in years)]
        # form_utils.style_place_filters, with the 2025 wards beside the old districts.
        province = choose_province_first(self, province, before="district")
        self.fields["ward"].queryset = territory.wards(province)
        style_list_filters(self, province)
        if province == territory.ALL:
            offer_named_units_only(self, ("district", "ward"))
        self.fields["q"].widget.attrs["class"] = "form-control form-control-sm"


def search_titles(queryset, text: str):
    """`queryset` narrowed to the activities whose title holds `text`, accent- and
    case-insensitively (core.text.fold, as Facility.search: "hoi thao" finds "Hội thảo").
    Activities keep no folded column, so the titles of `queryset` (already the user's and the
    other filters') are folded here: one query, like the industrial-area search."""
    folded = fold(text)
    if not folded:
        return queryset
    titles = queryset.order_by().values_list("pk", "title")
    return queryset.filter(pk__in=[pk for pk, title in titles if folded in fold(title)])


def filter_activities(params, queryset, *, province: territory.Province = None):
    """Apply the list filters in `params` (a QueryDict) to `queryset`; return (queryset, form).
    `province` (territory.province_for) is the territory whose old districts and 2025 wards are
    offered; the Ministry and a representative of several provinces' facilities choose a
    province first."""
    years = sorted({d.year for d in queryset.dates("date", "year")}, reverse=True)
    form = ActivityFilterForm(params or None, years=years, province=province)
    if not form.is_valid():
        return queryset, form
    data = form.cleaned_data
    if data["year"]:
        queryset = queryset.filter(date__year=data["year"])
    if data["kind"]:
        queryset = queryset.filter(kind=data["kind"])
    if data.get("province"):  # held in the province (Activity.province)
        queryset = queryset.filter(province=data["province"].code)
    if data["district"]:
        queryset = queryset.filter(district=data["district"])
    if data["ward"]:
        queryset = queryset.filter(ward=data["ward"])
    # Last, so that only the titles the other filters left are read.
    queryset = search_titles(queryset, data["q"])
    return queryset, form
