"""A real prefork Celery worker for the generated-report integration tests.

Built on tests/celery_helpers.py (same environment, log, readiness and shutdown), with the
prefork pool so a test can kill the pool's child process mid-job, as a crash or the OOM killer
would. Tasks sent from the test process go to the worker's own queue (`report_queue`).
"""

import os
import signal
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

from sxsh_portal.celery import app as celery_app

from ..celery_helpers import (
    BASE_DIR,
    START_TIMEOUT,
    Worker,
    purge_queue,
    stop_worker,
    unique_queue,
    wait_for,
    worker_env,
)


def broker_url() -> str:
    """The broker of this test run (pytest-env's Redis db, or the one set in the shell)."""
    return celery_app.conf.broker_url


@contextmanager
def reserved_queue():
    """A fresh queue; tasks enqueued by this process (`report_request`, the sweeper) go to it."""
    queue = unique_queue("reports")
    purge_queue(queue, broker_url())
    default = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    try:
        yield queue
    finally:
        celery_app.conf.task_default_queue = default
        purge_queue(queue, broker_url())


def report_worker_env(tmp_path: Path, settings, **extra) -> dict:
    """Worker environment: the test database and broker, this test's MEDIA_ROOT."""
    return worker_env(
        var_dir=tmp_path / "var",
        broker_url=broker_url(),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        **{key: str(value) for key, value in extra.items()},
    )


@contextmanager
def prefork_worker(env: dict, *, log_dir: Path, queue: str, concurrency: int = 1):
    name = f"{queue}-{uuid.uuid4().hex[:6]}@%h"
    log_path = Path(log_dir) / f"{name.split('@')[0]}.log"
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "sxsh_portal",
        "worker",
        "--pool=prefork",
        f"--concurrency={concurrency}",
        "--loglevel=INFO",
        "--without-mingle",
        "--without-gossip",
        "-n",
        name,
        "-Q",
        queue,
    ]
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
    worker = Worker(process=process, name=name, queue=queue, log_path=log_path)
    try:
        wait_for(worker.is_ready, timeout=START_TIMEOUT, worker=worker, what="worker ready")
        yield worker
    finally:
        stop_worker(worker)


def child_pids(pid: int) -> list[int]:
    """Processes whose parent is `pid` (from /proc, no psutil needed)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def kill_pool_child(worker: Worker) -> int:
    """SIGKILL the prefork pool's only child (the process running the task)."""
    children = child_pids(worker.process.pid)
    assert len(children) == 1, f"expected one pool child, found {children}"
    os.kill(children[0], signal.SIGKILL)
    return children[0]
