"""Round 23, generated reports: a job no worker ever claims fails after REPORT_QUEUE_TIMEOUT
instead of waiting "Đang chờ" for ever (and holding one of the requester's places), and the
requester may cancel their own job while it still waits. Through the pages, with the sweeper's
task body called directly."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from reports import generation
from reports.models import Report

from .factories import UserFactory

pytestmark = pytest.mark.django_db

REQUEST = reverse("reports:request")
TIMED_OUT = "Không có tiến trình nền nào nhận việc tạo báo cáo này"
CANCEL = "Hủy yêu cầu"


@pytest.fixture
def enqueued():
    """No worker: the messages go nowhere."""
    with mock.patch.object(generation, "_enqueue") as enqueue:
        yield enqueue


def request(client, fmt="pdf", year=2018) -> Report:
    before = set(Report.objects.values_list("pk", flat=True))
    form = {"kind": "annual_progress", "year": year, "format": fmt}
    assert client.post(REQUEST, form).status_code == 302
    [report] = Report.objects.exclude(pk__in=before)
    return report


def waited(report: Report, *, hours: float) -> None:
    """The job was requested `hours` ago and its lease expired unclaimed."""
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(
        requested_at=now - timedelta(hours=hours), lease_expires_at=now - timedelta(seconds=1)
    )


def url(name: str, report: Report) -> str:
    return reverse(f"reports:{name}", args=[report.pk])


# --- 3a. a job no worker claims fails after REPORT_QUEUE_TIMEOUT ---------------------------------


def test_an_unclaimed_job_fails_after_the_queue_timeout_and_frees_its_place(
    client, official, enqueued, settings
):
    settings.REPORT_QUEUE_TIMEOUT = 3 * 60 * 60
    client.force_login(official)
    jobs = [request(client, fmt) for fmt in ("pdf", "xlsx", "docx")]
    # The limit of 3 jobs: a fourth request is refused.
    response = client.post(REQUEST, {"kind": "annual_progress", "year": 2017, "format": "pdf"})
    assert Report.objects.count() == 3 and response.status_code == 302

    # Within the bound the sweeper enqueues them again (a lost message).
    for job in jobs:
        waited(job, hours=2)
    assert generation.reports_sweep() == {"requeued": 3, "failed": 0}

    # Past it, no worker ever took them: failed, with the reason on the page.
    for job in jobs:
        waited(job, hours=4)
    assert generation.reports_sweep() == {"requeued": 0, "failed": 3}
    for job in jobs:
        job.refresh_from_db()
        assert job.state == Report.State.FAILED and job.attempts == 0
        assert job.error.startswith(TIMED_OUT)
        assert "hãy thử lại sau hoặc báo quản trị hệ thống" in job.error
    page = client.get(jobs[0].get_absolute_url()).text
    assert TIMED_OUT in page
    assert client.get(url("progress", jobs[0])).json()["error"].startswith(TIMED_OUT)
    # A late worker finds nothing to claim.
    outcome = generation.report_generate(report_id=jobs[0].pk)
    assert outcome == generation.Outcome.SKIPPED
    # The requester may ask again.
    request(client, "pdf", year=2017)


def test_the_default_bound_is_a_few_hours(enqueued, official, client, settings):
    client.force_login(official)
    job = request(client)
    waited(job, hours=3)
    assert generation.reports_sweep() == {"requeued": 1, "failed": 0}
    waited(job, hours=5)
    assert generation.reports_sweep() == {"requeued": 0, "failed": 1}


def test_a_job_running_on_a_worker_is_not_failed_by_the_queue_timeout(enqueued, official):
    job = generation.report_request(kind="annual_progress", year=2018, fmt="pdf", by=official)
    attempt = generation.report_claim(job.pk)
    assert attempt is not None
    Report.objects.filter(pk=job.pk).update(requested_at=timezone.now() - timedelta(days=1))
    assert generation.reports_sweep() == {"requeued": 0, "failed": 0}  # its lease is alive
    job.refresh_from_db()
    assert job.state == Report.State.RUNNING


# --- 3b. the requester cancels their own job while it waits --------------------------------------


def test_the_requester_cancels_their_waiting_job(client, official, enqueued):
    client.force_login(official)
    job = request(client)
    page = client.get(job.get_absolute_url()).text
    assert CANCEL in page and url("delete", job) in page

    confirm = client.get(url("delete", job))
    assert confirm.status_code == 200
    assert "Xác nhận hủy yêu cầu" in confirm.text
    assert Report.objects.filter(pk=job.pk).exists()  # a GET changes nothing

    response = client.post(url("delete", job))
    assert response.status_code == 302 and response.url == reverse("reports:list")
    assert not Report.objects.filter(pk=job.pk).exists()
    assert "Đã hủy yêu cầu tạo báo cáo" in client.get(reverse("reports:list")).text
    assert generation.report_generate(report_id=job.pk) == generation.Outcome.SKIPPED


def test_a_job_a_worker_took_is_no_longer_cancelled(client, official, enqueued):
    client.force_login(official)
    job = request(client)
    assert generation.report_claim(job.pk) is not None  # taken between the page and the POST
    page = client.get(job.get_absolute_url()).text
    assert CANCEL not in page
    response = client.post(url("delete", job))
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert Report.objects.get(pk=job.pk).state == Report.State.RUNNING
    assert "không hủy được nữa" in client.get(job.get_absolute_url()).text


def test_only_the_requester_and_only_a_waiting_job(client, official, staff, enqueued):
    colleague = UserFactory(username="lanhdao_khac", role=Role.OFFICIAL)
    client.force_login(colleague)
    theirs = request(client)
    client.force_login(official)
    # Another official's job: hidden (404), never cancelled.
    assert client.get(url("delete", theirs)).status_code == 404
    assert client.post(url("delete", theirs)).status_code == 404
    # Staff's job the official cannot see either.
    staff_job = generation.report_request(kind="annual_progress", year=2018, fmt="xlsx", by=staff)
    assert client.post(url("delete", staff_job)).status_code == 404
    # Their own finished job: not theirs to delete (staff delete drafts).
    own = request(client)
    Report.objects.filter(pk=own.pk).update(state=Report.State.FAILED)
    assert client.get(url("delete", own)).status_code == 403
    assert client.post(url("delete", own)).status_code == 403
    assert CANCEL not in client.get(own.get_absolute_url()).text
    assert Report.objects.filter(pk__in=[theirs.pk, staff_job.pk, own.pk]).count() == 3
    # Staff still delete any draft, the waiting one included.
    client.force_login(staff)
    assert "Xóa báo cáo" in client.get(url("delete", theirs)).text
    assert client.post(url("delete", theirs)).status_code == 302
    assert not Report.objects.filter(pk=theirs.pk).exists()


def test_a_job_someone_else_also_waits_for_is_not_cancelled(client, official, staff, enqueued):
    # Staff asking for the same document are handed the official's waiting job: the official
    # may no longer withdraw it from under them.
    client.force_login(official)
    job = request(client)
    client.force_login(staff)
    assert request_same(client, job) == job.pk
    client.force_login(official)
    assert CANCEL not in client.get(job.get_absolute_url()).text
    response = client.post(url("delete", job))
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert Report.objects.filter(pk=job.pk).exists()
    assert "Người khác cũng đang chờ báo cáo này" in client.get(job.get_absolute_url()).text
    # The command line waiting for it too (generate_report): likewise.
    client.force_login(official)
    other = request(client, fmt="docx")
    again, created = generation.report_request_once(
        kind="annual_progress", year=2018, fmt="docx", by=None
    )
    assert (again.pk, created) == (other.pk, False)
    client.post(url("delete", other))
    assert Report.objects.filter(pk=other.pk).exists()
    # The requester asking again for their own job shares it with nobody.
    mine = request(client, fmt="xlsx")
    assert generation.report_request_once(
        kind="annual_progress", year=2018, fmt="xlsx", by=official
    ) == (mine, False)
    assert client.post(url("delete", mine)).status_code == 302


def request_same(client, job: Report) -> int:
    form = {"kind": job.kind, "year": job.year, "format": job.format}
    response = client.post(REQUEST, form)
    assert response.status_code == 302
    return int(response.url.rstrip("/").split("/")[-1])
