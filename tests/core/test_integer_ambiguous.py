"""An ambiguous entry in a whole-number field (employees, trained staff) is offered its whole
reading only: "12.5" is not asked "12,5 or 12.500?", since 12,5 is refused there anyway."""

import pytest
from django.urls import reverse

from accounts.models import User

from ..assessments.report_helpers import report_data
from ..factories import AnnualReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(facility):
    return AnnualReportFactory(facility=facility, year=2019, state="draft")


def _errors(client, user, draft, language, **fields):
    User.objects.filter(pk=user.pk).update(language=language)
    client.force_login(User.objects.get(pk=user.pk))
    url = reverse("assessments:report_edit", args=[draft.pk])
    response = client.post(url, report_data(**fields))
    assert response.status_code == 200
    return response.context["form"].errors


def test_a_dotted_whole_number_is_offered_its_thousands_reading(client, facility_user, draft):
    errors = _errors(client, facility_user, draft, "vi", employees="12.5")
    assert errors["employees"] == [
        "Bạn nhập 12.5 — ở đây phải là số nguyên; nếu ý là 12.500, hãy ghi 12.500."
    ]


def test_in_english_2_500_employees_is_offered_2_500_only(client, facility_user, draft):
    errors = _errors(client, facility_user, draft, "en", employees="2,500")
    assert errors["employees"] == [
        "You typed 2,500 — a whole number is needed here; if you mean 2500, type 2500."
    ]


def test_no_thousands_reading_says_a_whole_number_is_needed(client, facility_user, draft):
    errors = _errors(client, facility_user, draft, "vi", employees="1234.5")
    assert errors["employees"] == [
        "Bạn nhập 1234.5 — ở đây phải là số nguyên (không có phần thập phân)."
    ]


def test_english_grouping_of_a_whole_number_is_told_the_vietnamese_way(
    client, facility_user, draft
):
    """1,500,000 is whole: the refusal says it is the English notation and how to write it, as a
    decimal field's does, not that it must be whole."""
    errors = _errors(client, facility_user, draft, "en", employees="1,500,000")
    assert errors["employees"] == [
        "You typed 1,500,000 — that is the English notation. Write it the Vietnamese way: "
        "1.500.000 (a dot separates thousands, a comma marks decimals)."
    ]
    errors = _errors(client, facility_user, draft, "vi", employees="1,500,000")
    assert errors["employees"][0].startswith("Bạn nhập 1,500,000 — đây là cách viết tiếng Anh.")


def test_a_facility_user_reaches_the_indicator_definitions(client, facility_user):
    """The benchmark score and the quality warnings on a facility's pages are explained on the
    help page: every signed-in user's menu links to it."""
    client.force_login(facility_user)
    page = client.get(reverse("home"), follow=True).text
    assert reverse("reports:help") in page
    assert client.get(reverse("reports:help")).status_code == 200
