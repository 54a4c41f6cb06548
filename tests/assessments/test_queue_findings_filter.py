"""The report filter by open data-quality findings (`findings`): the review queue, the report list
and the "next report" of the queue all read "open" as the queue's counts do
(QualityFinding.objects.open())."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import QualityFinding, QualityRule

from ..factories import AnnualReportFactory

QUEUE = reverse("assessments:review_queue")
LIST = reverse("assessments:report_list")
NEXT_TEXT = "Đây là báo cáo chờ duyệt tiếp theo trong danh sách."


def _finding(report, severity, *, resolved=False, code="OUTPUT_NO_ENERGY"):
    return QualityFinding.objects.create(
        report=report,
        rule=QualityRule.objects.get(code=code),
        severity=severity,
        message="Phát hiện thử",
        resolved_at=timezone.now() if resolved else None,
    )


def _submitted(days_ago, **fields):
    fields.setdefault("year", 2019)
    submitted_at = timezone.now() - timezone.timedelta(days=days_ago)
    return AnnualReportFactory(state="submitted", submitted_at=submitted_at, **fields)


@pytest.fixture
def reports(db):
    """Three submitted reports, oldest first: one with an open error (and an open warning), one
    whose only finding is resolved, one with none."""
    with_error, resolved, clean = _submitted(3), _submitted(2), _submitted(1)
    _finding(with_error, "error")
    _finding(with_error, "warning", code="APPLIES_NOT_AWARE")
    _finding(resolved, "warning", resolved=True)
    return {"with_error": with_error, "resolved": resolved, "clean": clean}


def _listed(response) -> list:
    assert response.status_code == 200
    assert not response.context["form"].errors
    return list(response.context["page"].object_list)


@pytest.mark.parametrize(
    "choice, expected",
    [
        ("", ["with_error", "resolved", "clean"]),
        ("open", ["with_error"]),
        ("error", ["with_error"]),
        ("none", ["resolved", "clean"]),
    ],
)
def test_queue_filter(client, staff, reports, choice, expected):
    client.force_login(staff)
    response = client.get(QUEUE, {"findings": choice})
    assert _listed(response) == [reports[name] for name in expected]


def test_the_filter_agrees_with_the_counts_shown(client, staff, reports):
    client.force_login(staff)
    rows = _listed(client.get(QUEUE, {"findings": "open"}))
    assert [(r.error_findings, r.warning_findings, r.info_findings) for r in rows] == [(1, 1, 0)]
    rows = _listed(client.get(QUEUE, {"findings": "none"}))
    assert {(r.error_findings, r.warning_findings, r.info_findings) for r in rows} == {(0, 0, 0)}


def test_an_info_finding_is_open_but_not_an_error(client, staff, reports):
    _finding(reports["clean"], "info")
    client.force_login(staff)
    assert _listed(client.get(QUEUE, {"findings": "open"})) == [
        reports["with_error"],
        reports["clean"],
    ]
    assert _listed(client.get(QUEUE, {"findings": "error"})) == [reports["with_error"]]
    assert _listed(client.get(QUEUE, {"findings": "none"})) == [reports["resolved"]]


def test_the_queue_offers_the_filter(client, staff, reports):
    client.force_login(staff)
    response = client.get(QUEUE)
    assert 'name="findings"' in response.text
    assert "Có phát hiện chưa xử lý" in response.text
    assert "Không có phát hiện chưa xử lý" in response.text


def test_report_list_filter(client, staff, reports):
    approved = AnnualReportFactory(year=2018)
    _finding(approved, "error")
    client.force_login(staff)
    response = client.get(LIST, {"findings": "open"})
    assert set(_listed(response)) == {reports["with_error"], approved}
    response = client.get(LIST, {"findings": "none", "year": 2019})
    assert set(_listed(response)) == {reports["resolved"], reports["clean"]}


def test_facility_users_have_no_findings_filter(client, facility_user, facility):
    """`info` findings are for the reviewer only: a facility user may not learn of one through
    the filter, which their list does not offer (and the parameter does nothing)."""
    report = AnnualReportFactory(facility=facility, year=2018)
    _finding(report, "info")
    client.force_login(facility_user)
    response = client.get(LIST, {"findings": "none"})
    assert "findings" not in response.context["form"].fields
    assert _listed(response) == [report]


@pytest.mark.parametrize("bad", ["nonsense", "resolved"])
def test_it_rejects_bad_input(client, staff, reports, bad):
    client.force_login(staff)
    response = client.get(QUEUE, {"findings": bad})
    assert response.status_code == 200
    assert "findings" in response.context["form"].errors
    assert "Điều kiện lọc không hợp lệ" in response.text
    # The bad filter is ignored; the queue still lists only the reports waiting.
    AnnualReportFactory(year=2017)  # approved: not in the queue
    response = client.get(QUEUE, {"findings": bad})
    assert set(response.context["page"].object_list) == set(reports.values())


def test_queries_do_not_grow_with_the_filter(client, staff, reports, django_assert_max_num_queries):
    client.force_login(staff)
    client.get(QUEUE)  # warm the session and the caches
    for choice in ("open", "error", "none"):
        with django_assert_max_num_queries(8):  # as the unfiltered queue (test_review_queue)
            client.get(QUEUE, {"findings": choice})


# The "next report" of the queue keeps the filter.


@pytest.fixture
def open_queue(reports):
    """The queue of reports with open findings: the one with an error, then a later one with an
    open warning; the reports without open findings are between them in the whole queue."""
    later = _submitted(0)
    _finding(later, "warning")
    return f"{QUEUE}?{urlencode({'findings': 'open'})}", reports, later


def _with_next(url, back):
    return f"{url}?{urlencode({'next': back})}"


def _step(report, step):
    return reverse(f"assessments:report_{step}", args=[report.pk])


def test_approve_opens_the_next_report_with_open_findings(client, staff, open_queue):
    back, reports, later = open_queue
    first = reports["resolved"]  # from the whole queue's second row, filtered on open findings:
    _finding(first, "warning", code="APPLIES_NOT_AWARE")  # it has one now
    client.force_login(staff)
    response = client.post(_step(first, "approve"), {"confirm": "1", "next": back})
    first.refresh_from_db()
    assert first.state == "approved"
    # Not the clean report after it in the whole queue: the next one with open findings.
    assert response.url == _with_next(later.get_absolute_url(), back)
    response = client.get(response.url)
    assert response.context["report"] == later
    assert NEXT_TEXT in response.text


def test_return_opens_the_next_report_with_open_findings(client, staff, open_queue):
    back, reports, later = open_queue
    client.force_login(staff)
    response = client.post(
        _step(reports["with_error"], "return"),
        {"confirm": "1", "text": "Cần sửa lỗi số liệu.", "next": back},
    )
    reports["with_error"].refresh_from_db()
    assert reports["with_error"].state == "returned"
    assert response.url == _with_next(later.get_absolute_url(), back)


def test_without_open_findings_the_next_has_none(client, staff, open_queue):
    _back, reports, _later = open_queue
    back = f"{QUEUE}?{urlencode({'findings': 'none'})}"
    client.force_login(staff)
    response = client.post(_step(reports["resolved"], "approve"), {"confirm": "1", "next": back})
    assert response.url == _with_next(reports["clean"].get_absolute_url(), back)
    # The last one without open findings leads back to the filtered queue, not on to the later
    # report with an open warning.
    response = client.post(_step(reports["clean"], "approve"), {"confirm": "1", "next": back})
    assert response.url == back


def test_a_report_whose_only_open_finding_is_a_warning_has_no_error(client, staff, db):
    only_warning, only_error = _submitted(2), _submitted(1)
    _finding(only_warning, "warning")
    _finding(only_error, "error")
    client.force_login(staff)
    assert _listed(client.get(QUEUE, {"findings": "error"})) == [only_error]
    assert _listed(client.get(QUEUE, {"findings": "open"})) == [only_warning, only_error]
