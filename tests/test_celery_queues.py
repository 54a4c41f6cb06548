"""Celery queues by kind (issue 18, point 5): the routes of sxsh_portal/settings.py send each task
to its kind's queue, a worker consumes CELERY_WORKER_QUEUES (or -Q), and workers split by queue
each run only their kind — a report waits for a reports worker however many others run.
"""

import subprocess
import sys
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from kombu import Connection

from core.data_version import data_changed
from facilities.models import ImportJob
from reports import fact_table, generation
from reports.models import FacilityYearFact, Report
from sxsh_portal.celery import app as celery_app

from .celery_helpers import (
    BASE_DIR,
    celery_worker,
    kind_queues,
    purge_queue,
    routes_to,
    wait_for,
    worker_env,
)
from .facilities.import_helpers import make_references
from .facilities.import_job_helpers import big_csv, stored_job
from .factories import AnnualReportFactory, FacilityFactory
from .reports.report_files_data import build_report_data
from .reports.report_worker_helpers import broker_url, prefork_worker, report_worker_env

# The queue each task must go to (README "Scaling out"); written out, not read from settings.
EXPECTED_QUEUE = {
    "reports.tasks.generate_report_task": "reports",
    "reports.tasks.annual_reports_task": "reports",
    "reports.tasks.half_year_reports_task": "reports",
    "facilities.tasks.validate_import_task": "imports",
    "facilities.tasks.run_import_task": "imports",
    "assessments.tasks.run_quality_checks_task": "imports",
    "assessments.tasks.notify_report_submitted": "mail",
    "assessments.tasks.notify_report_reviewed": "mail",
    "assessments.tasks.notify_assessment_submitted": "mail",
    "assessments.tasks.notify_assessment_reviewed": "mail",
    "assessments.tasks.send_report_reminders": "mail",
    "accounts.tasks.send_password_reset_mail": "mail",
    "ops.tasks.heartbeat": "maintenance",
    "reports.tasks.sweep_reports_task": "maintenance",
    "reports.tasks.purge_report_files_task": "maintenance",
    "reports.tasks.rebuild_facts_task": "maintenance",
    "accounts.tasks.clear_expired_sessions": "maintenance",
}
KINDS = {"reports", "imports", "mail", "maintenance"}
PROJECT_APPS = ("accounts.", "facilities.", "assessments.", "reports.", "ops.", "core.")


def routed_queue(task_name: str) -> str:
    return celery_app.amqp.router.route({}, task_name)["queue"].name


def test_each_task_goes_to_the_queue_of_its_kind():
    celery_app.loader.import_default_modules()
    assert {name: routed_queue(name) for name in EXPECTED_QUEUE} == EXPECTED_QUEUE
    # A new task must be given a kind: in a layout with one worker per queue nobody might
    # consume the default queue.
    project_tasks = [name for name in celery_app.tasks if name.startswith(PROJECT_APPS)]
    unrouted = sorted(name for name in project_tasks if routed_queue(name) not in KINDS)
    assert unrouted == []
    # Unrouted (third-party) tasks keep Celery's default queue; an explicit queue still wins.
    assert routed_queue("some.other.task") == "celery"
    assert celery_app.amqp.router.route({"queue": "x"}, "ops.tasks.heartbeat")["queue"].name == "x"


def test_routes_to_sends_every_kind_to_the_test_queue_and_restores_the_settings():
    with routes_to("test-one") as mapping:
        assert set(mapping.values()) == {"test-one"}
        assert {routed_queue(name) for name in EXPECTED_QUEUE} == {"test-one"}
        assert routed_queue("some.other.task") == "test-one"
    assert routed_queue("reports.tasks.generate_report_task") == "reports"
    assert routed_queue("some.other.task") == "celery"


