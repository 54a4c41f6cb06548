"""/healthz stays cheap: it answers from a cached result refreshed in a background thread, never
blocks a request on a dead or silent broker, and shows its details only to a direct local caller or
to the monitoring token."""

import socket
import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from ops import health
from ops.models import Heartbeat
from sxsh_portal.celery import app as celery_app

URL = "/healthz"
BUDGET = 0.1  # seconds a request may take, whatever the checks do
# A request held by a check would wait for the broker's 2 s socket timeout. On a loaded 2-core CI
# machine a scheduling pause can push one harmless request past BUDGET, so each call must stay
# far below the timeout (BLOCKED) and nine in ten within BUDGET.
BLOCKED = 1.0


def assert_fast(times):
    assert max(times) < BLOCKED, f"/healthz took {max(times) * 1000:.0f} ms: held by a check"
    slow = [t for t in times if t >= BUDGET]
    assert len(slow) <= max(1, len(times) // 10), f"{len(slow)} of {len(times)} calls ≥ 100 ms"


REMOTE = {"REMOTE_ADDR": "203.0.113.7"}


@pytest.fixture(autouse=True)
def _warm(client, db):
    """Load the URLconf and middleware first: a one-time cost of a new process, not of /healthz."""
    client.get("/accounts/login/")


def timed_get(client, **extra):
    started = time.perf_counter()
    response = client.get(URL, **extra)
    return response, time.perf_counter() - started


def poll(client, until, *, timeout=15.0, **extra):
    """Call /healthz until `until(body)` holds; every call answers in time (assert_fast)."""
    seen, times = [], []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response, elapsed = timed_get(client, **extra)
        times.append(elapsed)
        assert elapsed < BLOCKED, f"/healthz took {elapsed * 1000:.0f} ms: held by a check"
        seen.append((response.status_code, response.json()))
        if until(response.json()):
            assert_fast(times)
            return response, seen
        time.sleep(0.05)
    raise AssertionError(f"/healthz never reached the expected state: {seen[-3:]}")


def broker_failing(body) -> bool:
    return body.get("broker", {}).get("ok") is False


def use_broker(monkeypatch, url):
    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    assert celery_app.conf.broker_url == url


@pytest.fixture
def closed_broker(monkeypatch):
    use_broker(monkeypatch, "redis://127.0.0.1:1/0")  # nothing listens on port 1


@pytest.fixture
def silent_broker(monkeypatch):
    """A port that accepts connections (the kernel's backlog) but never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        use_broker(monkeypatch, f"redis://127.0.0.1:{listener.getsockname()[1]}/0")
        yield


def settled(client) -> dict:
    """The first complete result, as a local caller sees it."""
    response, _ = poll(client, lambda body: body["status"] != "starting")
    return response.json()


def test_broker_down_answers_fast_and_reports_it(client, db, closed_broker):
    first, elapsed = timed_get(client)
    assert elapsed < BLOCKED
    assert first.status_code == 503
    assert first.json() == {"status": "starting"}

    response, seen = poll(client, broker_failing)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["broker"] == {"ok": False, "transport": "redis", "error": "OperationalError"}
    assert body["database"] == {"ok": True, "vendor": "postgresql"}
    assert body["workers"]["ok"] is False
    assert 0 <= body["age_seconds"] <= health.MAX_AGE_SECONDS

    # Cached: the next calls answer from the same result (its age only grows).
    ages, times = [body["age_seconds"]], []
    for _ in range(10):
        time.sleep(0.05)
        again, elapsed = timed_get(client)
        times.append(elapsed)
        assert again.json()["broker"] == body["broker"]
        ages.append(again.json()["age_seconds"])
    assert_fast(times)
    assert ages == sorted(ages) and ages[-1] > ages[0]


def test_silent_broker_never_holds_a_request(client, db, silent_broker):
    # The broker check waits up to its socket timeout (2 s); requests meanwhile answer at once.
    response, seen = poll(client, broker_failing)
    starting = [body for status, body in seen if body == {"status": "starting"}]
    assert len(starting) >= 10, "requests should have answered while the check was waiting"
    assert all(status == 503 for status, body in seen if body in starting)
    assert response.json()["broker"]["ok"] is False


def test_one_refresh_at_a_time(client, db, silent_broker):
    times = [timed_get(client)[1] for _ in range(30)]
    assert_fast(times)
    refreshing = [t for t in threading.enumerate() if t.name == "healthz-refresh"]
    assert len(refreshing) == 1


@pytest.mark.django_db(transaction=True)
def test_old_results_are_refreshed(client, monkeypatch):
    Heartbeat.objects.create(name="beat", seen_at=timezone.now() - timedelta(seconds=90))
    body = settled(client)
    assert 89 <= body["workers"]["last_heartbeat_seconds"] <= 100

    Heartbeat.objects.filter(name="beat").update(seen_at=timezone.now())
    for _ in range(10):  # younger than MAX_AGE_SECONDS: the cached result stands
        assert client.get(URL).json()["workers"]["last_heartbeat_seconds"] >= 89
        time.sleep(0.05)

    monkeypatch.setattr(health, "MAX_AGE_SECONDS", 0.2)
    response, _ = poll(client, lambda b: b["workers"].get("last_heartbeat_seconds", 99) < 10)
    assert response.json()["age_seconds"] <= 15


def test_details_only_for_local_callers_and_the_token(client, db, closed_broker, settings):
    settings.HEALTHZ_TOKEN = "kiem-tra-giam-sat-0123456789"
    local = settled(client)
    assert {"database", "broker", "workers"} <= set(local)

    hidden = [
        REMOTE,
        {**REMOTE, "HTTP_X_MONITORING_TOKEN": "sai-ma"},
        {**REMOTE, "HTTP_X_MONITORING_TOKEN": ""},
        {**REMOTE, "HTTP_X_FORWARDED_FOR": "127.0.0.1"},  # never trusted for this
        # Relayed by a proxy on the same machine: loopback address, but a forwarded request.
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"},
        {"REMOTE_ADDR": "::1", "HTTP_X_REAL_IP": "203.0.113.7"},
    ]
    for extra in hidden:
        response = client.get(URL, **extra)
        assert response.status_code == 200, extra
        assert response.json() == {"status": "degraded"}, extra

    for extra in (
        {**REMOTE, "HTTP_X_MONITORING_TOKEN": settings.HEALTHZ_TOKEN},
        {"REMOTE_ADDR": "::1"},
    ):
        body = client.get(URL, **extra).json()
        assert body["broker"]["ok"] is False, extra
        assert body["status"] == "degraded"


def test_no_token_configured_accepts_none(client, db, closed_broker, settings):
    settings.HEALTHZ_TOKEN = ""
    settled(client)
    response = client.get(URL, **REMOTE, HTTP_X_MONITORING_TOKEN="")
    assert set(response.json()) == {"status"}


def test_a_probe_before_the_first_result_gets_503(client, db, silent_broker):
    response = client.get(URL, **REMOTE)
    assert response.status_code == 503
    assert response.json() == {"status": "starting"}


def test_it_is_json_uncached_and_public(client, db):
    response, elapsed = timed_get(client)
    assert elapsed < BLOCKED
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = settled(client)  # no session, no redirect to the login page
    assert body["status"] in {"ok", "degraded"}
    assert body["database"]["ok"] is True
    assert body["broker"] == {"ok": True, "transport": "redis"}
