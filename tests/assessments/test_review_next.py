"""Working through the review queue: the queue's rows, the report's page and its review steps
keep the filtered queue (`next`); after an approval or a return the next report waiting in that
same queue opens, or the queue again once none is left after it."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from ..factories import AnnualReportFactory, AssessmentFactory, DistrictFactory, FacilityFactory
from .national_helpers import (  # noqa: F401 (fixtures)
    national,
    staff_bn,
    two_province_facilities,
)

QUEUE = reverse("assessments:review_queue")
BACK_TEXT = "Quay lại danh sách chờ duyệt"
NEXT_TEXT = "Đây là báo cáo chờ duyệt tiếp theo trong danh sách."


def _with_next(url, back):
    return f"{url}?{urlencode({'next': back})}"


def _step(report, step="approve"):
    return reverse(f"assessments:report_{step}", args=[report.pk])


@pytest.fixture
def district(db):
    return DistrictFactory(code="258", name="Huyện Yên Phong")


@pytest.fixture
def waiting(district):
    """Three reports of 2019 of the district waiting, oldest first, among others that the
    queue's filter (year 2019, the district) leaves out."""
    now = timezone.now()

    def report(days_ago, **fields):
        fields.setdefault("facility", FacilityFactory(commune__parent=district))
        fields.setdefault("year", 2019)
        fields.setdefault("state", "submitted")
        return AnnualReportFactory(submitted_at=now - timezone.timedelta(days=days_ago), **fields)

    first, second, third = report(5), report(3), report(1)
    report(4, facility=FacilityFactory())  # another district
    report(2, year=2018)  # another year
    report(2, state="returned")  # no longer waiting
    return [first, second, third]


@pytest.fixture
def back(district):
    return f"{QUEUE}?{urlencode({'year': 2019, 'district': district.pk, 'page': 1})}"


def test_queue_rows_carry_the_queue(client, staff, waiting, back):
    client.force_login(staff)
    response = client.get(back)
    assert list(response.context["page"].object_list) == waiting
    for report in waiting:
        assert _with_next(report.get_absolute_url(), back) in response.text


def test_report_page_keeps_the_queue(client, staff, waiting, back):
    client.force_login(staff)
    response = client.get(_with_next(waiting[0].get_absolute_url(), back))
    assert BACK_TEXT in response.text
    assert f'href="{back}"'.replace("&", "&amp;") in response.text
    assert _with_next(_step(waiting[0]), back) in response.text
    assert _with_next(_step(waiting[0], "return"), back) in response.text
    # The confirmation page posts it back.
    response = client.get(_with_next(_step(waiting[0]), back))
    assert f'name="next" value="{back}"'.replace("&", "&amp;") in response.text


def test_approve_opens_the_next_waiting_report(client, staff, waiting, back):
    first, second, _third = waiting
    client.force_login(staff)
    response = client.post(_step(first), {"confirm": "1", "text": "", "next": back})
    assert response.status_code == 302
    assert response.url == _with_next(second.get_absolute_url(), back)
    first.refresh_from_db()
    assert first.state == "approved"
    response = client.get(response.url)
    assert "Đã duyệt báo cáo" in response.text
    assert NEXT_TEXT in response.text
    assert response.context["report"] == second
    assert BACK_TEXT in response.text


def test_return_opens_the_next_waiting_report(client, staff, waiting, back):
    first, second, _third = waiting
    client.force_login(staff)
    # Posted from the confirmation page reached from the report's page: `next` in the URL.
    response = client.post(
        _with_next(_step(first, "return"), back), {"confirm": "1", "text": "Thiếu số liệu nước."}
    )
    assert response.url == _with_next(second.get_absolute_url(), back)
    first.refresh_from_db()
    assert first.state == "returned"
    assert "Đã trả lại báo cáo cho cơ sở" in client.get(response.url).text


def test_the_next_is_the_one_after_in_the_queue(client, staff, waiting, back):
    first, second, third = waiting
    client.force_login(staff)
    # The first one left waiting (skipped): approving the second leads on to the third.
    response = client.post(_step(second), {"confirm": "1", "next": back})
    assert response.url == _with_next(third.get_absolute_url(), back)


def test_the_last_one_leads_back_to_the_queue(client, staff, waiting, back):
    client.force_login(staff)
    response = client.post(_step(waiting[2]), {"confirm": "1", "next": back})
    assert response.url == back
    response = client.get(response.url)
    assert "Đã duyệt báo cáo" in response.text
    assert list(response.context["page"].object_list) == waiting[:2]


