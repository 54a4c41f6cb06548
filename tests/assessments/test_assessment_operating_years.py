"""An assessment lies within its facility's operating years (established .. closed, DESIGN §4):
the years of its start and end dates and its baseline year (Assessment.clean, by the rule of
Facility.not_operating_reason). The forms refuse a year outside them on its field, and a
facility cannot take operating years that leave an assessment's years out
(Facility.records_outside_years, FacilityQuerySet.dated_records)."""

from datetime import date

import pytest
from django.urls import reverse

from assessments.models import Assessment
from facilities.models import Facility
from tests.facilities.edit_helpers import post_edit

from ..factories import AssessmentFactory, FacilityFactory, IndustryCodeFactory

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("assessments:assessment_create")

TAIL = "nếu các mục đó ghi sai, đề nghị quản trị viên sửa hoặc xoá chúng trước."


def outside(what: str, year: int, reason: str) -> str:
    return f"{what} {year} nằm ngoài thời gian hoạt động của cơ sở ({reason})."


def before_established(records: str, year: int) -> str:
    return f"Cơ sở đã có {records} trước năm thành lập {year}: kiểm tra lại năm thành lập; {TAIL}"


def after_closing(records: str, year: int) -> str:
    return f"Cơ sở đã có {records} sau năm đóng cửa {year}: kiểm tra lại năm đóng cửa; {TAIL}"


@pytest.fixture
def young(db):
    """A facility established in 2021."""
    return FacilityFactory(
        name="Công ty TNHH Bao bì Tân Tiến",
        established_year=2021,
        industry=IndustryCodeFactory(code="17", level=2),
    )


@pytest.fixture
def closed(db):
    """A facility that closed in 2019."""
    return FacilityFactory(
        name="Công ty Cổ phần Gạch Đông Triều",
        established_year=2005,
        status=Facility.Status.CLOSED,
        closed_year=2019,
        industry=IndustryCodeFactory(code="23", level=2),
    )


def _form(**changes):
    data = {
        "kind": "detailed",
        "start_date": "2022-03-01",
        "end_date": "2022-04-30",
        "consultant": "Trung tâm Sản xuất sạch Việt Nam (VNCPC)",
        "baseline_year": "2021",
        "funding_source": "",
        "total_cost_vnd": "90000000",
        "supported_amount_vnd": "45000000",
    }
    data.update(changes)
    return data


# --- The staff creation and edit forms --------------------------------------------------------


def test_create_refuses_an_assessment_before_the_facility_was_established(client, staff, young):
    client.force_login(staff)
    response = client.post(
        CREATE_URL,
        _form(
            facility=young.pk, start_date="2019-03-01", end_date="2019-04-30", baseline_year="2018"
        ),
    )
    assert response.status_code == 200
    reason = "cơ sở thành lập năm 2021"
    assert response.context["form"].errors == {
        "start_date": [outside("Năm bắt đầu", 2019, reason)],
        "end_date": [outside("Năm kết thúc", 2019, reason)],
        "baseline_year": [outside("Năm cơ sở", 2018, reason)],
    }
    assert outside("Năm bắt đầu", 2019, reason) in response.text
    assert not Assessment.objects.exists()


