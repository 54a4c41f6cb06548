"""A facility's operating years (established, closed) cannot leave out any year it already has
dated records for: its annual reports, the activities it took part in (the activity's date)
and its options' implementation years. Participation.clean and Option.clean refuse a year the
facility was not operating in, so a new year that left such a record outside would make the
activity or the option impossible to save again. The edit form, the close form, the import and
the Django admin refuse such a change (Facility.records_outside_years)."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Role
from assessments.models import Participation
from facilities.models import Facility
from tests.factories import (
    ActivityFactory,
    AnnualReportFactory,
    AssessmentFactory,
    FacilityFactory,
    IndustryCodeFactory,
    OptionFactory,
    UserFactory,
)

from ..factories import make_tax_code
from .edit_helpers import post_edit
from .import_helpers import csv_bytes, good_row, make_references

TAIL = "nếu các mục đó ghi sai, đề nghị quản trị viên sửa hoặc xoá chúng trước."


def before_established(records: str, year: int) -> str:
    return f"Cơ sở đã có {records} trước năm thành lập {year}: kiểm tra lại năm thành lập; {TAIL}"


def after_closing(records: str, year: int) -> str:
    return f"Cơ sở đã có {records} sau năm đóng cửa {year}: kiểm tra lại năm đóng cửa; {TAIL}"


def _took_part(facility, day: date):
    activity = ActivityFactory(date=day)
    Participation.objects.create(activity=activity, facility=facility, people=3)
    return activity


def _option(facility, year, status="done"):
    return OptionFactory(
        assessment=AssessmentFactory(facility=facility), implementation_year=year, status=status
    )


@pytest.fixture
def facility(db):
    return FacilityFactory(industry=IndustryCodeFactory(code="10", level=2))


# --- The edit and close forms -----------------------------------------------------------------


def test_edit_form_refuses_establishing_after_an_activity_it_took_part_in(client, staff, facility):
    _took_part(facility, date(2016, 5, 10))
    client.force_login(staff)
    response = post_edit(client, facility, established_year="2017")
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "established_year": [before_established("lượt tham gia hoạt động năm 2016", 2017)]
    }
    facility.refresh_from_db()
    assert facility.established_year == 2010


def test_edit_form_refuses_closing_before_an_options_implementation_year(client, staff, facility):
    _option(facility, 2019)
    _option(facility, None, status="planned")  # no year: nothing to keep
    client.force_login(staff)
    response = post_edit(client, facility, status="closed", closed_year="2018")
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "closed_year": [after_closing("giải pháp thực hiện năm 2019", 2018)]
    }
    facility.refresh_from_db()
    assert (facility.status, facility.closed_year) == ("active", None)


def test_the_message_names_every_kind_of_record(client, staff, facility):
    AnnualReportFactory(facility=facility, year=2016)
    AnnualReportFactory(facility=facility, year=2017, state="draft")
    _took_part(facility, date(2016, 3, 1))
    _took_part(facility, date(2016, 9, 1))  # the same year once
    _option(facility, 2015)
    _option(facility, 2019)  # in the operating years: not named
    client.force_login(staff)
    response = post_edit(client, facility, established_year="2018")
    records = (
        "báo cáo năm 2016, 2017; lượt tham gia hoạt động năm 2016; "
        "đánh giá SXSH lấy năm cơ sở 2016; giải pháp thực hiện năm 2015"
    )
    assert response.context["form"].errors == {
        "established_year": [before_established(records, 2018)]
    }


def test_edit_form_accepts_years_that_keep_every_record(client, staff, facility):
    _took_part(facility, date(2016, 5, 10))
    _option(facility, 2019)
    client.force_login(staff)
    response = post_edit(
        client, facility, established_year="2016", status="closed", closed_year="2019"
    )
    assert response.status_code == 302, response.context["form"].errors
    facility.refresh_from_db()
    assert (facility.established_year, facility.closed_year) == (2016, 2019)


def test_close_form_refuses_closing_before_an_activity(client, staff, facility):
    _took_part(facility, date(2019, 6, 1))
    client.force_login(staff)
    response = client.post(reverse("facilities:close", args=[facility.pk]), {"closed_year": 2018})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "closed_year": [after_closing("lượt tham gia hoạt động năm 2019", 2018)]
    }
    facility.refresh_from_db()
    assert (facility.status, facility.closed_year) == ("active", None)


# --- The import command -----------------------------------------------------------------------


@pytest.fixture
def references(db, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    make_references()


def _import(tmp_path, rows):
    path = tmp_path / "dau.csv"
    path.write_bytes(csv_bytes(rows))
    out = io.StringIO()
    call_command("import_facilities", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_import_refuses_years_that_leave_an_activity_or_an_option_out(references, tmp_path):
    _import(tmp_path, [good_row(1), good_row(2)])
    first = Facility.objects.get(tax_code=make_tax_code(1))
    second = Facility.objects.get(tax_code=make_tax_code(2))
    _took_part(first, date(2016, 5, 10))
    _option(second, 2019)
    rows = [
        good_row(1, established_year="2017"),
        good_row(2, status="closed", closed_year="2018"),
    ]
    path = tmp_path / "sau.csv"
    path.write_bytes(csv_bytes(rows))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_facilities", str(path), stdout=out, stderr=io.StringIO())
    lines = out.getvalue().splitlines()
    established = before_established("lượt tham gia hoạt động năm 2016", 2017)
    assert f"row 2, column established_year: {established}" in lines
    closed = after_closing("giải pháp thực hiện năm 2019", 2018)
    assert f"row 3, column closed_year: {closed}" in lines
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.established_year, second.closed_year) == (2010, None)


# --- The Django admin -------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return UserFactory(username="quantri_h10", role=Role.STAFF, is_staff=True, is_superuser=True)


def _admin_change(client, facility, **changes):
    url = reverse("admin:facilities_facility_change", args=[facility.pk])
    form = client.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is False or value is None:
            value = "" if value is None else None
        if value is not None:
            data[name] = value
    data.update(changes)
    return client.post(url, {k: v for k, v in data.items() if v is not None})


def test_admin_refuses_establishing_after_a_report_or_an_activity(client, superuser, facility):
    AnnualReportFactory(facility=facility, year=2018)
    _took_part(facility, date(2016, 5, 10))
    client.force_login(superuser)
    response = _admin_change(client, facility, established_year="2019")
    assert response.status_code == 200
    records = "báo cáo năm 2018; lượt tham gia hoạt động năm 2016"
    assert response.context["adminform"].form.errors == {
        "established_year": [before_established(records, 2019)]
    }
    facility.refresh_from_db()
    assert facility.established_year == 2010


def test_admin_refuses_closing_before_an_option_and_accepts_a_later_year(
    client, superuser, facility
):
    _option(facility, 2019)
    client.force_login(superuser)
    response = _admin_change(client, facility, status="closed", closed_year="2018")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "closed_year": [after_closing("giải pháp thực hiện năm 2019", 2018)]
    }
    response = _admin_change(client, facility, status="closed", closed_year="2019")
    assert response.status_code == 302
    facility.refresh_from_db()
    assert (facility.status, facility.closed_year) == ("closed", 2019)