def _queues_of_a_plain_worker(tmp_path, **env) -> subprocess.CompletedProcess:
    """What `celery -A sxsh_portal worker` without -Q would consume, in a fresh process."""
    code = (
        "import django; django.setup(); from sxsh_portal.celery import app; "
        "print(','.join(app.amqp.queues))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**worker_env(var_dir=tmp_path / "var"), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_celery_worker_queues_chooses_what_a_plain_worker_consumes(tmp_path):
    every = _queues_of_a_plain_worker(tmp_path)
    assert every.returncode == 0, every.stderr
    assert every.stdout.split()[-1].split(",") == [
        "celery",
        "reports",
        "imports",
        "mail",
        "maintenance",
    ]
    some = _queues_of_a_plain_worker(tmp_path, CELERY_WORKER_QUEUES="reports, mail")
    assert some.returncode == 0, some.stderr
    assert some.stdout.split()[-1].split(",") == ["reports", "mail"]
    typo = _queues_of_a_plain_worker(tmp_path, CELERY_WORKER_QUEUES="report")
    assert typo.returncode != 0
    assert "CELERY_WORKER_QUEUES" in typo.stderr


def _run_portal_commands() -> dict[str, list[str]]:
    """The command lines run_portal starts (each process reported dead at once, so it returns)."""
    started = {}

    def popen(command, *args, **kwargs):
        name = "worker" if "worker" in command else "beat" if "beat" in command else "web"
        started[name] = list(command)
        return mock.Mock(**{"poll.return_value": 0})

    # signal.signal patched too: run_portal must not take over this process's Ctrl-C.
    with mock.patch("subprocess.Popen", side_effect=popen), mock.patch("signal.signal"):
        call_command("run_portal", "--port", "8999")
    return started


def test_run_portal_worker_consumes_every_queue(settings):
    worker = _run_portal_commands()["worker"]
    assert worker[worker.index("--queues") + 1] == "celery,reports,imports,mail,maintenance"
    settings.CELERY_WORKER_QUEUES = ["reports", "maintenance"]
    worker = _run_portal_commands()["worker"]
    assert worker[worker.index("--queues") + 1] == "reports,maintenance"


# --- two real worker processes, each on its own queue ------------------------------------------


@pytest.fixture
def split_queues():
    """A test queue per kind; tasks this process sends follow the settings' routes onto them."""
    with routes_to(kind_queues()) as queues:
        try:
            yield queues
        finally:
            for queue in queues.values():
                purge_queue(queue, broker_url())


def ran(log: str, task_name: str) -> bool:
    """The worker log says it received the task (its start-up banner lists every task name)."""
    return f"Task {task_name}[" in log


def queue_length(queue: str) -> int:
    with Connection(broker_url()) as conn:
        return conn.default_channel.client.llen(queue)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_reports_and_imports_workers_each_run_only_their_kind(
    split_queues, staff, tmp_path, settings
):
    settings.PORTAL_PROVINCE_CODE = 27
    build_report_data()
    make_references()
    env = report_worker_env(tmp_path, settings)  # this test's database, broker and MEDIA_ROOT
    imports_worker = celery_worker(env, log_dir=tmp_path, queue=split_queues["imports"])
    with imports_worker as worker_b:
        report = generation.report_request(kind="annual_progress", year=2018, fmt="xlsx", by=None)
        job = stored_job(settings, big_csv(5), by=staff)
        wait_for(
            lambda: ImportJob.objects.get(pk=job.pk).state not in ImportJob.RUNNING_STATES,
            timeout=60,
            worker=worker_b,
            what="import job validated by the imports worker",
        )
        job.refresh_from_db()
        assert job.state == ImportJob.State.VALIDATED, job.error or job.problems[:3]
        # The imports worker is up and busy, yet the report waits in the reports queue.
        report.refresh_from_db()
        assert report.state == Report.State.QUEUED
        assert queue_length(split_queues["reports"]) == 1

        with prefork_worker(env, log_dir=tmp_path, queue=split_queues["reports"]) as worker_a:
            wait_for(
                lambda: Report.objects.get(pk=report.pk).is_finished,
                timeout=60,
                worker=worker_a,
                what="report built by the reports worker",
            )
            log_a = worker_a.log()
        log_b = worker_b.log()

    report.refresh_from_db()
    assert report.state == Report.State.SUCCEEDED, report.error
    assert queue_length(split_queues["reports"]) == 0
    assert ran(log_a, "reports.tasks.generate_report_task")
    assert not ran(log_a, "facilities.tasks.validate_import_task")
    assert ran(log_b, "facilities.tasks.validate_import_task")
    assert not ran(log_b, "reports.tasks.generate_report_task")


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_bulk_change_is_rebuilt_by_a_maintenance_worker(split_queues, tmp_path, settings):
    """A change of unknown extent marks the stored facts stale and queues one rebuild, which a
    worker of the maintenance queue runs (reports.fact_table)."""
    report = AnnualReportFactory(facility=FacilityFactory(established_year=2010), year=2018)
    with transaction.atomic():
        data_changed()  # a bulk write that does not name its facilities
    assert not fact_table.is_fresh()
    assert queue_length(split_queues["maintenance"]) == 1
    with transaction.atomic():
        data_changed()  # requested once while the first request waits
    assert queue_length(split_queues["maintenance"]) == 1

    env = report_worker_env(tmp_path, settings)
    with celery_worker(env, log_dir=tmp_path, queue=split_queues["maintenance"]) as worker:
        wait_for(fact_table.is_fresh, timeout=60, worker=worker, what="stored facts rebuilt")
        log = worker.log()
    assert ran(log, "reports.tasks.rebuild_facts_task")
    assert FacilityYearFact.objects.filter(facility=report.facility, y=2018, aware=0).exists()