def test_a_whole_queue_one_after_another(client, staff, waiting, back):
    client.force_login(staff)
    url = _with_next(waiting[0].get_absolute_url(), back)
    for report in waiting:
        assert client.get(url).context["report"] == report
        url = client.post(_with_next(_step(report), back), {"confirm": "1"}).url
    assert url == back
    assert "Không có báo cáo nào chờ duyệt" in client.get(url).text


@pytest.mark.parametrize(
    "forged",
    [
        "https://evil.example/assessments/reports/queue/?year=2019",
        "//evil.example/assessments/reports/queue/",
        "/assessments/reports/?year=2019",  # another page of the portal
        "/accounts/logout/",
        "javascript:alert(1)",
    ],
)
def test_a_forged_next_is_ignored(client, staff, waiting, forged):
    first = waiting[0]
    client.force_login(staff)
    response = client.get(_with_next(first.get_absolute_url(), forged))
    assert BACK_TEXT not in response.text
    assert f'href="{_step(first)}"' in response.text  # the review links carry nothing
    response = client.post(_step(first), {"confirm": "1", "next": forged})
    assert response.url == first.get_absolute_url()


def test_a_failed_step_keeps_the_queue(client, staff, waiting, back):
    first = waiting[0]
    first.state = "approved"  # someone else approved it first
    first.save()
    client.force_login(staff)
    response = client.post(_step(first), {"confirm": "1", "next": back}, follow=True)
    assert response.redirect_chain[-1][0] == _with_next(first.get_absolute_url(), back)
    assert "Không thể thực hiện thao tác này" in response.text
    assert BACK_TEXT in response.text


def test_a_facility_user_never_gets_it(client, facility, facility_user, back):
    report = AnnualReportFactory(facility=facility, year=2019, state="returned")
    client.force_login(facility_user)
    response = client.get(_with_next(report.get_absolute_url(), back))
    assert response.status_code == 200
    assert BACK_TEXT not in response.text
    assert 'id="back-to-queue"' not in response.text


def test_the_next_is_only_one_the_reviewer_may_review(client, national, staff_bn):  # noqa: F811
    bac_ninh, hai_phong = two_province_facilities()
    now = timezone.now()
    mine = AnnualReportFactory(facility=bac_ninh, year=2019, state="submitted", submitted_at=now)
    AnnualReportFactory(  # waiting, after `mine`, in another province
        facility=hai_phong, year=2018, state="submitted", submitted_at=now
    )
    queue = f"{QUEUE}?year="
    client.force_login(staff_bn)
    response = client.post(_step(mine), {"confirm": "1", "next": queue})
    assert response.url == queue


def test_other_steps_and_assessments_keep_leading_to_the_record(client, staff, back):
    submitted = AssessmentFactory(state="submitted")
    client.force_login(staff)
    url = reverse("assessments:assessment_approve", args=[submitted.pk])
    response = client.post(url, {"confirm": "1", "next": back})
    assert response.status_code == 302
    assert response.url == submitted.get_absolute_url()
    approved = AnnualReportFactory(year=2019, state="approved")
    response = client.post(
        _step(approved, "reopen"), {"confirm": "1", "text": "Sai số liệu.", "to_state": "returned"}
    )
    assert response.url == approved.get_absolute_url()


# The approval itself (27: its checks, the data-quality rules, the history) plus the queue's
# filters (the year's and the district's choices) and the next report: 30 whatever its length.
MAX_APPROVE_QUERIES = 30


@pytest.mark.parametrize("rows", [3, 20])
def test_approve_queries_do_not_grow_with_the_queue(
    client, staff, district, back, rows, django_assert_max_num_queries
):
    now = timezone.now()
    reports = [
        AnnualReportFactory(
            facility=FacilityFactory(commune__parent=district),
            state="submitted",
            year=2019,
            submitted_at=now + timezone.timedelta(minutes=n),
        )
        for n in range(rows)
    ]
    client.force_login(staff)
    client.get(QUEUE)  # warm the session and the caches
    with django_assert_max_num_queries(MAX_APPROVE_QUERIES):
        response = client.post(_step(reports[0]), {"confirm": "1", "next": back})
    assert response.url == _with_next(reports[1].get_absolute_url(), back)
