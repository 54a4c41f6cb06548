"""Big facility imports whose whole worker died (facilities/import_jobs.py, the lease): the late
redelivery of the message must not re-plan and apply the file over the corrections made since,
the sweeper (beat) ends such jobs `failed` and their page says so; a job whose lease is still
fresh (a killed pool process, its message back at once) is imported as before."""

import io
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from facilities import import_jobs, importing, tasks
from facilities.models import Facility, ImportJob
from sxsh_portal.celery import app as celery_app

from ..factories import make_tax_code
from .import_helpers import csv_bytes, good_row, make_references
from .import_job_helpers import big_csv, stored_job

State = ImportJob.State
ROWS = 10
INTERRUPTED = (
    "Quá trình nhập bị gián đoạn (máy chủ xử lý dừng đột ngột); không có dữ liệu nào được ghi. "
    "Hãy tải tệp lên và xác nhận lại."
)


@pytest.fixture(autouse=True)
def references(db, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    make_references()


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    for name in ("validate_import_task", "run_import_task"):
        monkeypatch.setattr(getattr(tasks, name), "delay", lambda job_id: None)


def reload(job: ImportJob) -> ImportJob:
    job.refresh_from_db()
    return job


def existing_facility(staff) -> Facility:
    """The facility of the file's first row, already in the portal under another name."""
    plan = importing.plan_file(io.BytesIO(csv_bytes([good_row(1, name="Tên cũ")])), "cu.csv")
    importing.apply_import(plan, user=staff)
    return Facility.objects.get(tax_code=make_tax_code(1))


def started_job(settings, staff, *, lease_in: timedelta | None) -> ImportJob:
    """A confirmed job that a worker claimed and left at 63 %, its lease ending `lease_in` from
    now (negative: expired)."""
    job = stored_job(settings, big_csv(ROWS), by=staff)
    assert tasks.validate_import_task(job.pk) == "validated"
    assert import_jobs.import_job_confirm(job=reload(job), by=staff)
    lease = None if lease_in is None else timezone.now() + lease_in
    ImportJob.objects.filter(pk=job.pk).update(attempts=1, progress=63, lease_expires_at=lease)
    return reload(job)


def test_late_redelivery_after_the_worker_died_does_not_import(settings, staff):
    facility = existing_facility(staff)
    job = started_job(settings, staff, lease_in=-timedelta(seconds=1))
    # Staff correct the facility while the job shows "Đang nhập 63 %".
    Facility.objects.filter(pk=facility.pk).update(name="Tên đã sửa tay")

    assert tasks.run_import_task(job.pk) == "failed"

    assert Facility.objects.get(pk=facility.pk).name == "Tên đã sửa tay"
    assert Facility.objects.count() == 1
    job = reload(job)
    assert (job.state, job.error, job.progress) == (State.FAILED, INTERRUPTED, 100)
    assert not job.path.exists()
    assert tasks.run_import_task(job.pk) == "skipped"  # a further delivery changes nothing


def test_a_job_claimed_before_leases_existed_counts_as_interrupted(settings, staff):
    job = started_job(settings, staff, lease_in=None)
    assert tasks.run_import_task(job.pk) == "failed"
    assert (reload(job).state, Facility.objects.count()) == (State.FAILED, 0)


def test_a_killed_pool_process_is_retried_at_once(settings, staff):
    facility = existing_facility(staff)
    job = started_job(settings, staff, lease_in=timedelta(seconds=60))

    assert tasks.run_import_task(job.pk) == "done"

    job = reload(job)
    assert (job.state, job.attempts, job.error) == (State.DONE, 2, "")
    assert Facility.objects.count() == ROWS
    assert Facility.objects.get(pk=facility.pk).name == good_row(1)["name"]


def test_a_confirmed_job_waiting_in_the_queue_is_neither_swept_nor_refused(settings, staff):
    job = started_job(settings, staff, lease_in=None)
    ImportJob.objects.filter(pk=job.pk).update(attempts=0, progress=0)  # never claimed
    assert tasks.sweep_import_jobs_task() == 0
    assert tasks.run_import_task(job.pk) == "done"


def test_sweeper_fails_only_the_imports_whose_lease_expired(settings, staff):
    dead = started_job(settings, staff, lease_in=-timedelta(seconds=1))
    alive = started_job(settings, staff, lease_in=timedelta(seconds=30))
    checking = stored_job(settings, big_csv(ROWS), by=staff)
    ImportJob.objects.filter(pk=checking.pk).update(
        state=State.VALIDATING, attempts=1, lease_expires_at=timezone.now() - timedelta(hours=1)
    )

    assert tasks.sweep_import_jobs_task() == 1

    assert (reload(dead).state, reload(dead).error) == (State.FAILED, INTERRUPTED)
    assert not dead.path.exists()
    assert reload(alive).state == State.IMPORTING
    assert reload(checking).state == State.VALIDATING  # checking writes nothing: it runs again
    assert tasks.sweep_import_jobs_task() == 0


def test_sweeper_runs_every_minute_on_the_maintenance_queue():
    [entry] = [
        entry
        for entry in django_settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "facilities.tasks.sweep_import_jobs_task"
    ]
    assert entry["schedule"] <= 60
    route = celery_app.amqp.router.route({}, "facilities.tasks.sweep_import_jobs_task")
    assert route["queue"].name == "maintenance"


def test_progress_page_and_json_show_the_interruption(client, settings, staff):
    job = started_job(settings, staff, lease_in=-timedelta(seconds=1))
    client.force_login(staff)
    progress_url = reverse("facilities:import_job_progress", args=[job.pk])
    assert client.get(progress_url).json()["running"] is True

    tasks.sweep_import_jobs_task()

    data = client.get(progress_url).json()
    assert (data["state"], data["running"]) == (State.FAILED, False)
    assert data["state_label"] == str(State.FAILED.label)
    page = client.get(reverse("facilities:import_job", args=[job.pk])).text
    assert INTERRUPTED in page
    assert "Đang nhập" not in page


@pytest.mark.django_db(transaction=True)  # the writer has a connection of its own
def test_progress_writes_renew_the_lease_while_the_percent_stands_still(
    settings, staff, monkeypatch
):
    """A live import is never taken for dead: a callback renews the lease a quarter lease after
    the last write, even when the percent has not moved (a long stretch of one percent)."""
    job = started_job(settings, staff, lease_in=timedelta(seconds=1))
    clock = [1000.0]
    monkeypatch.setattr(import_jobs.time, "monotonic", lambda: clock[0])
    with import_jobs.ProgressWriter(job.pk, State.IMPORTING) as progress:
        progress.span(0, 40)(1, 1000)  # 0 %: the first write
        first = reload(job).lease_expires_at
        progress(2, 1000)  # same percent, no time passed: no write
        assert reload(job).lease_expires_at == first
        clock[0] += settings.IMPORT_LEASE_SECONDS / 4
        progress(3, 1000)  # same percent, a quarter lease later: renewed
    renewed = reload(job).lease_expires_at
    assert renewed > first
    assert renewed > timezone.now() + timedelta(seconds=settings.IMPORT_LEASE_SECONDS / 2)
