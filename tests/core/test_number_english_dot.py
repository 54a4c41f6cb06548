"""One dot followed by exactly three digits ("17.400", "1.250") in the English UI: an English
reader means seventeen point four, the Vietnamese notation the portal uses says seventeen
thousand four hundred. Read as 17400 without a word it was a figure 1.000 times too big, so in
English it is refused with both readings offered, as "2,500" is (test_number_english_comma.py);
in Vietnamese it stays 17400. "1.234.567" and "1.234,5" are unambiguous and read as before
(core/number_input.py)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from assessments.models import AnnualReport
from core.number_input import parse_number

from ..assessments.report_helpers import report_data
from ..factories import AnnualReportFactory
from .test_number_english_comma import ENGLISH

pytestmark = pytest.mark.django_db


def _url(report):
    return reverse("assessments:report_edit", args=[report.pk])


def _speaking(user, language):
    User.objects.filter(pk=user.pk).update(language=language)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def draft(facility):
    return AnnualReportFactory(facility=facility, year=2019, state="draft")


@pytest.mark.parametrize(
    ("typed", "decimal", "thousands"),
    [
        ("17.400", "17,4", "17400"),
        ("1.250", "1,25", "1250"),
        ("2.500", "2,5", "2500"),
        ("12.000", "12", "12000"),
        ("1.234", "1,2340", "1234"),  # 1,234 itself would be asked again
    ],
)
def test_english_one_dot_three_digits_is_refused_with_both_readings(
    client, facility_user, draft, typed, decimal, thousands
):
    client.force_login(_speaking(facility_user, "en"))
    before = draft.coal_t

    response = client.post(_url(draft), report_data(coal_t=typed))

    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.coal_t == before
    errors = response.context["form"].errors["coal_t"]
    assert errors == [ENGLISH % {"value": typed, "decimal": decimal, "thousands": thousands}]
    assert f'name="coal_t" value="{typed}"' in response.text  # shown back as typed


def test_a_staff_entered_report_in_english_is_not_saved_with_the_slip(client, staff, facility):
    client.force_login(_speaking(staff, "en"))
    url = reverse("assessments:report_create", args=[facility.pk])

    response = client.post(url, report_data(coal_t="17.400"))

    assert response.status_code == 200
    assert "did you mean 17,4 or 17400?" in response.text
    assert not AnnualReport.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("17,4", Decimal("17.4")),
        ("17400", Decimal("17400")),
        ("17 400", Decimal("17400")),
        ("1.234.567", Decimal("1234567")),
        ("1.234,5", Decimal("1234.5")),
    ],
)
def test_english_unambiguous_entries_are_taken(client, facility_user, draft, typed, stored):
    client.force_login(_speaking(facility_user, "en"))

    response = client.post(_url(draft), report_data(electricity_kwh=typed))

    assert response.status_code == 302, response.context["form"].errors
    draft.refresh_from_db()
    assert draft.electricity_kwh == stored


def test_vietnamese_keeps_reading_one_dot_as_thousands(client, facility_user, draft):
    client.force_login(_speaking(facility_user, "vi"))

    assert client.post(_url(draft), report_data(coal_t="17.400")).status_code == 302

    draft.refresh_from_db()
    assert draft.coal_t == Decimal("17400")


def test_in_english_a_whole_number_field_offers_the_whole_reading_only(
    client, facility_user, draft
):
    client.force_login(_speaking(facility_user, "en"))
    before = draft.employees

    response = client.post(_url(draft), report_data(employees="1.200"))

    assert response.status_code == 200
    assert response.context["form"].errors["employees"] == [
        "You typed 1.200 — a whole number is needed here; if you mean 1200, type 1200."
    ]
    draft.refresh_from_db()
    assert draft.employees == before


def test_in_english_a_dot_not_followed_by_three_digits_offers_a_reading_taken_there(
    client, facility_user, draft
):
    """ "58.3" was already asked (58,3 or 58.300?); in English 58.300 would be asked again."""
    client.force_login(_speaking(facility_user, "en"))

    response = client.post(_url(draft), report_data(coal_t="58.3"))

    assert response.context["form"].errors["coal_t"] == [
        "You typed 58.3 — did you mean 58,3 or 58300? Use a comma for the decimals."
    ]
    assert client.post(_url(draft), report_data(coal_t="58300")).status_code == 302


@pytest.mark.parametrize(
    ("typed", "offered"),
    [
        ("17.400", ["17,4", "17400"]),
        ("-17.400", ["-17,4", "-17400"]),
        ("1.234", ["1,2340", "1234"]),
        ("999.000", ["999", "999000"]),
    ],
)
def test_in_english_every_reading_offered_is_accepted(typed, offered):
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            parse_number(typed)
        assert refused.value.code == "ambiguous"
        readings = [refused.value.params["decimal"], refused.value.params["thousands"]]
        assert readings == offered
        assert parse_number(readings[0]) == Decimal(typed.replace(".", ",").replace(",", "."))
        assert parse_number(readings[1]) == Decimal(typed.replace(".", ""))


@pytest.mark.parametrize("typed", ["1.234.567", "1.234,5", "17.400,25", "0,350", "12.5000"])
def test_in_english_other_dots_are_read_or_refused_as_in_vietnamese(typed):
    def read():
        try:
            return parse_number(typed)
        except ValidationError as error:
            return error.code

    with translation.override("vi"):
        vietnamese = read()
    with translation.override("en"):
        assert read() == vietnamese


@pytest.mark.parametrize(
    ("stored", "english", "vietnamese"),
    [
        (Decimal("17400"), "17400", "17.400"),
        (Decimal("1234567"), "1.234.567", "1.234.567"),
        (Decimal("1234.5"), "1.234,5", "1.234,5"),
    ],
)
def test_in_english_a_stored_value_is_shown_so_that_it_reads_back(
    client, facility_user, draft, stored, english, vietnamese
):
    AnnualReport.objects.filter(pk=draft.pk).update(electricity_kwh=stored)
    client.force_login(_speaking(facility_user, "en"))

    assert f'name="electricity_kwh" value="{english}"' in client.get(_url(draft)).text
    response = client.post(_url(draft), report_data(electricity_kwh=english))
    assert response.status_code == 302, response.context["form"].errors
    draft.refresh_from_db()
    assert draft.electricity_kwh == stored

    client.force_login(_speaking(facility_user, "vi"))
    assert f'name="electricity_kwh" value="{vietnamese}"' in client.get(_url(draft)).text
