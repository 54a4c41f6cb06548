"""A real prefork Celery worker for the generated-report integration tests.

Built on tests/celery_helpers.py (same environment, log, readiness and shutdown), with the
prefork pool so a test can kill the pool's child process mid-job, as a crash or the OOM killer
would. Tasks sent from the test process go to the worker's own queue (`report_queue`).
"""

import os
import signal
from contextlib import contextmanager
from pathlib import Path

from sxsh_portal.celery import app as celery_app

from ..celery_helpers import (
    Worker,
    celery_worker,
    purge_queue,
    routes_to,
    unique_queue,
    worker_env,
)


def broker_url() -> str:
    """The broker of this test run (pytest-env's Redis db, or the one set in the shell)."""
    return celery_app.conf.broker_url


@contextmanager
def reserved_queue():
    """A fresh queue; tasks enqueued by this process (`report_request`, the sweeper, an import
    or quality job), whatever their kind's queue in CELERY_TASK_ROUTES, go to it."""
    queue = unique_queue("reports")
    purge_queue(queue, broker_url())
    try:
        with routes_to(queue):
            yield queue
    finally:
        purge_queue(queue, broker_url())


def report_worker_env(tmp_path: Path, settings, **extra) -> dict:
    """Worker environment: the test database and broker, this test's MEDIA_ROOT."""
    return worker_env(
        var_dir=tmp_path / "var",
        broker_url=broker_url(),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        **{key: str(value) for key, value in extra.items()},
    )


def prefork_worker(env: dict, *, log_dir: Path, queue: str, concurrency: int = 1):
    """celery_worker with the prefork pool, consuming `queue`."""
    return celery_worker(env, log_dir=log_dir, queue=queue, pool="prefork", concurrency=concurrency)


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
