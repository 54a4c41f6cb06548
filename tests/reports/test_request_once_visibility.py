"""An identical request is answered with a queued or running job only when the requester may open
that job (Report.objects.visible_to; DESIGN §5: officials see issued documents and their own
requests, never another's draft). An official whose request matches a staff member's job gets a
job of their own — not a redirect to a page that is 404 to them; staff still share any job, and
one user's repeated or concurrent identical requests still make one job."""

from unittest import mock

import pytest
from django.urls import reverse

from accounts.models import Role
from reports.models import Report
from reports.tasks import generate_report_task

from ..concurrency import post_concurrently
from ..factories import UserFactory

REQUEST = reverse("reports:request")


@pytest.fixture
def enqueued():
    with mock.patch.object(generate_report_task, "apply_async") as apply_async:
        yield apply_async


def ask(client, year=2017, fmt="pdf", **extra):
    return client.post(
        REQUEST, {"kind": "annual_progress", "year": str(year), "format": fmt, **extra}
    )


def ask_all_formats(client, year=2018):
    data = {"kind": "annual_progress", "year": str(year), "all_formats": "1"}
    return client.post(REQUEST, data, follow=True)


def test_an_official_gets_their_own_job_not_a_staff_members(
    client, staff, official, enqueued, django_capture_on_commit_callbacks
):
    # Staff ask for 2016 and 2017 (the worker is busy: both stay queued).
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, year=2016)
        ask(client, year=2017)
    staffs = Report.objects.get(year=2017, requested_by=staff)

    # At once the official asks for the 2017 PDF: their own job, on their list, that they open.
    client.force_login(official)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, year=2017)
    assert response.status_code == 302
    assert response.url != reverse("reports:detail", args=[staffs.pk])
    theirs = Report.objects.get(year=2017, requested_by=official)
    assert theirs.pk != staffs.pk and theirs.state == Report.State.QUEUED
    assert enqueued.call_count == 3
    assert client.get(response.url).status_code == 200
    assert client.get(reverse("reports:detail", args=[theirs.pk])).status_code == 200
    assert reverse("reports:detail", args=[theirs.pk]) in client.get(reverse("reports:list")).text
    assert client.get(reverse("reports:detail", args=[staffs.pk])).status_code == 404

    # Asking again, the official is answered with their own job.
    again = ask(client, year=2017)
    assert again.url == reverse("reports:detail", args=[theirs.pk])
    assert client.get(again.url).status_code == 200
    assert Report.objects.filter(year=2017).count() == 2


def test_staff_still_share_an_officials_job(client, staff, official, enqueued):
    client.force_login(official)
    ask(client, year=2018)
    [job] = Report.objects.all()
    client.force_login(staff)
    response = ask(client, year=2018)
    assert response.url == reverse("reports:detail", args=[job.pk])
    assert client.get(response.url).status_code == 200
    assert Report.objects.count() == 1


def test_an_identical_request_visible_to_the_requester_is_answered_even_at_the_limit(
    client, staff, official, enqueued, settings
):
    settings.REPORT_MAX_ACTIVE_JOBS = 3
    for year in (2016, 2017, 2018):
        Report.objects.create(year=year, format="docx", requested_by=staff)
    shared = Report.objects.create(year=2018, format="pdf", requested_by=official)
    client.force_login(staff)
    response = ask(client, year=2018, fmt="pdf")
    assert response.url == reverse("reports:detail", args=[shared.pk])
    assert Report.objects.count() == 4

    # An official at the limit is not answered with a staff member's job they cannot open.
    for year in (2016, 2017):
        Report.objects.create(year=year, format="xlsx", requested_by=official)
    client.force_login(official)
    response = ask(client, year=2018, fmt="docx")
    assert response.url == reverse("reports:list")
    assert not Report.objects.filter(requested_by=official, format="docx").exists()


def test_all_formats_for_an_official_are_their_own(
    client, staff, official, enqueued, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_MAX_ACTIVE_JOBS = 3
    client.force_login(staff)
    ask_all_formats(client)
    assert Report.objects.filter(requested_by=staff).count() == 3

    client.force_login(official)
    response = ask_all_formats(client)
    mine = Report.objects.filter(requested_by=official, year=2018)
    assert sorted(mine.values_list("format", flat=True)) == ["docx", "pdf", "xlsx"]
    assert "Đã gửi yêu cầu tạo" in response.text
    assert "Đang được tạo theo một yêu cầu trước" not in response.text
    for report in mine:
        assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 200


def test_all_formats_share_jobs_the_requester_sees_and_do_not_count_them(
    client, staff, official, enqueued, settings
):
    settings.REPORT_MAX_ACTIVE_JOBS = 3
    # The official already asked for the PDF; staff's two new jobs fit beside one of their own.
    shared = Report.objects.create(
        kind="annual_progress", year=2018, format="pdf", requested_by=official
    )
    Report.objects.create(kind="annual_progress", year=2016, format="pdf", requested_by=staff)
    client.force_login(staff)
    response = ask_all_formats(client)
    mine = Report.objects.filter(requested_by=staff, year=2018)
    assert sorted(mine.values_list("format", flat=True)) == ["docx", "xlsx"]
    assert Report.objects.filter(year=2018, format="pdf").get() == shared
    assert "Đang được tạo theo một yêu cầu trước" in response.text


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_requests_make_one_job_per_official_and_one_for_staff(enqueued):
    officials = [UserFactory(username=f"lanhdao_dongthoi_{i}", role=Role.OFFICIAL) for i in (1, 2)]
    staff = [UserFactory(username=f"canbo_dongthoi_{i}", role=Role.STAFF) for i in (1, 2)]
    data = {"kind": "annual_progress", "year": "2018", "format": "pdf"}
    requests = [(user, data) for user in officials * 3 + staff]
    assert post_concurrently(REQUEST, requests) == [302] * 8
    for official in officials:  # each official's three identical requests: one job
        assert Report.objects.filter(requested_by=official).count() == 1
    # Staff are answered with a job already queued (whoever's it is) or queue one, never more.
    assert Report.objects.exclude(requested_by__in=officials).count() <= 1
    assert Report.objects.count() <= 3
