from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from sxsh_portal.celery import app

from .models import Heartbeat


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # any failure is a health finding, not a crash
        return {"ok": False, "error": exc.__class__.__name__}


def _check_broker() -> dict:
    transport = app.conf.broker_url.split("://", 1)[0]
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"ok": True, "transport": transport}
    except Exception as exc:
        return {"ok": False, "transport": transport, "error": exc.__class__.__name__}


def _check_workers(broker_ok: bool) -> dict:
    replies = app.control.ping(timeout=1.5) if broker_ok else []
    result = {"ok": bool(replies), "count": len(replies)}
    beat = Heartbeat.objects.filter(name="beat").first()
    if beat is not None:
        result["last_heartbeat_seconds"] = int((timezone.now() - beat.seen_at).total_seconds())
    return result


@never_cache
def healthz(request):
    database = _check_database()
    broker = _check_broker()
    try:
        workers = _check_workers(broker["ok"] and database["ok"])
    except Exception as exc:
        workers = {"ok": False, "error": exc.__class__.__name__}
    status = "ok" if database["ok"] and broker["ok"] and workers["ok"] else "degraded"
    if not database["ok"]:
        status = "down"
    body = {"status": status, "database": database, "broker": broker, "workers": workers}
    return JsonResponse(body, status=503 if status == "down" else 200)
