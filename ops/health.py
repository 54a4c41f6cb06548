"""`/healthz`: database, broker and worker status, answered from a cached result.

The checks (a query, a broker connection, a worker ping, the beat heartbeat) can take seconds when
something is down, so a request never runs them: it reads the last result of this process and,
when that is missing or older than MAX_AGE_SECONDS, starts one refresh in a background thread (at
most one at a time per process). Until the first refresh ends the answer is `starting` (503).

Details go only to a direct local caller (REMOTE_ADDR 127.0.0.1 or ::1 and no forwarding header,
so a request relayed by the local nginx is not "local") or to a caller sending the monitoring
token (HEALTHZ_TOKEN) in the `X-Monitoring-Token` header; everyone else gets the overall status
and the HTTP status code only.
"""

import hmac
import logging
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

MAX_AGE_SECONDS = 30  # a result older than this is refreshed (in the background)
STALE_SECONDS = 90  # a result older than this (refresh stuck) no longer counts: status "stale"
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
        self.lock = threading.Lock()
        self.result: dict | None = None
        self.checked_at = 0.0  # time.monotonic() of the result
        self.thread: threading.Thread | None = None


_state = _State()


def _refresh() -> None:
    """Body of the background thread: run the checks, close this thread's database connection,
    then publish the result."""
    try:
        result = run_checks()
    except Exception as exc:  # never let the thread die with the refresh still marked running
        logger.exception("healthz: checks failed")
        result = {"status": "down", "error": exc.__class__.__name__}
    try:
        connections.close_all()
    except Exception:
        logger.exception("healthz: could not close the database connection")
    with _state.lock:
        _state.result = result
        _state.checked_at = time.monotonic()
        _state.thread = None


def _snapshot() -> tuple[dict | None, float | None]:
    """The last result and its age in seconds; starts a refresh when it is missing or old."""
    with _state.lock:
        result = _state.result
        age = time.monotonic() - _state.checked_at if result is not None else None
        if (age is None or age > MAX_AGE_SECONDS) and _state.thread is None:
            thread = threading.Thread(target=_refresh, name="healthz-refresh", daemon=True)
            thread.start()
            _state.thread = thread
    return result, age


def wait_idle(timeout: float = 10.0) -> bool:
    """Wait for a running refresh to end (tests, shutdown); True when none is running."""
    with _state.lock:
        thread = _state.thread
    if thread is not None:
        thread.join(timeout)
        return not thread.is_alive()
    return True


def reset() -> None:
    """Forget the cached result (tests); waits for a running refresh first."""
    wait_idle()
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
