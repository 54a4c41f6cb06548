"""Big facility files are checked by a Celery worker: the row errors, warnings and failures it
stores are written in the language of the user who uploaded the file (accounts.language), not in
whatever language the worker happens to run in, so the job page reads as the small-file page."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from facilities import tasks
from facilities.models import ImportJob

from .import_helpers import csv_bytes, good_row, make_references
from .import_job_helpers import big_csv, stored_job

State = ImportJob.State
ROWS = 2005
BAD_ROWS = (7, 1500)  # data rows given a fractional number of employees
WHOLE_NUMBER = {"en": "Must be a whole number ≥ 0.", "vi": "Phải là số nguyên ≥ 0."}
INTERRUPTED = {
    "en": "The import was interrupted",
    "vi": "Quá trình nhập bị gián đoạn",
}
OTHER = {"en": "vi", "vi": "en"}


@pytest.fixture(autouse=True)
def references(db, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    make_references()


def reads(user, language: str):
    User.objects.filter(pk=user.pk).update(language=language)


def file_with_fractional_employees() -> bytes:
    rows = [good_row(n, vsic_code="1104") for n in range(1, ROWS + 1)]
    for n in BAD_ROWS:
        rows[n - 1]["employees"] = "12.5"
    return csv_bytes(rows)


def as_the_worker(language: str, task, job_id: int):
    """Run the task body in the language a worker would otherwise write in."""
    with translation.override(language):
        return task(job_id)


@pytest.mark.parametrize("language", ["en", "vi"])
def test_row_errors_of_a_big_file_are_in_the_uploaders_language(
    client, staff, language, enqueued, django_capture_on_commit_callbacks
):
    reads(staff, language)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("facilities:import"),
            {"file": SimpleUploadedFile("lon.csv", file_with_fractional_employees())},
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and enqueued == [("validate_import_task", job.pk)]

    # The worker's own language is the other one: what it stores must not depend on it.
    assert as_the_worker(OTHER[language], tasks.validate_import_task, job.pk) == "invalid"

    body = client.get(reverse("facilities:import_job", args=[job.pk])).content.decode()
    assert body.count(WHOLE_NUMBER[language]) == len(BAD_ROWS)
    assert WHOLE_NUMBER[OTHER[language]] not in body


@pytest.mark.parametrize("language", ["en", "vi"])
def test_an_interrupted_import_says_so_in_the_uploaders_language(client, settings, staff, language):
    reads(staff, language)
    job = stored_job(settings, big_csv(10), by=staff)
    ImportJob.objects.filter(pk=job.pk).update(
        state=State.IMPORTING, attempts=1, lease_expires_at=timezone.now() - timedelta(seconds=1)
    )

    with translation.override(OTHER[language]):
        assert tasks.sweep_import_jobs_task() == 1

    client.force_login(staff)
    body = client.get(reverse("facilities:import_job", args=[job.pk])).content.decode()
    assert INTERRUPTED[language] in body
    assert INTERRUPTED[OTHER[language]] not in body


def test_a_job_that_kept_dying_says_so_in_the_uploaders_language(client, settings, staff):
    reads(staff, "en")
    job = stored_job(settings, big_csv(10), by=staff)
    ImportJob.objects.filter(pk=job.pk).update(
        state=State.VALIDATING, attempts=ImportJob.MAX_ATTEMPTS
    )

    assert as_the_worker("vi", tasks.validate_import_task, job.pk) == "failed"

    client.force_login(staff)
    body = client.get(reverse("facilities:import_job", args=[job.pk])).content.decode()
    assert "The process stopped 3 times; no further retries." in body


def test_a_job_of_a_deleted_uploader_is_written_in_the_portals_language(settings, staff):
    job = stored_job(settings, big_csv(10), by=staff)
    job.path.unlink()
    ImportJob.objects.filter(pk=job.pk).update(requested_by=None)

    assert as_the_worker("en", tasks.validate_import_task, job.pk) == "invalid"

    job.refresh_from_db()
    assert job.problems[0]["message"] == (
        "Không còn tệp đã tải lên trên máy chủ; vui lòng tải tệp lên lại."
    )
