"""Reliability of generated reports with a REAL PostgreSQL database, a REAL Redis broker and REAL
Celery worker subprocesses (prefork pool), issue 7 Deliver 5.

Every test runs its own private `redis-server` on a free loopback port (never the machine's
Redis, which other processes use), started with `--appendonly yes --save ""`: the append-only
file is what lets queued messages survive a Redis restart (RDB snapshots are off, so without AOF
a restart would lose them). The worker gets it through CELERY_BROKER_URL; this process sends
tasks to it through an explicit connection (`generation._enqueue` is patched), so the shared
Redis is not touched at all.

What recovers a job, in the project's own terms (reports/generation.py):
- a message the worker did not acknowledge (acks_late) stays in Redis — across a Redis restart
  too, with AOF on;
- a job whose worker died stops renewing its lease; `reports_sweep` (beat, every minute; called
  directly here) re-enqueues it once the lease expired. Redis's own visibility timeout
  (2 × CELERY_TASK_TIME_LIMIT, 22 minutes) would redeliver it as well, far too late for a test;
- the claim is one conditional UPDATE, so a second delivery of a running job does nothing;
- a database error inside an attempt makes the job `queued` again and the task retries it after
  REPORT_RETRY_DELAY (the broken connection is dropped first, so the bookkeeping reconnects).

Worker test hooks: REPORT_TEST_DELAY (seconds slept after each progress step).
"""

import contextlib
import os
import signal
import socket
import subprocess
from pathlib import Path

import pytest
import redis
from django.db import connection
from kombu import Connection

from reports import generation
from reports.models import Report
from reports.tasks import generate_report_task

from ..celery_helpers import (
    celery_worker,
    database_url_for_worker,
    unique_queue,
    wait_for,
    worker_env,
)
from ..reports.report_files_data import build_report_data
from ..reports.report_worker_helpers import child_pids

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]

WORKER_APP_NAME = "sxsh-reliability-worker"


