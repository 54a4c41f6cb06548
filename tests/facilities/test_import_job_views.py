"""Big facility files on the import page: upload → job page with a progress bar → preview →
confirm → result (facilities/views/background_imports.py). The Celery tasks are not sent: `enqueued`
records them and the tests run the task bodies themselves."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl.utils import get_column_letter

from facilities import tasks
from facilities.import_columns import COLUMN_KEYS
from facilities.importing import ASYNC_ROW_THRESHOLD
from facilities.models import Facility, ImportJob

from ..factories import make_tax_code
from .import_helpers import csv_bytes, good_row, make_references
from .import_job_helpers import BAD_ROW, BIG, big_csv, stored_job

IMPORT = reverse("facilities:import")
State = ImportJob.State


@pytest.fixture(autouse=True)
def references(db, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    make_references()


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def job(settings, staff):
    return stored_job(settings, big_csv(), by=staff)


def urls(job: ImportJob) -> dict[str, str]:
    return {
        "page": reverse("facilities:import_job", args=[job.pk]),
        "progress": reverse("facilities:import_job_progress", args=[job.pk]),
        "confirm": reverse("facilities:import_job_confirm", args=[job.pk]),
    }


def upload(client, content: bytes, name: str = "lon.csv"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})


def validate(job: ImportJob) -> ImportJob:
    tasks.validate_import_task(job.pk)
    job.refresh_from_db()
    return job


# --- upload ----------------------------------------------------------------------------------


def test_big_upload_starts_a_job(
    staff_client, staff, settings, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(staff_client, big_csv())

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == urls(job)["page"]
    assert (job.state, job.original_name, job.requested_by) == (State.QUEUED, "lon.csv", staff)
    assert job.file_path.startswith("imports/")
    assert job.path.parent == Path(settings.MEDIA_ROOT) / "imports"
    assert job.path.read_bytes() == big_csv()
    assert enqueued == [("validate_import_task", job.pk)]
    assert "facility_import" not in staff_client.session  # the file is the job's now
    assert not Facility.objects.exists()


def test_files_up_to_the_threshold_keep_the_synchronous_preview(staff_client, enqueued):
    response = upload(staff_client, big_csv(ASYNC_ROW_THRESHOLD))
    assert response.status_code == 200
    assert response.context["plan"].to_create == ASYNC_ROW_THRESHOLD
    assert not ImportJob.objects.exists()
    assert enqueued == []


def test_big_file_that_cannot_be_read_is_refused_at_once(staff_client, enqueued):
    rows = [good_row(n) for n in range(1, BIG + 1)]
    response = upload(staff_client, csv_bytes(rows, [*COLUMN_KEYS, "ghi_chu"]))
    assert response.status_code == 200
    assert "“ghi_chu” không phải là cột của mẫu nhập" in response.text
    assert not ImportJob.objects.exists()


# --- job page and progress -------------------------------------------------------------------


def test_queued_job_shows_a_progress_bar(staff_client, job):
    response = staff_client.get(urls(job)["page"])
    assert response.status_code == 200
    assert 'id="import-job-progress"' in response.text
    assert f'data-progress-url="{urls(job)["progress"]}"' in response.text
    assert "js/import-progress.js" in response.text
    assert "Đang chờ kiểm tra" in response.text
    assert "<script>" not in response.text  # no inline script
    assert "Xác nhận nhập" not in response.text


def test_progress_json(staff_client, job):
    ImportJob.objects.filter(pk=job.pk).update(state=State.VALIDATING, progress=42)
    response = staff_client.get(urls(job)["progress"])
    assert response.status_code == 200
    assert response.json() == {
        "id": job.pk,
        "state": "validating",
        "state_label": "Đang kiểm tra",
        "progress": 42,
        "running": True,
    }
    assert "no-cache" in response["Cache-Control"]
    validate(job)
    assert staff_client.get(urls(job)["progress"]).json()["running"] is False


def test_progress_needs_get(staff_client, job):
    assert staff_client.post(urls(job)["progress"]).status_code == 405


def test_validated_job_shows_the_preview(staff_client, job):
    validate(job)
    response = staff_client.get(urls(job)["page"])
    assert response.status_code == 200
    assert 'id="import-job-progress"' not in response.text
    assert "js/import-progress.js" not in response.text
    assert '<div class="display-6" id="count-create">2.500</div>' in response.text
    assert f'action="{urls(job)["confirm"]}"' in response.text
    assert "Xác nhận nhập" in response.text


def test_invalid_job_shows_the_problems(staff_client, settings, staff):
    job = validate(stored_job(settings, big_csv(bad_row=BAD_ROW), by=staff))
    response = staff_client.get(urls(job)["page"])
    assert response.status_code == 200
    assert "Tệp có 1 lỗi. Chưa có dữ liệu nào được ghi" in response.text
    letter = get_column_letter(COLUMN_KEYS.index("commune_code") + 1)
    assert f"<tr><td>2001</td><td>{letter} («commune_code»)</td>" in response.text
    assert "Xác nhận nhập" not in response.text
    assert response.context["hidden_problems"] == 0


def test_many_problems_are_counted(staff_client, settings, staff):
    job = validate(stored_job(settings, big_csv(contact_email="sai"), by=staff))
    response = staff_client.get(urls(job)["page"])
    assert len(response.context["problems"]) == ImportJob.MAX_PROBLEMS
    assert "… và 500 lỗi khác." in response.text


# --- confirm and result ------------------------------------------------------------------------


def test_confirm_imports_and_shows_the_result(
    staff_client, staff, job, enqueued, django_capture_on_commit_callbacks
):
    validate(job)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(urls(job)["confirm"])
    assert response.status_code == 302 and response.url == urls(job)["page"]
    assert enqueued == [("run_import_task", job.pk)]
    job.refresh_from_db()
    assert (job.state, job.confirmed_by) == (State.IMPORTING, staff)
    assert 'id="import-job-progress"' in staff_client.get(urls(job)["page"]).text

    tasks.run_import_task(job.pk)

    response = staff_client.get(urls(job)["page"])
    assert "Đã nhập tệp lon.csv: thêm 2.500, cập nhật 0, giữ nguyên 0 cơ sở." in response.text
    assert f'href="{reverse("facilities:list")}"' in response.text
    assert Facility.objects.count() == BIG
    assert Facility.objects.filter(tax_code=make_tax_code(BIG)).exists()


def test_confirm_twice_does_nothing_more(staff_client, job, enqueued):
    validate(job)
    staff_client.post(urls(job)["confirm"])
    response = staff_client.post(urls(job)["confirm"], follow=True)
    assert "Tệp này không ở trạng thái chờ xác nhận nhập." in response.text
    assert ImportJob.objects.get().state == State.IMPORTING


def test_confirm_before_validation_is_refused(staff_client, job):
    response = staff_client.post(urls(job)["confirm"])
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == State.QUEUED and job.confirmed_by is None


def test_confirm_needs_post(staff_client, job):
    validate(job)
    assert staff_client.get(urls(job)["confirm"]).status_code == 405
    job.refresh_from_db()
    assert job.state == State.VALIDATED


def test_failed_job_shows_the_error(staff_client, job):
    ImportJob.objects.filter(pk=job.pk).update(state=State.FAILED, error="RuntimeError: hỏng")
    response = staff_client.get(urls(job)["page"])
    assert "Không nhập được tệp; không có dữ liệu nào được ghi." in response.text
    assert "RuntimeError: hỏng" in response.text


# --- permissions -----------------------------------------------------------------------------


def test_login_required(client, job):
    for url in urls(job).values():
        response = client.post(url) if url.endswith("confirm/") else client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["official", "facility_user"])
def test_only_staff(client, request, job, who):
    validate(job)
    client.force_login(request.getfixturevalue(who))
    assert client.get(urls(job)["page"]).status_code == 403
    assert client.get(urls(job)["progress"]).status_code == 403
    assert client.post(urls(job)["confirm"]).status_code == 403
    job.refresh_from_db()
    assert job.state == State.VALIDATED


def test_unknown_job_is_404(staff_client, job):
    missing = ImportJob(pk=job.pk + 1000)
    assert staff_client.get(urls(missing)["page"]).status_code == 404
    assert staff_client.get(urls(missing)["progress"]).status_code == 404
    assert staff_client.post(urls(missing)["confirm"]).status_code == 404
