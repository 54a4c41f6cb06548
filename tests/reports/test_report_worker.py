"""Generated reports through a REAL Celery worker process (prefork pool, one child) over Redis,
writing to the pytest PostgreSQL database (STYLE 11; issue 6 acceptance).

Test hooks read by the worker: REPORT_TEST_DELAY (seconds slept after each progress step),
REPORT_TEST_FAIL (every attempt fails); see reports/generation.py.
"""

import hashlib
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse
from kombu import Connection

from reports import generation
from reports.models import Report

from ..celery_helpers import wait_for
from .report_files_data import build_report_data
from .report_worker_helpers import (
    broker_url,
    kill_pool_child,
    prefork_worker,
    report_worker_env,
    reserved_queue,
)

# serialized_rollback: the flush after each test would otherwise drop the seeded 2016–2020 plan.
pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def report_queue():
    with reserved_queue() as queue:
        yield queue


def request(fmt="xlsx", by=None) -> Report:
    return generation.report_request(kind="annual_progress", year=2018, fmt=fmt, by=by)


def state_of(report: Report) -> Report:
    report.refresh_from_db()
    return report


def files_in(settings) -> list[str]:
    folder = settings.MEDIA_ROOT / "reports"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def queue_length(queue: str) -> int:
    with Connection(broker_url()) as conn:
        return conn.default_channel.client.llen(queue)


def test_requested_report_succeeds_and_downloads(
    client, official, report_queue, tmp_path, settings
):
    build_report_data()
    env = report_worker_env(tmp_path, settings)
    with prefork_worker(env, log_dir=tmp_path, queue=report_queue) as worker:
        report = request("pdf", by=official)
        wait_for(
            lambda: state_of(report).is_finished,
            timeout=60,
            worker=worker,
            what="report finished",
        )
        log = worker.log()
    assert report.state == Report.State.SUCCEEDED, report.error
    assert report.attempts == 1
    assert "reports.tasks.generate_report_task" in log

    client.force_login(official)
    response = client.get(reverse("reports:download", args=[report.pk]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == report.sha256
    assert files_in(settings) == [report.download_name]


def test_killed_worker_child_ends_in_one_success_after_two_attempts(
    report_queue, tmp_path, settings
):
    build_report_data()
    # Slow job (1.5 s after each progress step); a short lease so the sweeper takes the job back
    # soon after the child dies; the lease outlives the gap between two progress steps.
    env = report_worker_env(
        tmp_path, settings, REPORT_TEST_DELAY=1.5, REPORT_LEASE_SECONDS=5, REPORT_RETRY_DELAY=1
    )
    settings.REPORT_LEASE_SECONDS = 5  # the sweeper run here re-queues with the same lease
    with prefork_worker(env, log_dir=tmp_path, queue=report_queue) as worker:
        report = request("xlsx")
        wait_for(
            lambda: state_of(report).state == Report.State.RUNNING and report.progress >= 5,
            timeout=30,
            worker=worker,
            what="job running",
        )
        kill_pool_child(worker)

        def recovered() -> bool:
            # What beat does every minute: re-queue jobs whose lease expired.
            generation.reports_sweep()
            return state_of(report).is_finished

        wait_for(recovered, timeout=90, interval=0.5, worker=worker, what="job recovered")
        log = worker.log()
    assert report.state == Report.State.SUCCEEDED, report.error
    assert report.attempts == 2
    assert Report.objects.count() == 1
    assert files_in(settings) == [report.download_name]  # no leftover partial file
    data = (settings.MEDIA_ROOT / report.file.name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == report.sha256
    assert "WorkerLostError" in log or "exited prematurely" in log


def test_always_failing_job_fails_after_three_attempts(report_queue, tmp_path, settings):
    env = report_worker_env(tmp_path, settings, REPORT_TEST_FAIL=1, REPORT_RETRY_DELAY=1)
    with prefork_worker(env, log_dir=tmp_path, queue=report_queue) as worker:
        report = request("docx")
        wait_for(
            lambda: state_of(report).is_finished,
            timeout=60,
            worker=worker,
            what="job failed",
        )
        log = worker.log()
    assert report.state == Report.State.FAILED
    assert report.attempts == 3
    # The job shows a reference id, not the exception; the worker's log has the traceback with
    # the same id.
    shown = re.fullmatch(
        r"Lần chạy 3/3 lỗi: Lỗi hệ thống, mã tham chiếu: ([0-9a-f]{12})", report.error
    )
    assert shown, report.error
    logged = log[log.index(f"[ref {shown.group(1)}]") :]
    assert "Traceback" in logged.split("[ref ")[1]
    assert "RuntimeError: REPORT_TEST_FAIL" in logged.split("[ref ")[1]
    assert log.count("Retry in 1s") == 2
    assert files_in(settings) == []


def test_job_requested_in_a_rolled_back_transaction_never_runs(report_queue, tmp_path, settings):
    class Abort(Exception):
        pass

    env = report_worker_env(tmp_path, settings)
    with prefork_worker(env, log_dir=tmp_path, queue=report_queue) as worker:
        with pytest.raises(Abort), transaction.atomic():
            ghost = request("xlsx")
            raise Abort
        # A job committed afterwards runs: the worker was listening all along.
        real = request("xlsx")
        wait_for(lambda: state_of(real).is_finished, timeout=60, worker=worker, what="real job")
        log = worker.log()
    assert real.state == Report.State.SUCCEEDED
    assert not Report.objects.filter(pk=ghost.pk).exists()
    assert ghost.task_id not in log
    assert real.task_id in log
    assert queue_length(report_queue) == 0


def test_generate_report_command_goes_through_the_worker(report_queue, tmp_path, settings):
    build_report_data()
    output = tmp_path / "out" / "bao-cao.xlsx"
    output.parent.mkdir()  # --output names a file in an existing folder
    env = report_worker_env(tmp_path, settings)
    with prefork_worker(env, log_dir=tmp_path, queue=report_queue):
        call_command(
            "generate_report", "--year", "2018", "--format", "xlsx", "--output", str(output)
        )
    report = Report.objects.get()
    assert report.state == Report.State.SUCCEEDED
    assert report.requested_by is None
    assert hashlib.sha256(output.read_bytes()).hexdigest() == report.sha256


def test_generate_report_command_reports_a_failed_job(report_queue, tmp_path, settings):
    env = report_worker_env(tmp_path, settings, REPORT_TEST_FAIL=1, REPORT_RETRY_DELAY=0)
    failure = pytest.raises(CommandError, match="bị lỗi: Lần chạy 3/3 lỗi")
    with prefork_worker(env, log_dir=tmp_path, queue=report_queue), failure:
        call_command("generate_report", "--year=2018", "--format=pdf", "--timeout=60")
    assert Report.objects.get().state == Report.State.FAILED
