"""`/healthz`: database, broker and worker status, answered from a cached result.

The checks (a query, a broker connection, a worker ping, the beat heartbeat) can take seconds when
something is down, so a request never runs them: it reads the last result of this process. One
daemon thread per process (`healthz-refresh`) runs the checks every REFRESH_SECONDS, so the result
stays at most STALE_SECONDS old without requests driving it. The thread starts when the web
process loads (sxsh_portal/wsgi.py calls `start()`, so a worker has a result before its first
probe) and otherwise at the first /healthz; a request restarts it when it has died or when the
process is a fork of the one that ran it (os.register_at_fork), and wakes it early when the
result is older than MAX_AGE_SECONDS. Until the first check ends the answer is `starting` (503); a
result older than STALE_SECONDS (the checks hang) is never served as current: `stale` (503).

Details go only to a direct local caller (REMOTE_ADDR 127.0.0.1 or ::1 and no forwarding header,
so a request relayed by the local nginx is not "local") or to a caller sending the monitoring
token (HEALTHZ_TOKEN) in the `X-Monitoring-Token` header; everyone else gets the overall status
and the HTTP status code only.
"""

import hmac
import logging
import os
import threading
import time

# The project's Celery app (sxsh_portal/celery.py, loaded by sxsh_portal/__init__.py) is Celery's
# current and default app, in every thread, as for the @shared_task tasks; naming it through
# celery keeps ops below the project package (import-linter).
from celery import current_app as app
from django.conf import settings
from django.db import connection, connections
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from .models import Heartbeat

logger = logging.getLogger(__name__)

REFRESH_SECONDS = 15.0  # the background thread runs the checks this often
MAX_AGE_SECONDS = 15.0  # a request finding a result older than this wakes the thread at once
# A result older than this (the checks hang, the thread is gone) no longer counts: "stale". The
# checks' own timeouts keep a normal run within a few seconds, well inside the margin.
STALE_SECONDS = 30.0
BROKER_CONNECT_TIMEOUT = 2.0
WORKER_PING_TIMEOUT = 1.5
TOKEN_HEADER = "HTTP_X_MONITORING_TOKEN"  # X-Monitoring-Token
LOCAL_ADDRESSES = {"127.0.0.1", "::1"}
FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")
UNAVAILABLE = {"starting", "down", "stale"}  # answered with 503


# --- the checks (background thread only) ------------------------------------------------------


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # any failure is a health finding, not a crash
        return {"ok": False, "error": exc.__class__.__name__}


def _check_broker() -> dict:
    transport = app.conf.broker_url.split("://", 1)[0]
    # A broker that accepts connections but never answers must not hang the check either.
    options = {
        **(app.conf.broker_transport_options or {}),
        "socket_timeout": BROKER_CONNECT_TIMEOUT,
        "socket_connect_timeout": BROKER_CONNECT_TIMEOUT,
    }
    try:
        with app.connection_for_write(
            connect_timeout=BROKER_CONNECT_TIMEOUT, transport_options=options
        ) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_CONNECT_TIMEOUT)
        return {"ok": True, "transport": transport}
    except Exception as exc:
        return {"ok": False, "transport": transport, "error": exc.__class__.__name__}


def _check_workers(broker_ok: bool, database_ok: bool) -> dict:
    replies = app.control.ping(timeout=WORKER_PING_TIMEOUT) if broker_ok else []
    result = {"ok": bool(replies), "count": len(replies)}
    beat = Heartbeat.objects.filter(name="beat").first() if database_ok else None
    if beat is not None:
        result["last_heartbeat_seconds"] = int((timezone.now() - beat.seen_at).total_seconds())
    return result


def run_checks() -> dict:
    """Run every check now (slow when something is down) and return the details."""
    database = _check_database()
    broker = _check_broker()
    try:
        workers = _check_workers(broker["ok"], database["ok"])
    except Exception as exc:
        workers = {"ok": False, "error": exc.__class__.__name__}
    status = "ok" if database["ok"] and broker["ok"] and workers["ok"] else "degraded"
    if not database["ok"]:
        status = "down"
    return {"status": status, "database": database, "broker": broker, "workers": workers}


# --- the cached result (process-local) ---------------------------------------------------------


class _State:
    def __init__(self):
        self.lock = threading.Condition()
        self.result: dict | None = None
        self.checked_at = 0.0  # time.monotonic() of the result
        self.thread: threading.Thread | None = None  # the refresher of this process
        self.wake = threading.Event()  # the refresher's: set = run the checks now
        self.stop = threading.Event()  # the refresher's: set = end after the current check
        self.checking = False  # the refresher is running the checks


