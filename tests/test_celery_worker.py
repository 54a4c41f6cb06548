"""A real Celery worker process picks tasks up and writes to PostgreSQL (DESIGN §1, STYLE 11).

Over Redis (production) and over the embedded filesystem broker (`make run` default).
"""

import json
import subprocess
import sys
import time
import uuid

import pytest
from celery import current_app
from django.urls import reverse

from ops.models import Heartbeat
from ops.tasks import heartbeat
from sxsh_portal.celery import app as celery_app

from .celery_helpers import (
    BASE_DIR,
    REDIS_TEST_BROKER,
    celery_worker,
    purge_queue,
    unique_queue,
    wait_for,
    worker_env,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _beat_name() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"


def test_tasks_are_not_run_eagerly():
    assert current_app.conf.task_always_eager is False
    assert heartbeat.app is celery_app
    assert celery_app.conf.task_always_eager is False
    assert celery_app.conf.broker_url == REDIS_TEST_BROKER
    assert celery_app.conf.task_serializer == "json"
    assert celery_app.conf.accept_content == ["json"]


def test_worker_over_redis_writes_to_postgres(tmp_path):
    queue = unique_queue()
    purge_queue(queue)
    name = _beat_name()

    # Queued before any worker runs: nothing may happen in this process (no eager mode).
    heartbeat.apply_async(args=[name], queue=queue)
    assert not Heartbeat.objects.filter(name=name).exists()

    env = worker_env(var_dir=tmp_path / "var")
    with celery_worker(env, log_dir=tmp_path, queue=queue) as worker:
        wait_for(
            lambda: Heartbeat.objects.filter(name=name).exists(),
            timeout=30,
            worker=worker,
            what=f"Heartbeat {name!r}",
        )
        log = worker.log()
    assert "ops.tasks.heartbeat" in log
    assert "succeeded" in log
    assert Heartbeat.objects.get(name=name).seen_at is not None


def test_worker_picks_up_tasks_sent_while_running(tmp_path):
    queue = unique_queue()
    purge_queue(queue)
    env = worker_env(var_dir=tmp_path / "var")
    with celery_worker(env, log_dir=tmp_path, queue=queue) as worker:
        names = [_beat_name() for _ in range(3)]
        for name in names:
            heartbeat.apply_async(args=[name], queue=queue)
        wait_for(
            lambda: Heartbeat.objects.filter(name__in=names).count() == 3,
            timeout=30,
            worker=worker,
            what="three heartbeats",
        )


def test_worker_over_filesystem_broker_writes_to_postgres(tmp_path):
    var_dir = tmp_path / "var"
    env = worker_env(var_dir=var_dir, broker_url=None)
    assert "CELERY_BROKER_URL" not in env
    name = _beat_name()

    # Another process of the same checkout with the same environment enqueues the task, as the
    # web process does under `make run`.
    producer = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            f"from ops.tasks import heartbeat; heartbeat.delay({name!r})",
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert producer.returncode == 0, producer.stderr
    queued = list((var_dir / "celery-broker" / "queue").glob("*.msg"))
    assert len(queued) == 1, "the message should wait in the filesystem broker's folder"
    assert not Heartbeat.objects.filter(name=name).exists()

    with celery_worker(env, log_dir=tmp_path) as worker:
        assert "filesystem://" in worker.log()
        wait_for(
            lambda: Heartbeat.objects.filter(name=name).exists(),
            timeout=30,
            worker=worker,
            what=f"Heartbeat {name!r}",
        )
    assert not list((var_dir / "celery-broker" / "queue").glob("*.msg"))


# /healthz answers from a result refreshed in the background (ops/health.py): with
# MAX_AGE_SECONDS = 0 every call after a finished check starts the next one.
HEALTHZ_PROBE = """
import json, time
from django.test import Client
from ops import health
health.MAX_AGE_SECONDS = 0
deadline = time.monotonic() + 30
while True:
    body = Client().get('/healthz').json()
    if body.get('workers', {}).get('ok') or time.monotonic() > deadline:
        break
    time.sleep(0.2)
print(json.dumps(body))
"""


def test_healthz_sees_a_running_worker(client, tmp_path, monkeypatch):
    from ops import health

    monkeypatch.setattr(health, "MAX_AGE_SECONDS", 0)
    queue = unique_queue()
    env = worker_env(var_dir=tmp_path / "var")
    with celery_worker(env, log_dir=tmp_path, queue=queue):
        # The worker answers pings once its consumer is up; allow it a few checks.
        replies = []
        for _ in range(150):
            body = client.get(reverse("healthz")).json()
            if body.get("workers", {}).get("ok"):
                break
            replies.append(body)
            time.sleep(0.2)
        assert body["workers"]["ok"] is True, replies[-3:]
        assert body["workers"]["count"] >= 1
        assert body["broker"] == {"ok": True, "transport": "redis"}
        assert body["database"]["ok"] is True
        assert body["status"] == "ok"


def test_healthz_sees_a_worker_on_the_filesystem_broker(tmp_path):
    # The `make run` default: web and worker share only the folders under var/.
    env = worker_env(var_dir=tmp_path / "var", broker_url=None)
    with celery_worker(env, log_dir=tmp_path) as worker:
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", HEALTHZ_PROBE],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr + worker.log()[-2000:]
    body = json.loads(result.stdout.strip().splitlines()[-1])
    assert body["broker"] == {"ok": True, "transport": "filesystem"}
    assert body["workers"]["ok"] is True, body
    assert body["status"] == "ok"
