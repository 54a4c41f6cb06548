"""/healthz serves a result that a background thread keeps fresh on its own (README: "at most 30 s
old"): no request has to find it old first, a web process has one before its first probe, and a
result the thread failed to renew is never served as current."""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ops import health

URL = "/healthz"
BASE_DIR = Path(__file__).resolve().parents[2]


def wait_for(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def has_result() -> bool:
    with health._state.lock:
        return health._state.result is not None


@pytest.fixture
def fast_checks(monkeypatch):
    """Checks that answer at once (a healthy portal); the real ones: tests/ops/test_healthz.py."""
    ok = {"status": "ok", "database": {"ok": True}, "broker": {"ok": True}, "workers": {"ok": True}}
    monkeypatch.setattr(health, "run_checks", lambda: dict(ok))


def test_the_result_stays_fresh_without_requests(client, monkeypatch, fast_checks):
    # Scaled down: a refresh every 0.2 s must keep the result young during 1.5 s without any
    # request; a request never finds it old, so only the thread can have renewed it.
    monkeypatch.setattr(health, "REFRESH_SECONDS", 0.2, raising=False)
    monkeypatch.setattr(health, "MAX_AGE_SECONDS", 60)
    assert client.get(URL).status_code in {200, 503}
    assert wait_for(has_result)

    time.sleep(1.5)  # no request meanwhile
    response = client.get(URL)
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["age_seconds"] <= 0.5, body

    # At the real scale the promise holds with room: a refresh every 15 s, stale after 30 s.
    assert health.REFRESH_SECONDS * 2 <= health.STALE_SECONDS <= 30


def test_started_at_load_the_first_probe_has_a_result(client, fast_checks):
    health.start()  # what sxsh_portal/wsgi.py does when a web process loads
    assert wait_for(has_result)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_the_web_process_starts_the_refresher_when_it_loads():
    # A fresh process that only loads the WSGI application gets a result without any request.
    probe = (
        "import json, time\n"
        "import sxsh_portal.wsgi\n"
        "from ops import health\n"
        "deadline = time.monotonic() + 20\n"
        "while health._state.result is None and time.monotonic() < deadline:\n"
        "    time.sleep(0.05)\n"
        "print(json.dumps({'threads': [t.name for t in __import__('threading').enumerate()],\n"
        "                  'result': health._state.result}))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sxsh_portal.settings"}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert "healthz-refresh" in seen["threads"]
    assert seen["result"] is not None and "status" in seen["result"]


def test_a_result_the_thread_fails_to_renew_is_not_served_as_ok(client, monkeypatch):
    # The first check answers, the next ones hang (a database that never answers, say).
    release = threading.Event()
    calls = []

    def checks():
        calls.append(1)
        if len(calls) > 1:
            release.wait(10)
        return {"status": "ok", "database": {"ok": True}}

    monkeypatch.setattr(health, "run_checks", checks)
    monkeypatch.setattr(health, "REFRESH_SECONDS", 0.05, raising=False)
    monkeypatch.setattr(health, "STALE_SECONDS", 0.5)
    try:
        client.get(URL)
        assert wait_for(has_result)
        assert client.get(URL).json()["status"] == "ok"
        assert wait_for(lambda: len(calls) > 1)

        time.sleep(0.8)
        started = time.perf_counter()
        response = client.get(URL)
        assert time.perf_counter() - started < 1.0  # never held by the hung check
        assert response.status_code == 503
        assert response.json()["status"] == "stale"
        # Still one refresher: a hung check is not piled on by requests.
        refreshers = [t for t in threading.enumerate() if t.name == "healthz-refresh"]
        assert len(refreshers) == 1
    finally:
        release.set()


def test_a_dead_refresher_is_replaced(client, fast_checks):
    health.start()
    assert wait_for(has_result)
    old = health._state.thread
    assert health.stop()  # as if it had died
    with health._state.lock:
        health._state.thread = old  # the process still points at the dead thread
    assert not old.is_alive()

    client.get(URL)
    assert health._state.thread is not old and health._state.thread.is_alive()


def test_a_forked_process_runs_its_own_refresher(client, fast_checks):
    health.start()
    assert wait_for(has_result)
    parent_state = health._state
    health._after_fork_in_child()  # what os.fork() runs in the child (gunicorn --preload)
    try:
        assert health._state is not parent_state
        assert health._state.thread is not parent_state.thread
        assert health._state.thread.is_alive()
        assert wait_for(has_result)
    finally:
        child_state = health._state
        health._state = parent_state
        health.reset()
        health._state = child_state
