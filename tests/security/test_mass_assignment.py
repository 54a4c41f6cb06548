"""Mass assignment: every form a facility user can post ignores the fields it does not show. The
test posts the form as the page renders it (so it is accepted) plus a forged value for every other
field of the model, and checks that none of those fields took the forged value."""

from datetime import date, datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import models
from django.urls import reverse

from accounts.models import Role, User
from assessments.models import AnnualReport, Assessment, Option
from facilities.models import Facility

PASSWORD = "Mat-khau-2026"  # UserFactory's password


class FormFields(HTMLParser):
    """The fields of the page's main POST form: `names` all of them, `values` what the browser
    would send as the page fills them in."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.names, self.values = set(), {}
        self._in_main, self._in_form, self._select, self._textarea = False, False, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "main":
            self._in_main = True
        elif tag == "form" and self._in_main and a.get("method", "").lower() == "post":
            self._in_form = not self.values  # the first POST form of <main>
        if not self._in_form or tag in ("main", "form") or "name" not in a and tag != "option":
            return
        if "name" in a:
            self.names.add(a["name"])
        if tag == "input" and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.values[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a["name"]
            self.values.setdefault(a["name"], "")
        elif tag == "option" and self._select:
            # The selected option, else the first that is not blank (so the form is accepted).
            if "selected" in a or not self.values[self._select]:
                self.values[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values[a["name"]] = ""

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def rendered_form(client, url) -> tuple[set, dict]:
    page = client.get(url)
    assert page.status_code == 200, url
    parser = FormFields()
    parser.feed(page.content.decode())
    assert parser.values, f"no POST form on {url}"
    return parser.names, parser.values


def forged_values(instance, shown, *, other_facility, staff) -> dict:
    """A value different from the current one for every editable field the form does not show."""
    forged = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.name in shown or field.attname in shown:
            continue
        current = getattr(instance, field.attname)
        forged[field.name] = _different(field, current, other_facility=other_facility, staff=staff)
    return {name: value for name, value in forged.items() if value is not None}


def _different(field, current, *, other_facility, staff):
    if isinstance(field, models.ForeignKey):
        if field.related_model is Facility:
            return other_facility.pk
        if field.related_model is User:
            return staff.pk
        other = field.related_model.objects.exclude(pk=current).first()
        return other.pk if other else None
    if field.choices:
        return next((value for value, _ in field.flatchoices if value != current), None)
    if isinstance(field, models.BooleanField):
        return "" if current else "on"
    if isinstance(field, models.DateTimeField):
        return "2001-02-03 04:05"
    if isinstance(field, models.DateField):
        return "2001-02-03"
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
        return "7777"
    if isinstance(field, models.CharField | models.TextField):
        return "GIẢ MẠO"
    return None  # JSON and file fields: nothing a form could set


def _stored(instance, name):
    return instance._meta.get_field(name).value_from_object(instance)


def _took_forged_value(instance, name, forged) -> bool:
    value = _stored(instance, name)
    if isinstance(value, bool):
        return value == (forged == "on")
    if isinstance(value, datetime | date):
        return value.isoformat().startswith("2001-02-03")
    if isinstance(value, int | Decimal):
        return str(forged).isdigit() and value == Decimal(str(forged))
    return value == forged


# URL name -> (the record the form edits, its fields that may change as a consequence of the save
# with the reason). The forged fields are all the others.
EDIT_FORMS = {
    "facilities:edit": ("facility", {"updated_at": "auto_now", "search_text": "derived"}),
    "assessments:report_edit": ("report_draft", {"updated_at": "auto_now"}),
    "assessments:assessment_edit": ("assessment_draft", {"updated_at": "auto_now"}),
    "assessments:option_edit": ("option", {}),
}


@pytest.mark.parametrize("name", sorted(EDIT_FORMS))
def test_an_edit_form_ignores_forged_fields(
    client, facility_user, own_records, other_facility, staff, name
):
    key, derived = EDIT_FORMS[name]
    record = own_records[key]
    url = reverse(name, args=[record.pk])
    client.force_login(facility_user)
    names, shown = rendered_form(client, url)
    forged = forged_values(record, {*names, *derived}, other_facility=other_facility, staff=staff)
    assert forged

    response = client.post(url, {**forged, **shown})

    assert response.status_code == 302, response.content.decode()[:2000]
    record.refresh_from_db()
    taken = [name for name, value in forged.items() if _took_forged_value(record, name, value)]
    assert taken == []
    if name == "facilities:edit":
        assert list(record.users.all()) == [facility_user]


# URL name -> the model created, the record the URL names (a key of make_records), and the
# fields the page leaves for the user to fill in.
CREATE_FORMS = {
    "assessments:report_create": (AnnualReport, "facility", {"year": "2017"}),
    "assessments:assessment_create": (Assessment, None, {}),
    "assessments:option_create": (
        Option,
        "assessment_draft",
        {"category": "1", "description": "Thu hồi nước ngưng", "status": "planned"},
    ),
}


@pytest.mark.parametrize("name", sorted(CREATE_FORMS))
def test_a_create_form_ignores_forged_fields(
    client, facility_user, own_records, other_facility, staff, name
):
    model, key, filled = CREATE_FORMS[name]
    url = reverse(name, args=[own_records[key].pk] if key else [])
    client.force_login(facility_user)
    names, shown = rendered_form(client, url)
    forged = forged_values(model(), names, other_facility=other_facility, staff=staff)
    before = set(model.objects.values_list("pk", flat=True))

    response = client.post(url, {**forged, **shown, **filled})

    assert response.status_code == 302, response.content.decode()[:2000]
    (created,) = model.objects.exclude(pk__in=before)
    automatic = {"created_at", "updated_at"}
    taken = [
        field
        for field, value in forged.items()
        if field not in automatic and _took_forged_value(created, field, value)
    ]
    assert taken == []
    owner = created.assessment.facility if model is Option else created.facility
    assert owner == own_records["facility"]


def test_the_password_change_form_sets_only_the_password(client, facility_user, staff):
    client.force_login(facility_user)
    before = {f.attname: getattr(facility_user, f.attname) for f in User._meta.concrete_fields}
    new = "Mot-mat-khau-moi-2026"

    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": new,
            "new_password2": new,
            "role": Role.STAFF,
            "is_staff": "on",
            "is_superuser": "on",
            "username": "quantri",
            "facilities": [],
        },
    )

    assert response.status_code == 302
    facility_user.refresh_from_db()
    after = {f.attname: getattr(facility_user, f.attname) for f in User._meta.concrete_fields}
    assert {k for k in before if before[k] != after[k]} == {"password"}
    assert facility_user.facilities.count() == 1