# --- a private Redis -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test only, persisting to `folder` with the append-only file."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)

    def start(self) -> None:
        command = [
            "redis-server",
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "yes",
            "--appendfsync", "always",
            "--dir", str(self.folder),
        ]  # fmt: skip
        with open(self.folder / "redis.log", "ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)

        def answers() -> bool:
            try:
                return self.client().ping()
            except redis.RedisError:
                return False

        wait_for(answers, timeout=10, interval=0.1, what="private redis-server up")

    def shutdown(self) -> None:
        """SHUTDOWN (the AOF is flushed), then wait for the process to end."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(redis.RedisError):
            self.client().shutdown()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def queue_length(self, queue: str) -> int:
        return self.client().llen(queue)


@pytest.fixture
def private_redis(tmp_path):
    server = PrivateRedis(tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.shutdown()


@pytest.fixture
def queue(private_redis, monkeypatch):
    """A fresh queue on the private Redis; `report_request` and the sweeper enqueue to it."""
    name = unique_queue("reliability")

    def enqueue(report_id: int, task_id: str) -> None:
        send(private_redis, name, report_id, task_id)

    monkeypatch.setattr(generation, "_enqueue", enqueue)
    return name


def send(server: PrivateRedis, queue: str, report_id: int, task_id: str) -> None:
    with Connection(server.url) as conn:
        generate_report_task.apply_async(
            args=[report_id], task_id=task_id, queue=queue, connection=conn
        )


# --- workers and reports -------------------------------------------------------------------------


def env_for(server: PrivateRedis, tmp_path: Path, settings, **extra) -> dict:
    """A production-like worker on the private broker, the pytest database (tagged with an
    application_name so a test can find its connections) and this test's MEDIA_ROOT."""
    return worker_env(
        var_dir=tmp_path / "var",
        broker_url=server.url,
        DATABASE_URL=f"{database_url_for_worker()}?application_name={WORKER_APP_NAME}",
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        **{key: str(value) for key, value in extra.items()},
    )


def worker(env: dict, tmp_path: Path, queue: str, concurrency: int = 1):
    return celery_worker(
        env, log_dir=tmp_path, queue=queue, pool="prefork", concurrency=concurrency
    )


def request(fmt: str = "xlsx") -> Report:
    return generation.report_request(kind="annual_progress", year=2018, fmt=fmt, by=None)


def state_of(report: Report) -> Report:
    report.refresh_from_db()
    return report


def running(report: Report) -> bool:
    report = state_of(report)
    return report.state == Report.State.RUNNING and report.progress >= 5


def files_in(settings) -> list[str]:
    folder = settings.MEDIA_ROOT / "reports"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def assert_one_success(report: Report, settings, attempts: int = 1) -> None:
    report = state_of(report)
    assert report.state == Report.State.SUCCEEDED, report.error
    assert report.attempts == attempts
    assert Report.objects.count() == 1
    assert files_in(settings) == [report.download_name]  # no second file, no partial leftover


def sweep_until_finished(report: Report, *, run, timeout: float = 60) -> None:
    """What beat does every minute: re-enqueue jobs whose lease expired, until the job ends."""

    def finished() -> bool:
        generation.reports_sweep()
        return state_of(report).is_finished

    wait_for(finished, timeout=timeout, interval=0.5, worker=run, what="job recovered")


# --- the scenarios -------------------------------------------------------------------------------


def test_jobs_queued_before_a_redis_restart_all_finish(private_redis, queue, tmp_path, settings):
    """No worker runs; three jobs wait in Redis; Redis restarts (AOF on); a worker then runs
    all three."""
    reports = [request(fmt) for fmt in ("xlsx", "pdf", "docx")]
    assert private_redis.queue_length(queue) == 3

    private_redis.shutdown()
    private_redis.start()
    assert private_redis.queue_length(queue) == 3, "queued messages lost across the restart"

    with worker(env_for(private_redis, tmp_path, settings), tmp_path, queue) as run:
        wait_for(
            lambda: all(state_of(r).is_finished for r in reports),
            timeout=60,
            worker=run,
            what="three jobs finished",
        )
    names = []
    for report in reports:
        assert report.state == Report.State.SUCCEEDED, report.error
        assert report.attempts == 1
        names.append(report.download_name)
    assert files_in(settings) == sorted(names)
    assert private_redis.queue_length(queue) == 0


def test_whole_worker_killed_mid_job_finishes_on_a_new_worker(
    private_redis, queue, tmp_path, settings
):
    """SIGKILL to the worker's main process and its pool child mid-job (a crashed host or the
    OOM killer): nothing acknowledges or records the failure. The lease expires, the sweeper
    re-enqueues the job, a new worker finishes it in a second attempt."""
    build_report_data()
    settings.REPORT_LEASE_SECONDS = 4  # the sweeper here re-queues with the same lease
    slow = env_for(private_redis, tmp_path, settings, REPORT_TEST_DELAY=1, REPORT_LEASE_SECONDS=4)
    with worker(slow, tmp_path, queue) as first:
        report = request("xlsx")
        wait_for(lambda: running(report), timeout=30, worker=first, what="job running")
        children = child_pids(first.process.pid)
        os.kill(first.process.pid, signal.SIGKILL)
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        first.process.wait(timeout=10)
    assert state_of(report).state == Report.State.RUNNING  # left behind, lease still running

    env = env_for(private_redis, tmp_path, settings, REPORT_LEASE_SECONDS=4)
    with worker(env, tmp_path, queue) as second:
        sweep_until_finished(report, run=second)
    assert_one_success(report, settings, attempts=2)


def test_job_delivered_twice_at_once_runs_once(private_redis, queue, tmp_path, settings):
    """The same message twice (as a redelivery would send it) to a worker with two pool
    children: both start together, the conditional claim lets one of them run."""
    build_report_data()
    env = env_for(private_redis, tmp_path, settings, REPORT_TEST_DELAY=0.3)
    with worker(env, tmp_path, queue, concurrency=2) as run:
        report = request("xlsx")  # the first delivery
        send(private_redis, queue, report.pk, report.task_id)  # the duplicate
        wait_for(
            lambda: run.log().count("succeeded in") == 2,
            timeout=60,
            worker=run,
            what="both deliveries done",
        )
        log = run.log()
    assert log.count(": 'skipped'") == 1
    assert log.count(": 'succeeded'") == 1
    assert_one_success(report, settings, attempts=1)


def test_sigterm_mid_job_finishes_it_before_the_worker_exits(
    private_redis, queue, tmp_path, settings
):
    """A deploy or `systemctl stop`: SIGTERM is Celery's warm shutdown; the running job ends
    first (and is never lost: were it cut short, its unacknowledged message and its lease would
    bring it back)."""
    build_report_data()
    env = env_for(private_redis, tmp_path, settings, REPORT_TEST_DELAY=0.4)
    with worker(env, tmp_path, queue) as run:
        report = request("pdf")
        wait_for(lambda: running(report), timeout=30, worker=run, what="job running")
        run.process.send_signal(signal.SIGTERM)
        run.process.wait(timeout=60)
        log = run.log()
    assert "warm shutdown" in log.lower()
    assert_one_success(report, settings, attempts=1)
    assert private_redis.queue_length(queue) == 0


def terminate_worker_connections() -> int:
    """pg_terminate_backend on the worker's sessions only (never this process's)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND application_name = %s",
            [WORKER_APP_NAME],
        )
        return cursor.fetchone()[0]


def test_database_connection_lost_mid_job_is_retried_and_succeeds(
    private_redis, queue, tmp_path, settings
):
    """PostgreSQL drops the worker's session while a job runs (a restart or failover, the
    server itself is shared so it is not stopped here): the attempt fails, the job is queued
    again, the retry succeeds."""
    build_report_data()
    env = env_for(private_redis, tmp_path, settings, REPORT_TEST_DELAY=1, REPORT_RETRY_DELAY=1)
    with worker(env, tmp_path, queue) as run:
        report = request("xlsx")
        wait_for(lambda: running(report), timeout=30, worker=run, what="job running")
        assert terminate_worker_connections() >= 1
        wait_for(lambda: state_of(report).is_finished, timeout=60, worker=run, what="job done")
        log = run.log()
    assert_one_success(report, settings, attempts=2)
    assert "Retry in 1s" in log
    assert "OperationalError" in log or "InterfaceError" in log
