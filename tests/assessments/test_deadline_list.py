"""assessments:deadline_list and deadline_exception — staff set deadlines and grant exceptions."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import DeadlineException, ReportingDeadline

URL = reverse("assessments:deadline_list")
EXCEPTION_URL = reverse("assessments:deadline_exception")


def test_it_works(client, staff):
    ReportingDeadline.objects.create(year=2018, deadline=date(2019, 2, 28))
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 200
    rows = {year: (deadline, custom) for year, deadline, custom in response.context["rows"]}
    assert rows[2018] == (date(2019, 2, 28), True)
    assert rows[2019] == (date(2020, 1, 15), False)
    assert "Chưa có cơ sở nào được gia hạn" in response.text


def test_staff_set_a_deadline(client, staff):
    client.force_login(staff)
    response = client.post(URL, {"year": 2019, "deadline": "2020-03-31"}, follow=True)
    assert "Đã đặt hạn nộp báo cáo năm 2019 là 31/03/2020" in response.text
    assert ReportingDeadline.deadline_for(2019) == date(2020, 3, 31)
    client.post(URL, {"year": 2019, "deadline": "2020-04-30"})  # a second time replaces it
    assert ReportingDeadline.objects.get(year=2019).deadline == date(2020, 4, 30)
    assert ReportingDeadline.objects.get(year=2019).history.count() == 2


def test_staff_grant_an_exception(client, staff, facility):
    until = timezone.localdate() + timedelta(days=10)
    client.force_login(staff)
    data = {"tax_code": facility.tax_code, "year": 2019, "until": until, "reason": "Mất điện"}
    response = client.post(EXCEPTION_URL, data, follow=True)
    assert "Đã cho phép" in response.text
    exception = DeadlineException.objects.get()
    assert (exception.facility, exception.until, exception.granted_by) == (facility, until, staff)
    assert facility.name in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"year": 2010, "deadline": "2011-01-15"}, "kỳ kế hoạch"),
        ({"year": 2019, "deadline": "2019-12-31"}, "Hạn nộp phải sau năm báo cáo"),
        ({"year": 2019, "deadline": "31/12"}, "Nhập một ngày hợp lệ"),
    ],
)
def test_it_rejects_bad_input(client, staff, data, message):
    client.force_login(staff)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert message in response.text
    assert not ReportingDeadline.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("tax_code", "0100109106", "Không có cơ sở mã số thuế"),
        ("until", "2020-01-01", "không được ở quá khứ"),
        ("reason", "", "bắt buộc"),
    ],
)
def test_exception_rejects_bad_input(client, staff, facility, field, value, message):
    data = {"tax_code": facility.tax_code, "year": 2019, "until": "2099-01-01", "reason": "x"}
    data[field] = value
    client.force_login(staff)
    response = client.post(EXCEPTION_URL, data)
    assert response.status_code == 200
    assert message in response.text
    assert not DeadlineException.objects.exists()


def test_it_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["facility_user", "official"])
def test_it_requires_staff(client, who, request, facility):
    client.force_login(request.getfixturevalue(who))
    assert client.post(URL, {"year": 2019, "deadline": "2020-03-31"}).status_code == 403
    data = {"tax_code": facility.tax_code, "year": 2019, "until": "2099-01-01", "reason": "x"}
    assert client.post(EXCEPTION_URL, data).status_code == 403
    assert not ReportingDeadline.objects.exists()
    assert not DeadlineException.objects.exists()


def test_the_two_forms_have_ids_of_their_own(client, staff, facility):
    """Both forms have a year field: each label, and the error summary's link, lead to its
    own form's field."""
    client.force_login(staff)
    page = client.get(URL).text
    assert page.count('id="id_year"') == 1
    assert page.count('id="id_exception_year"') == 1
    assert 'for="id_exception_year"' in page

    data = {"tax_code": facility.tax_code, "year": 2031, "until": "2099-01-01", "reason": "x"}
    response = client.post(EXCEPTION_URL, data)
    assert 'href="#id_exception_year"' in response.text


@pytest.mark.parametrize("state", ["submitted", "approved"])
def test_no_extension_for_a_report_already_handed_in(client, staff, facility, state):
    from ..factories import AnnualReportFactory

    AnnualReportFactory(facility=facility, year=2019, state=state)
    client.force_login(staff)
    data = {"tax_code": facility.tax_code, "year": 2019, "until": "2099-01-01", "reason": "x"}
    response = client.post(EXCEPTION_URL, data)
    assert response.status_code == 200
    assert "Cơ sở đã nộp báo cáo năm 2019; không cần gia hạn." in response.text
    assert not DeadlineException.objects.exists()


def test_no_extension_for_a_year_the_facility_was_closed(client, staff, facility):
    facility.status, facility.closed_year = "closed", 2018
    facility.save()
    client.force_login(staff)
    data = {"tax_code": facility.tax_code, "year": 2019, "until": "2099-01-01", "reason": "x"}
    response = client.post(EXCEPTION_URL, data)
    assert "cơ sở đã đóng cửa năm 2018" in response.text
    assert not DeadlineException.objects.exists()


def test_no_extension_to_a_day_before_the_years_deadline(client, staff, facility):
    """2019's deadline moved to 15 January next year: "until" a day up to it would give the
    facility nothing (its deadline stays the later day), so it is refused rather than announced;
    the day after the deadline is the first that extends it."""
    deadline = date(timezone.localdate().year + 1, 1, 15)
    ReportingDeadline.objects.create(year=2019, deadline=deadline)
    client.force_login(staff)
    data = {"tax_code": facility.tax_code, "year": 2019, "reason": "Mất điện"}
    for until in (deadline, timezone.localdate()):
        response = client.post(EXCEPTION_URL, {**data, "until": until})
        assert response.status_code == 200
        assert response.context["exception_form"].errors["until"] == [
            f"Ngày gia hạn phải sau hạn nộp báo cáo năm 2019 của cơ sở ({deadline:%d/%m/%Y}); "
            "đến hạn đó cơ sở vẫn nộp được mà không cần gia hạn."
        ]
    assert not DeadlineException.objects.exists()
    response = client.post(EXCEPTION_URL, {**data, "until": deadline + timedelta(days=1)})
    assert response.status_code == 302
    assert DeadlineException.objects.get().until == deadline + timedelta(days=1)
