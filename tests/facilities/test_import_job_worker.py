"""A big facility file through a REAL Celery worker process over Redis, writing to the pytest
PostgreSQL database (STYLE 11; issue 3, item 4): upload → the worker validates → confirm → the
worker imports → the facilities are in PostgreSQL."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from facilities.models import Facility, ImportJob

from ..celery_helpers import celery_worker, wait_for
from ..factories import make_tax_code
from ..reports.report_worker_helpers import report_worker_env, reserved_queue
from .import_helpers import make_references
from .import_job_helpers import BIG, big_csv

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

State = ImportJob.State


@pytest.fixture
def import_queue():
    """A fresh queue of the test run's broker (CELERY_BROKER_URL); tasks sent here go to it."""
    with reserved_queue() as queue:
        yield queue


def test_worker_validates_and_imports_a_big_file(client, staff, import_queue, tmp_path, settings):
    settings.PORTAL_PROVINCE_CODE = 27
    make_references()
    client.force_login(staff)
    seen = set()

    def job_state() -> str:
        job = ImportJob.objects.get()
        seen.add((job.state, job.progress))
        return job.state

    env = report_worker_env(tmp_path, settings)  # this test's database, broker and MEDIA_ROOT
    with celery_worker(env, log_dir=tmp_path, queue=import_queue) as worker:
        upload = SimpleUploadedFile("lon.csv", big_csv())
        response = client.post(reverse("facilities:import"), {"file": upload})
        job = ImportJob.objects.get()
        assert response.status_code == 302 and response.url == job.get_absolute_url()

        wait_for(
            lambda: job_state() == State.VALIDATED,
            timeout=60,
            interval=0.05,
            worker=worker,
            what="job validated",
        )
        job.refresh_from_db()
        assert (job.to_create, job.to_update, job.unchanged) == (BIG, 0, 0)
        assert not Facility.objects.exists()

        confirm = reverse("facilities:import_job_confirm", args=[job.pk])
        assert client.post(confirm).status_code == 302
        wait_for(
            lambda: job_state() not in (State.IMPORTING, State.VALIDATED),
            timeout=60,
            interval=0.05,
            worker=worker,
            what="job imported",
        )
        log = worker.log()

    job.refresh_from_db()
    assert job.state == State.DONE, job.error or job.problems[:3]
    assert job.progress == 100 and job.attempts == 1
    assert "facilities.tasks.validate_import_task" in log
    assert "facilities.tasks.run_import_task" in log
    assert Facility.objects.count() == BIG
    facility = Facility.objects.get(tax_code=make_tax_code(BIG))
    assert facility.history.get().history_user == staff
    assert not job.path.exists()
    assert (State.DONE, 100) in seen
    # The bar moved while the facilities were written, i.e. inside the import's open transaction.
    assert any(state == State.IMPORTING and 40 < percent < 100 for state, percent in seen), seen

    page = client.get(job.get_absolute_url())
    assert "Đã nhập tệp lon.csv: thêm 2.500, cập nhật 0, giữ nguyên 0 cơ sở." in page.text
