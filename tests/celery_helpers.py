"""Start and stop a real Celery worker process for integration tests.

Usage (inside a test that has the `transactional_db` fixture, so the worker sees committed rows):

    env = worker_env(var_dir=tmp_path / "var")             # Redis db 14, the pytest database
    with celery_worker(env, log_dir=tmp_path, queue=unique_queue()) as worker:
        some_task.apply_async(args=[...], queue=worker.queue)
        wait_for(lambda: Model.objects.filter(...).exists(), worker=worker)

`worker_env(..., broker_url=None)` gives the embedded filesystem broker under `var_dir`.

Tasks sent without an explicit queue follow settings.CELERY_TASK_ROUTES (a queue per kind:
reports, imports, mail, maintenance). `routes_to(queue)` sends every kind to one test queue;
`routes_to(kind_queues())` gives each kind its own test queue, for workers split by kind.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent
# The suite's broker (pyproject sets redis db 14; a parallel run may pick another db).
REDIS_TEST_BROKER = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/14"
WORKER_SECRET_KEY = "worker-test-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"
START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0


def database_url_for_worker() -> str:
    """URL of the database this pytest run uses (test_sxsh…), so a worker writes where we read."""
    db = connection.settings_dict
    auth = db["USER"] or ""
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


def unique_queue(prefix: str = "test") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def kind_queues(prefix: str = "test") -> dict[str, str]:
    """A fresh queue standing in for each of the settings' queues (the default one included)."""
    from django.conf import settings

    return {kind: unique_queue(f"{prefix}-{kind}") for kind in settings.CELERY_QUEUE_NAMES}


@contextmanager
def routes_to(queues: str | dict[str, str]):
    """Route the tasks this process sends to test queues, as settings.CELERY_TASK_ROUTES does to
    the real ones: every kind to `queues` (a name), or each kind to `queues[kind]` (a dict, as
    from kind_queues()). Yields the dict kind → queue; the settings' routes come back on exit."""
    from django.conf import settings

    from sxsh_portal.celery import app

    kinds = settings.CELERY_QUEUE_NAMES
    mapping = dict(queues) if isinstance(queues, dict) else dict.fromkeys(kinds, queues)
    routes = {
        pattern: {**route, "queue": mapping[route["queue"]]}
        for pattern, route in settings.CELERY_TASK_ROUTES.items()
    }
    saved = {
        "task_routes": app.conf.task_routes,
        "task_default_queue": app.conf.task_default_queue,
    }
    # conf.update (not attribute assignment) makes Celery rebuild its cached router.
    app.conf.update(
        task_routes=routes, task_default_queue=mapping[settings.CELERY_TASK_DEFAULT_QUEUE]
    )
    try:
        yield mapping
    finally:
        app.conf.update(**saved)


def worker_env(*, var_dir: Path, broker_url: str | None = REDIS_TEST_BROKER, **extra) -> dict:
    """Environment of a production-like worker: DEBUG off, the test database, the given broker.

    `broker_url=None` leaves CELERY_BROKER_URL unset: the settings' embedded filesystem broker
    under `var_dir`/celery-broker.
    """
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="sxsh_portal.settings",
        DEBUG="0",
        SECRET_KEY=WORKER_SECRET_KEY,
        DATABASE_URL=database_url_for_worker(),
        PORTAL_VAR_DIR=str(var_dir),
        PYTHONUNBUFFERED="1",
    )
    env.pop("CELERY_BROKER_URL", None)
    if broker_url:
        env["CELERY_BROKER_URL"] = broker_url
    env.update(extra)
    return env


def purge_queue(queue: str, broker_url: str = REDIS_TEST_BROKER) -> None:
    from kombu import Connection

    with Connection(broker_url) as conn:
        conn.default_channel.queue_purge(queue)


@dataclass
class Worker:
    process: subprocess.Popen
    name: str
    queue: str | None
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def is_ready(self) -> bool:
        return " ready." in self.log()


@contextmanager
def celery_worker(
    env: dict,
    *,
    log_dir: Path,
    queue: str | None = None,
    wait_ready=True,
    pool: str = "solo",
    concurrency: int | None = None,
):
    """Run `celery -A sxsh_portal worker` (solo pool unless told) in a subprocess; stop it on
    exit."""
    name = f"{queue or 'worker'}-{uuid.uuid4().hex[:6]}@%h"
    log_path = Path(log_dir) / f"{name.split('@')[0]}.log"
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "sxsh_portal",
        "worker",
        f"--pool={pool}",
        *([f"--concurrency={concurrency}"] if concurrency is not None else []),
        "--loglevel=INFO",
        "--without-mingle",
        "--without-gossip",
        "-n",
        name,
    ]
    if queue:
        command += ["-Q", queue]
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
    worker = Worker(process=process, name=name, queue=queue, log_path=log_path)
    try:
        if wait_ready:
            wait_for(worker.is_ready, timeout=START_TIMEOUT, worker=worker, what="worker ready")
        yield worker
    finally:
        stop_worker(worker)


def stop_worker(worker: Worker) -> None:
    process = worker.process
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # warm shutdown: finish the current task, then exit
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT)


def wait_for(predicate, *, timeout=30.0, interval=0.2, worker: Worker | None = None, what=""):
    """Poll `predicate` until it is true; fail with the worker's log if it never is."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if worker is not None and worker.process.poll() is not None:
            code = worker.process.returncode
            raise AssertionError(
                f"worker exited with {code} while waiting for {what or predicate}:\n"
                f"{worker.log()[-4000:]}"
            )
        time.sleep(interval)
    log = worker.log()[-4000:] if worker is not None else ""
    raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}:\n{log}")
