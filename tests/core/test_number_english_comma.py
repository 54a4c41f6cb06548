"""One comma followed by exactly three digits ("2,500") in the English UI: an English reader
means two thousand five hundred, the Vietnamese notation the portal uses says two point five.
Read as 2,5 without a word it was a figure 1.000 times too small (and a staff-entered report is
approved at once), so in English it is refused with both readings offered, each written so
that it reads back in English (2,5 or 2500: "2.500" is asked too, tests/core/
test_number_english_dot.py); in Vietnamese it stays 2,5 (core/number_input.py)."""

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

pytestmark = pytest.mark.django_db

REFUSAL = (
    "Bạn nhập %(value)s — ý là %(decimal)s hay %(thousands)s? "
    "Hãy ghi đúng một trong hai cách đó (dấu phẩy cho phần thập phân)."
)
# Its English, as locale/en has it.
ENGLISH = (
    "You typed %(value)s — did you mean %(decimal)s or %(thousands)s? "
    "Type one of the two as shown (a comma marks decimals)."
)


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
    [("2,500", "2,5", "2500"), ("12,000", "12", "12000"), ("1,250", "1,25", "1250")],
)
def test_english_one_comma_three_digits_is_refused_with_both_readings(
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


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2500", Decimal("2500")),
        ("2 500", Decimal("2500")),
        ("2,5", Decimal("2.5")),
        ("0,350", Decimal("0.35")),
        ("1.234.567", Decimal("1234567")),
    ],
)
def test_english_readings_the_hint_offers_are_taken(client, facility_user, draft, typed, stored):
    client.force_login(_speaking(facility_user, "en"))

    assert client.post(_url(draft), report_data(coal_t=typed)).status_code == 302

    draft.refresh_from_db()
    assert draft.coal_t == stored


def test_vietnamese_keeps_reading_one_comma_as_the_decimal_mark(client, facility_user, draft):
    client.force_login(_speaking(facility_user, "vi"))

    assert client.post(_url(draft), report_data(coal_t="2,500")).status_code == 302

    draft.refresh_from_db()
    assert draft.coal_t == Decimal("2.5")


def test_a_staff_entered_report_in_english_is_not_approved_with_the_slip(client, staff, facility):
    client.force_login(_speaking(staff, "en"))
    url = reverse("assessments:report_create", args=[facility.pk])

    response = client.post(url, report_data(electricity_kwh="12,000"))

    assert response.status_code == 200
    assert "did you mean 12 or 12000?" in response.text
    assert not AnnualReport.objects.exists()


@pytest.mark.parametrize(
    ("typed", "offered"),
    [
        ("2,500", ["2,5", "2500"]),
        ("-2,500", ["-2,5", "-2500"]),
        ("2,345", ["2,3450", "2345"]),  # 2,345 itself would be refused again
        ("999,000", ["999", "999000"]),
    ],
)
def test_in_english_every_reading_offered_is_accepted(typed, offered):
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            parse_number(typed)
        assert refused.value.code == "ambiguous"
        readings = [refused.value.params["decimal"], refused.value.params["thousands"]]
        assert readings == offered
        assert parse_number(readings[0]) == Decimal(typed.replace(",", "."))
        assert parse_number(readings[1]) == Decimal(typed.replace(",", ""))


@pytest.mark.parametrize("typed", ["0,350", "2,5", "2,5000", "1.234,567", "1234,567", "2,50"])
def test_in_english_other_comma_decimals_are_read_as_before(typed):
    with translation.override("vi"):
        vietnamese = parse_number(typed)
    with translation.override("en"):
        assert parse_number(typed) == vietnamese


def test_the_refusal_reads_in_the_readers_language():
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        parse_number("2,500")
    params = {"value": "2,500", "decimal": "2,5", "thousands": "2500"}
    with translation.override("vi"):
        assert refused.value.messages == [REFUSAL % params]
    with translation.override("en"):
        assert refused.value.messages == [ENGLISH % params]


def test_in_english_a_stored_value_is_shown_so_that_it_reads_back(client, facility_user, draft):
    """2,469 t shown as "2,469" would be asked on saving the form unchanged: it is "2,4690"."""
    AnnualReport.objects.filter(pk=draft.pk).update(coal_t=Decimal("2.469"))
    client.force_login(_speaking(facility_user, "en"))

    assert 'value="2,4690"' in client.get(_url(draft)).text
    response = client.post(_url(draft), report_data(coal_t="2,4690"))
    assert response.status_code == 302, response.context["form"].errors
    draft.refresh_from_db()
    assert draft.coal_t == Decimal("2.469")

    client.force_login(_speaking(facility_user, "vi"))
    assert 'value="2,469"' in client.get(_url(draft)).text