_state = _State()


def _refresh_once(state: _State) -> None:
    """Run the checks, close this thread's database connection, then publish the result (unless
    `stop()` has retired this thread meanwhile)."""
    try:
        result = run_checks()
    except Exception as exc:  # a failed check is a finding; the thread goes on
        logger.exception("healthz: checks failed")
        result = {"status": "down", "error": exc.__class__.__name__}
    try:
        connections.close_all()
    except Exception:
        logger.exception("healthz: could not close the database connection")
    with state.lock:
        if state.thread is threading.current_thread():
            state.result = result
            state.checked_at = time.monotonic()


def _set_checking(state: _State, value: bool) -> None:
    with state.lock:
        if state.thread is threading.current_thread():
            state.checking = value
            state.lock.notify_all()


def _run(state: _State, wake: threading.Event, stop_: threading.Event) -> None:
    """Body of the background thread: the checks every REFRESH_SECONDS, or at once when woken."""
    while not stop_.is_set():
        wake.clear()
        _set_checking(state, True)
        try:
            _refresh_once(state)
        finally:
            _set_checking(state, False)
        wake.wait(REFRESH_SECONDS)


def start() -> None:
    """Start this process's refresher unless it runs (idempotent and cheap: every /healthz
    request calls it, and the web process when it loads)."""
    state = _state
    with state.lock:
        if state.thread is not None and state.thread.is_alive():
            return
        state.wake, state.stop = threading.Event(), threading.Event()
        thread = threading.Thread(
            target=_run, args=(state, state.wake, state.stop), name="healthz-refresh", daemon=True
        )
        state.thread = thread
        state.checking = False
        thread.start()


def _after_fork_in_child() -> None:
    """A forked process (gunicorn with --preload) inherits neither the thread nor a usable lock:
    it starts with a fresh state, and its own refresher when the parent had one."""
    global _state
    had_thread = _state.thread is not None
    _state = _State()
    if had_thread:
        start()


os.register_at_fork(after_in_child=_after_fork_in_child)


def _snapshot() -> tuple[dict | None, float | None]:
    """The last result and its age in seconds; makes sure the refresher runs, and wakes it when
    the result is missing or older than MAX_AGE_SECONDS."""
    start()
    state = _state
    with state.lock:
        result = state.result
        age = time.monotonic() - state.checked_at if result is not None else None
        wake = state.wake
    if age is not None and age > MAX_AGE_SECONDS:
        wake.set()
    return result, age


def wait_idle(timeout: float = 10.0) -> bool:
    """Wait for a running check to end (tests); True when none is running."""
    state = _state
    with state.lock:
        return state.lock.wait_for(lambda: not state.checking, timeout)


def stop(timeout: float = 10.0) -> bool:
    """Stop this process's refresher (tests, shutdown); True when it has ended."""
    state = _state
    with state.lock:
        thread, wake, stop_ = state.thread, state.wake, state.stop
    if thread is None:
        return True
    stop_.set()
    wake.set()
    thread.join(timeout)
    with state.lock:
        if state.thread is thread:
            # A thread still hung in a check ends after it and publishes nothing.
            state.thread = None
            state.checking = False
    return not thread.is_alive()


def reset() -> None:
    """Stop the refresher and forget the cached result (tests)."""
    stop()
    with _state.lock:
        _state.result = None
        _state.checked_at = 0.0


# --- the view ---------------------------------------------------------------------------------


def _may_see_details(request) -> bool:
    token = settings.HEALTHZ_TOKEN
    sent = request.META.get(TOKEN_HEADER, "")
    if token and sent and hmac.compare_digest(sent.encode(), token.encode()):
        return True
    # REMOTE_ADDR only, never X-Forwarded-For; a request relayed by a proxy on this machine
    # arrives from 127.0.0.1 too, but carries a forwarding header.
    if request.META.get("REMOTE_ADDR") not in LOCAL_ADDRESSES:
        return False
    return not any(request.META.get(header) for header in FORWARDING_HEADERS)


@never_cache
def healthz(request):
    result, age = _snapshot()
    if result is None:
        body = {"status": "starting"}
    elif age > STALE_SECONDS:
        body = {**result, "status": "stale"}
    else:
        body = dict(result)
    if age is not None:
        body["age_seconds"] = round(age, 1)
    if not _may_see_details(request):
        body = {"status": body["status"]}
    return JsonResponse(body, status=503 if body["status"] in UNAVAILABLE else 200)
