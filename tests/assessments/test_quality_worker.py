"""The run of the data-quality rules over existing data through a REAL Celery worker process
(tests/celery_helpers.py), writing to the pytest PostgreSQL database: staff press the button, the
worker checks every report batch by batch and the progress endpoint ends at 100 %."""

import pytest
from django.urls import reverse

from assessments.models import AnnualReport, QualityFinding, QualityRun

from ..celery_helpers import celery_worker, wait_for
from ..factories import FacilityFactory
from ..reports.report_worker_helpers import report_worker_env, reserved_queue

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

YEARS = range(2016, 2021)


@pytest.fixture
def quality_queue():
    with reserved_queue() as queue:
        yield queue


def test_worker_runs_the_rules_over_every_report(client, staff, quality_queue, tmp_path, settings):
    facilities = FacilityFactory.create_batch(220)
    AnnualReport.objects.bulk_create(
        AnnualReport(
            facility=facility,
            year=year,
            product_unit="tấn",
            output=1000,
            # every fourth facility leaves its energy blank in 2020
            electricity_kwh=None if (year == 2020 and index % 4 == 0) else 500000,
            state="approved",
        )
        for index, facility in enumerate(facilities)
        for year in YEARS
    )
    total = len(facilities) * len(YEARS)  # 1,100 reports: three batches
    client.force_login(staff)
    seen = set()

    def run_state() -> str:
        run = QualityRun.objects.get()
        seen.add((run.state, run.progress))
        return run.state

    env = report_worker_env(tmp_path, settings)
    with celery_worker(env, log_dir=tmp_path, queue=quality_queue) as worker:
        response = client.post(reverse("assessments:quality_run_start"))
        assert response.status_code == 302
        wait_for(
            lambda: run_state() in ("done", "failed"),
            timeout=90,
            interval=0.05,
            worker=worker,
            what="quality run finished",
        )
        log = worker.log()

    run = QualityRun.objects.get()
    assert run.state == "done", run.error
    assert (run.progress, run.checked) == (100, total)
    assert "assessments.tasks.run_quality_checks_task" in log
    blank = QualityFinding.objects.open().filter(rule__code="OUTPUT_NO_ENERGY")
    assert blank.count() == len(range(0, len(facilities), 4))
    assert set(blank.values_list("report__year", flat=True)) == {2020}
    progress = client.get(reverse("assessments:quality_run_progress", args=[run.pk])).json()
    assert progress == {
        "state": "done",
        "state_label": "Xong",
        "progress": 100,
        "running": False,
        "checked": total,
        "findings": run.findings,
    }
    assert ("done", 100) in seen