def test_create_refuses_a_baseline_year_before_the_facility_was_established(client, staff, young):
    client.force_login(staff)
    response = client.post(CREATE_URL, _form(facility=young.pk, baseline_year="2020"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "baseline_year": [outside("Năm cơ sở", 2020, "cơ sở thành lập năm 2021")]
    }
    assert not Assessment.objects.exists()


def test_create_refuses_an_end_after_the_facility_closed(client, staff, closed):
    client.force_login(staff)
    response = client.post(
        CREATE_URL,
        _form(
            facility=closed.pk, start_date="2019-11-15", end_date="2020-01-10", baseline_year="2018"
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "end_date": [outside("Năm kết thúc", 2020, "cơ sở đã đóng cửa năm 2019")]
    }
    assert not Assessment.objects.exists()


def test_create_accepts_the_operating_years_bounds(client, staff, young, closed):
    client.force_login(staff)
    response = client.post(
        CREATE_URL,
        _form(
            facility=young.pk, start_date="2021-05-01", end_date="2021-06-30", baseline_year="2021"
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    response = client.post(
        CREATE_URL,
        _form(
            facility=closed.pk, start_date="2019-03-01", end_date="2019-12-31", baseline_year="2005"
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Assessment.objects.count() == 2


def test_edit_refuses_moving_the_end_after_the_facility_closed(client, staff, closed):
    assessment = AssessmentFactory(
        facility=closed,
        state="submitted",
        start_date=date(2019, 10, 1),
        end_date=date(2019, 11, 30),
        baseline_year=2018,
    )
    client.force_login(staff)
    url = reverse("assessments:assessment_edit", args=[assessment.pk])
    response = client.post(
        url,
        _form(
            start_date="2019-10-01",
            end_date="2020-01-15",
            baseline_year="2018",
            version=assessment.version,
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "end_date": [outside("Năm kết thúc", 2020, "cơ sở đã đóng cửa năm 2019")]
    }
    assessment.refresh_from_db()
    assert (assessment.end_date, assessment.state) == (date(2019, 11, 30), "submitted")


def test_edit_refuses_a_baseline_year_before_the_facility_was_established(client, staff, young):
    assessment = AssessmentFactory(
        facility=young, state="draft", start_date=date(2022, 3, 1), baseline_year=2021
    )
    client.force_login(staff)
    url = reverse("assessments:assessment_edit", args=[assessment.pk])
    response = client.post(url, _form(baseline_year="2020", version=assessment.version))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "baseline_year": [outside("Năm cơ sở", 2020, "cơ sở thành lập năm 2021")]
    }
    assessment.refresh_from_db()
    assert (assessment.baseline_year, assessment.state) == (2021, "draft")


def test_the_admin_refuses_a_year_outside_the_operating_years(admin_client, young):
    assessment = AssessmentFactory(facility=young, baseline_year=2021)
    data = {
        "facility": str(young.pk),
        "kind": assessment.kind,
        "start_date": "2019-03-01",
        "end_date": "",
        "consultant": assessment.consultant,
        "baseline_year": "2018",
        "funding_source": "",
        "total_cost_vnd": str(assessment.total_cost_vnd),
        "supported_amount_vnd": str(assessment.supported_amount_vnd),
        "state": assessment.state,
        "review_comment": "",
        "created_by": "",
        "options-TOTAL_FORMS": "0",
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
        "_save": "Lưu",
    }
    url = reverse("admin:assessments_assessment_change", args=[assessment.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    reason = "cơ sở thành lập năm 2021"
    assert response.context["adminform"].form.errors == {
        "start_date": [outside("Năm bắt đầu", 2019, reason)],
        "baseline_year": [outside("Năm cơ sở", 2018, reason)],
    }
    assessment.refresh_from_db()
    assert (assessment.start_date, assessment.baseline_year) == (None, 2021)


# --- The facility keeps its assessments' years --------------------------------------------------


def test_facility_form_refuses_establishing_after_an_assessment(client, staff, young):
    AssessmentFactory(
        facility=young, start_date=date(2022, 3, 1), end_date=date(2022, 4, 1), baseline_year=2021
    )
    client.force_login(staff)
    response = post_edit(client, young, established_year="2023")
    assert response.status_code == 200
    records = "đánh giá SXSH năm 2022; đánh giá SXSH lấy năm cơ sở 2021"
    assert response.context["form"].errors == {
        "established_year": [before_established(records, 2023)]
    }
    young.refresh_from_db()
    assert young.established_year == 2021


def test_facility_form_refuses_establishing_after_a_baseline_year(client, staff, young):
    AssessmentFactory(facility=young, baseline_year=2021)  # no dates yet
    client.force_login(staff)
    response = post_edit(client, young, established_year="2022")
    assert response.context["form"].errors == {
        "established_year": [before_established("đánh giá SXSH lấy năm cơ sở 2021", 2022)]
    }
    young.refresh_from_db()
    assert young.established_year == 2021


def test_facility_form_refuses_closing_before_an_assessment_ended(client, staff, young):
    AssessmentFactory(
        facility=young, start_date=date(2022, 11, 1), end_date=date(2023, 1, 15), baseline_year=2021
    )
    client.force_login(staff)
    response = post_edit(client, young, status="closed", closed_year="2022")
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "closed_year": [after_closing("đánh giá SXSH năm 2023", 2022)]
    }
    young.refresh_from_db()
    assert (young.status, young.closed_year) == ("active", None)


def test_facility_form_accepts_years_that_keep_the_assessment(client, staff, young):
    AssessmentFactory(
        facility=young, start_date=date(2022, 3, 1), end_date=date(2023, 2, 1), baseline_year=2022
    )
    client.force_login(staff)
    response = post_edit(
        client, young, established_year="2022", status="closed", closed_year="2023"
    )
    assert response.status_code == 302, response.context["form"].errors
    young.refresh_from_db()
    assert (young.established_year, young.closed_year) == (2022, 2023)
